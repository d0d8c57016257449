// reelrank: on-device short-video feed ranking (WebAssembly core).
//
// The ES module entry. Works in browsers (main thread and workers) and in
// node. Types and documentation: index.d.ts.
//
//   import { createRanker } from 'reelrank';
//   const ranker = await createRanker({ embeddingDim: 32 });
//   const { ranked } = ranker.rank(candidates, { nowMs: Date.now() });
//   ranker.observe({ itemId: ranked[0].id, kind: 'impression' });

export { RankerError } from './errors.js';
export { Ranker, RankedBatch, createRanker, HEADS, EVENT_KINDS } from './ranker.js';
export { memoryStore } from './persist.js';
export { createRankerWorker, WorkerRanker } from './worker-client.js';
