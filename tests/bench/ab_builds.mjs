// Interleaved A/B of builds: the registered rank(context) of 1,000 (dim 32,
// full pipeline and lean) for several copies of web/ loaded side by side in
// one node process, 40 rounds of 5 calls each, so load changes on a shared
// machine hit every build alike. Used for web/README.md "Size".
//
//   node --no-liftoff tests/bench/ab_builds.mjs WEB_DIR [WEB_DIR ...]
//
// Each WEB_DIR holds the package's *.js and a dist/ with one build.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeCandidates, makeContext } from './workload.mjs';
import { learn, modelPack, FULL, LEAN } from './suite.mjs';

const dirs = process.argv.slice(2);
const rs = [];
for (const d of dirs) {
  const { createRanker } = await import(pathToFileURL(resolve(d, 'index.js')).href);
  for (const [name, cfg] of [['full', FULL], ['lean', LEAN]]) {
    const r = await createRanker({ embeddingDim: 32, seed: 7, config: cfg, modelPack: modelPack(), persist: false });
    const { now } = learn(r, 32, 300);
    r.setCandidates(makeCandidates(1000, 32, 1));
    rs.push({ dir: d, name, r, ctx: makeContext(now), t: [] });
  }
}
for (const x of rs) for (let i = 0; i < 30; i++) x.r.rank(x.ctx);
for (let round = 0; round < 40; round++) {
  for (const x of rs) {
    for (let i = 0; i < 5; i++) {
      const a = performance.now();
      x.r.rank(x.ctx).id(0);
      x.t.push(performance.now() - a);
    }
  }
}
for (const x of rs) {
  x.t.sort((a, b) => a - b);
  const us = (q) => Math.round(x.t[Math.floor(x.t.length * q)] * 1000);
  console.log(`${x.name.padEnd(5)} median ${String(us(0.5)).padStart(6)} us  p10 ${String(us(0.1)).padStart(6)} us  ${x.dir}`);
}
