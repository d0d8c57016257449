// The rank hot path through the public web API, N = 1,000, dim 32, full
// pipeline and lean, shared by node and Chromium (bench_hotpath.mjs):
//   - oneshot:    rank(candidates, context)  (packs + parses the batch every call)
//   - set:        setCandidates(candidates)   (once per server batch)
//   - registered: rank(context) on the registered batch (what a feed does
//                 after every swipe), reading the top item's id
//   - registered_materialized: the same plus building every RankedItem
// Works with builds that lack setCandidates (then only "oneshot").
import { makeCandidates, makeContext, timeCalls } from './workload.mjs';
import { learn, modelPack, FULL, LEAN } from './suite.mjs';

export async function runHotpath({ createRanker, quick = false, log = () => {}, n = 1000, dim = 32 }) {
  const out = {};
  const minMs = quick ? 300 : 1500;
  for (const [name, cfg] of [['full', FULL], ['lean', LEAN]]) {
    const r = await createRanker({ embeddingDim: dim, seed: 7, config: cfg, modelPack: modelPack(), persist: false });
    const { now } = learn(r, dim, 300);
    const ctx = makeContext(now);
    const cands = makeCandidates(n, dim, 1);
    out[`oneshot_${name}`] = timeCalls(() => r.rank(cands, ctx), { minMs });
    if (typeof r.setCandidates === 'function') {
      out[`set_${name}`] = timeCalls(() => r.setCandidates(cands), { minMs, warmup: 5 });
      r.setCandidates(cands);
      let sink = 0;
      out[`registered_${name}`] = timeCalls(() => {
        sink += r.rank(ctx).order[0];
      }, { minMs });
      out[`registered_materialized_${name}`] = timeCalls(() => {
        sink += r.rank(ctx).ranked.length;
      }, { minMs });
      out.sink = sink;
    }
    log(`${name}: ${JSON.stringify(Object.fromEntries(Object.entries(out).filter(([k]) => k.endsWith(name)).map(([k, v]) => [k, v.median_us])))}`);
    await r.close();
  }
  return out;
}
