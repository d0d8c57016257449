// Quick speed check of a wasm build through the package (not a test; no
// assertions). Used to compare -O3 and -Oz builds:
//   node tests/node/speed.mjs [distDir ...]   (default: web/dist)
// Prints, per build: ms per rank() of 300 candidates (dim 32, median of 7
// rounds of 40 calls) and µs per observe().
import { createRanker } from '../../web/index.js';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) dirs.push(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../web/dist'));

function candidates(n, dim, seed) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => ({
    id: `v${i}`, author: `c${i % 37}`, tags: [`t${i % 11}`, `t${(i * 7) % 13}`], category: `cat${i % 5}`,
    sound: `s${i % 17}`, duration_ms: 5000 + (i % 30) * 1000, server_score: rnd(),
    embedding: Float32Array.from({ length: dim }, () => rnd() - 0.5),
  }));
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

for (const dir of dirs) {
  const baseUrl = pathToFileURL(path.resolve(dir) + '/');
  const ranker = await createRanker({ embeddingDim: 32, seed: 1, persist: false, baseUrl });
  const items = candidates(300, 32, 7);
  const T0 = 1_700_000_000_000;
  for (let i = 0; i < 20; i++) ranker.rank(items, { nowMs: T0 });
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    for (let i = 0; i < 40; i++) ranker.rank(items, { nowMs: T0 + i });
    rounds.push((performance.now() - t) / 40);
  }
  const obs = [];
  let n = 0;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < 400; i++) {
      const id = items[(n * 7) % items.length].id;
      ranker.observe({ eventId: `e${n++}`, itemId: id, kind: i % 2 ? 'swipe_away' : 'impression', timestampMs: T0 + n * 1000, dwellMs: 800, velocity: 2 });
    }
    obs.push(((performance.now() - t) / 400) * 1000);
  }
  console.log(`${dir}: rank(300 x dim 32) ${median(rounds).toFixed(3)} ms (min ${Math.min(...rounds).toFixed(3)}), observe ${median(obs).toFixed(1)} µs`);
  await ranker.close();
}
