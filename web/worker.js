// reelrank Web Worker entry (a module worker). Started by
// createRankerWorker(); not meant to be used directly.
//
// Protocol (structured clone; typed arrays transferred):
//   main -> worker  {id, op: 'create', options}
//                   {id, op: 'call', method, args}
//                   {id, op: 'setPacked', buffer, bytes, rejected}   (packed batch, transferred)
//                   {id, op: 'rankKept', context}                     (the registered batch)
//                   {id, op: 'rankOnce', buffer, bytes, rejected, context}
//                   rank results: {buffer (transferred)[, rejected]}
//   worker -> main  {id, ok: true, result} | {id, ok: false, error: {code, message}}
//                   {op: 'storage', event}        (persistence notices)
import { createRanker } from './ranker.js';

const CALLS = new Set([
  'clearCandidates', 'next', 'observe', 'explain', 'exportProfile', 'importProfile', 'forget', 'reset', 'refreshFeed',
  'setObjectiveWeights', 'setPolicy', 'pauseLearning', 'setPersonalization', 'loadModelPack', 'profileSummary', 'flush', 'close',
]);

let ranker = null;

async function handle(msg) {
  if (msg.op === 'create') {
    if (ranker) throw Object.assign(new Error('this worker already has a ranker'), { code: 'failed_precondition' });
    ranker = await createRanker({ ...msg.options, onStorageEvent: (event) => self.postMessage({ op: 'storage', event }) });
    return { embeddingDim: ranker.embeddingDim, storage: ranker.storage, limits: ranker._limits };
  }
  if (!ranker) throw Object.assign(new Error('ranker: already closed'), { code: 'closed' });
  if (msg.op === 'setPacked') {
    const b = ranker._setPacked(0, packed(msg));
    ranker._setRegistered(b);
    return b.rejected;
  }
  if (msg.op === 'rankKept') {
    ranker._requireRegistered();
    return transfer(ranker._rankRaw(0, msg.context));
  }
  if (msg.op === 'rankOnce') {
    const b = ranker._setPacked(1, packed(msg));
    try {
      return transfer({ ...ranker._rankRaw(1, msg.context), rejected: b.rejected });
    } finally {
      ranker._clearSlot(1);
    }
  }
  if (msg.op === 'call' && CALLS.has(msg.method)) {
    const result = await ranker[msg.method](...(msg.args ?? []));
    if (msg.method === 'close') ranker = null;
    return result;
  }
  throw Object.assign(new Error(`unknown request ${msg.op}/${msg.method}`), { code: 'invalid_argument' });
}

// The main side keeps ids and labels: the worker needs no string table.
const packed = (msg) => ({ buffer: msg.buffer, bytes: msg.bytes, rejected: msg.rejected, info: null });
const TRANSFER = Symbol('transfer');
const transfer = (r) => ({ [TRANSFER]: [r.buffer], value: r });

self.onmessage = async ({ data }) => {
  try {
    const result = await handle(data);
    if (result && result[TRANSFER]) self.postMessage({ id: data.id, ok: true, result: result.value }, result[TRANSFER]);
    else self.postMessage({ id: data.id, ok: true, result });
  } catch (e) {
    self.postMessage({ id: data.id, ok: false, error: { code: e?.code ?? 'internal', message: String(e?.message ?? e) } });
  }
};
