// reelrank Web Worker entry (a module worker). Started by
// createRankerWorker(); not meant to be used directly.
//
// Protocol (structured clone; typed arrays transferred):
//   main -> worker  {id, op: 'create', options}
//                   {id, op: 'call', method, args}
//                   {id, op: 'rank', json, flat (Float32Array), ids, context}
//   worker -> main  {id, ok: true, result} | {id, ok: false, error: {code, message}}
//                   {op: 'storage', event}        (persistence notices)
import { createRanker } from './ranker.js';

const CALLS = new Set([
  'next', 'observe', 'explain', 'exportProfile', 'importProfile', 'forget', 'reset',
  'setObjectiveWeights', 'setPolicy', 'pauseLearning', 'loadModelPack', 'profileSummary', 'flush', 'close',
]);

let ranker = null;

async function handle(msg) {
  if (msg.op === 'create') {
    if (ranker) throw Object.assign(new Error('this worker already has a ranker'), { code: 'failed_precondition' });
    ranker = await createRanker({ ...msg.options, onStorageEvent: (event) => self.postMessage({ op: 'storage', event }) });
    return { embeddingDim: ranker.embeddingDim, storage: ranker.storage };
  }
  if (!ranker) throw Object.assign(new Error('ranker: already closed'), { code: 'closed' });
  if (msg.op === 'rank') return ranker._rankPacked(msg.json, msg.flat, msg.ids, msg.context);
  if (msg.op === 'call' && CALLS.has(msg.method)) {
    const result = await ranker[msg.method](...(msg.args ?? []));
    if (msg.method === 'close') ranker = null;
    return result;
  }
  throw Object.assign(new Error(`unknown request ${msg.op}/${msg.method}`), { code: 'invalid_argument' });
}

self.onmessage = async ({ data }) => {
  try {
    const result = await handle(data);
    self.postMessage({ id: data.id, ok: true, result });
  } catch (e) {
    self.postMessage({ id: data.id, ok: false, error: { code: e?.code ?? 'internal', message: String(e?.message ?? e) } });
  }
};
