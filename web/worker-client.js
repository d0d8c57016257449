// createRankerWorker(): the same API as createRanker(), run in a module Web
// Worker (web/worker.js) so ranking and learning never block the page.
// Every method returns a Promise. Candidate batches are packed into one
// ArrayBuffer on this side and transferred, not copied; rank results come
// back as one transferred buffer of typed columns (RankedBatch), with ids and
// labels resolved on this side.

import { RankerError, invalid } from './errors.js';
import { packCandidates, RankedBatch, plainResult, withBatchIndex } from './ranker.js';

/** A ranker running in a Web Worker; every method is async. */
export class WorkerRanker {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #dim = 0;
  #limits = null;
  #storage = { type: 'off' };
  #closed = false;
  #closing = Promise.resolve();
  // What the worker will rank for rank(context) once it has handled every
  // message sent so far. The worker handles messages in the order they were
  // sent, so this changes when setCandidates / clearCandidates is *called*,
  // not when it resolves. `batch` resolves to {info, rejected} (or null):
  // the batch sent, or, if the worker refused it, the one before.
  #registered = { batch: Promise.resolve(null) };

  /** @internal Use createRankerWorker(). */
  constructor(worker, onStorageEvent) {
    this.#worker = worker;
    worker.onmessage = ({ data }) => {
      if (data.op === 'storage') {
        onStorageEvent?.(data.event);
        return;
      }
      const p = this.#pending.get(data.id);
      if (!p) return;
      this.#pending.delete(data.id);
      if (data.ok) p.resolve(data.result);
      else p.reject(new RankerError(data.error.code, data.error.message));
    };
    worker.onerror = (e) => {
      this.#rejectPending(new RankerError('unavailable', `reelrank worker failed: ${e.message ?? 'unknown error'}`));
    };
  }

  /** @internal */
  _post(msg, transfer = []) {
    if (this.#closed) return Promise.reject(new RankerError('closed', 'ranker: already closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      try {
        this.#worker.postMessage({ ...msg, id }, transfer);
      } catch (e) {
        // Not cloneable (a function, a Symbol, ...): the worker never sees it.
        const what = msg.op === 'call' ? msg.method : msg.op;
        reject(invalid(what, `arguments cannot be sent to the worker (${String(e?.message ?? e).split('\n')[0]})`));
        return;
      }
      this.#pending.set(id, { resolve, reject });
    });
  }

  // Settles every call still waiting for the worker with `error`.
  #rejectPending(error) {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  /** @internal */
  async _init(options) {
    const r = await this._post({ op: 'create', options });
    this.#dim = r.embeddingDim;
    this.#limits = r.limits;
    this.#storage = r.storage;
  }

  #call(method, ...args) {
    return this._post({ op: 'call', method, args });
  }

  /** Embedding dimension this ranker expects. */
  get embeddingDim() { return this.#dim; }
  /** The outcome of restoring the saved profile at creation. */
  get storage() { return this.#storage; }

  /** Registers a batch in the worker; see Ranker.setCandidates. */
  async setCandidates(candidates) {
    if (this.#closed) throw new RankerError('closed', 'ranker: already closed');
    const p = packCandidates(candidates, this.#dim, this.#limits);
    const { info } = p;
    const sent = this._post({ op: 'setPacked', buffer: p.buffer, bytes: p.bytes, rejected: p.rejected }, [p.buffer])
      .then((rejected) => ({ info, rejected: withIds(rejected, info) }));
    const before = this.#registered.batch;
    this.#registered = { batch: sent.catch(() => before) };
    const batch = await sent;
    return { accepted: p.n - batch.rejected.length, rejected: batch.rejected, warnings: p.warnings };
  }

  /** Forgets the registered batch; see Ranker.clearCandidates. */
  async clearCandidates() {
    const sent = this.#call('clearCandidates');
    const before = this.#registered.batch;
    this.#registered = { batch: sent.then(() => null, () => before) };
    await sent;
  }

  /**
   * rank(context): ranks the registered batch in the worker (RankedBatch);
   * rank(candidates, context): one-shot {ranked, rejected, dropped}. See
   * Ranker.rank.
   */
  async rank(candidatesOrContext, context) {
    if (this.#closed) throw new RankerError('closed', 'ranker: already closed');
    if (Array.isArray(candidatesOrContext)) {
      const p = packCandidates(candidatesOrContext, this.#dim, this.#limits);
      const { info } = p;
      const r = await this._post({ op: 'rankOnce', buffer: p.buffer, bytes: p.bytes, rejected: p.rejected, context }, [p.buffer]);
      return { ...plainResult(new RankedBatch(r.buffer, info, withIds(r.rejected, info))), warnings: p.warnings };
    }
    if (candidatesOrContext !== undefined && (candidatesOrContext === null || typeof candidatesOrContext !== 'object')) {
      throw invalid('candidates', 'must be an array');
    }
    // Labelled by the batch the worker ranks: the latest one sent before
    // this call (awaited or not).
    const registered = this.#registered.batch;
    const r = await this._post({ op: 'rankKept', context: candidatesOrContext });
    const batch = await registered;
    if (batch === null) throw new RankerError('internal', 'rank: the worker ranked a batch this side does not know');
    return new RankedBatch(r.buffer, batch.info, batch.rejected);
  }

  async next(context) {
    const registered = this.#registered.batch;
    const item = await this.#call('next', context);
    return withBatchIndex(item, (await registered)?.info);
  }
  observe(event) { return this.#call('observe', event); }
  explain(id) { return this.#call('explain', id); }
  exportProfile() { return this.#call('exportProfile'); }
  importProfile(json) { return this.#call('importProfile', json); }
  forget(eventId) { return this.#call('forget', eventId); }
  reset() { return this.#call('reset'); }
  refreshFeed() { return this.#call('refreshFeed'); }
  setObjectiveWeights(weights) { return this.#call('setObjectiveWeights', weights); }
  setPolicy(policy) { return this.#call('setPolicy', policy); }
  pauseLearning(paused = true) { return this.#call('pauseLearning', paused); }
  setPersonalization(on) { return this.#call('setPersonalization', on); }
  loadModelPack(pack) { return this.#call('loadModelPack', pack); }
  profileSummary(k) { return this.#call('profileSummary', ...(k === undefined ? [] : [k])); }
  flush() { return this.#call('flush'); }

  /** Saves pending changes, frees the ranker and terminates the worker. */
  async close() {
    if (this.#closed) return this.#closing;
    const closing = this.#call('close');
    // Calls after this one are refused at once; every call sent before it
    // settles (the worker answers them in order, or they are rejected as
    // closed when the worker is gone).
    this.#closed = true;
    this.#closing = closing.finally(() => {
      this.#worker.terminate();
      this.#rejectPending(new RankerError('closed', 'ranker: closed before the worker answered'));
    });
    return this.#closing;
  }
}

// Rejections from the worker (input indices) with the ids this side knows.
function withIds(rejected, info) {
  return rejected.map((x) => ({ index: x.index, id: x.id ?? idOf(info, x.index), code: x.code, message: x.message }));
}
const idOf = (info, index) => {
  const k = info.rec[index * 13 + 1];
  return k >= 0 ? info.strs[k] : undefined;
};

/**
 * Starts a module Web Worker running a ranker; resolves when it is ready.
 * Options are those of createRanker (onStorageEvent is called on this side).
 */
export async function createRankerWorker(options = {}) {
  if (options === null || typeof options !== 'object') throw invalid('options', 'must be an object');
  if (typeof Worker !== 'function') throw new RankerError('unavailable', 'createRankerWorker: Web Workers are not available here (use createRanker)');
  const { onStorageEvent, workerUrl, ...rest } = options;
  if (onStorageEvent !== undefined && typeof onStorageEvent !== 'function') throw invalid('options.onStorageEvent', 'must be a function');
  if (rest.persist && typeof rest.persist === 'object' && rest.persist.store) {
    throw invalid('options.persist.store', 'cannot be sent to a worker (IndexedDB is used there)');
  }
  if (rest.baseUrl !== undefined) rest.baseUrl = new URL(String(rest.baseUrl), globalThis.location?.href).href;
  const worker = workerUrl
    ? new Worker(workerUrl, { type: 'module', name: 'reelrank' })
    : new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'reelrank' });
  const ranker = new WorkerRanker(worker, onStorageEvent);
  try {
    await ranker._init(rest);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return ranker;
}
