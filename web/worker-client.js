// createRankerWorker(): the same API as createRanker(), run in a module Web
// Worker (web/worker.js) so ranking and learning never block the page.
// Every method returns a Promise. Embeddings are packed into one
// Float32Array on this side and its buffer is transferred, not copied.

import { RankerError, invalid } from './errors.js';
import { packCandidates } from './ranker.js';

/** A ranker running in a Web Worker; every method is async. */
export class WorkerRanker {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #dim = 0;
  #storage = { type: 'off' };
  #closed = false;

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
      const err = new RankerError('unavailable', `reelrank worker failed: ${e.message ?? 'unknown error'}`);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
  }

  /** @internal */
  _post(msg, transfer = []) {
    if (this.#closed) return Promise.reject(new RankerError('closed', 'ranker: already closed'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...msg, id }, transfer);
    });
  }

  /** @internal */
  async _init(options) {
    const r = await this._post({ op: 'create', options });
    this.#dim = r.embeddingDim;
    this.#storage = r.storage;
  }

  #call(method, ...args) {
    return this._post({ op: 'call', method, args });
  }

  /** Embedding dimension this ranker expects. */
  get embeddingDim() { return this.#dim; }
  /** The outcome of restoring the saved profile at creation. */
  get storage() { return this.#storage; }

  /** Ranks candidates in the worker; see Ranker.rank. */
  async rank(candidates, context) {
    if (this.#closed) throw new RankerError('closed', 'ranker: already closed');
    const { json, flat, ids } = packCandidates(candidates, this.#dim);
    return this._post({ op: 'rank', json, flat, ids, context }, [flat.buffer]);
  }

  next(context) { return this.#call('next', context); }
  observe(event) { return this.#call('observe', event); }
  explain(id) { return this.#call('explain', id); }
  exportProfile() { return this.#call('exportProfile'); }
  importProfile(json) { return this.#call('importProfile', json); }
  forget(eventId) { return this.#call('forget', eventId); }
  reset() { return this.#call('reset'); }
  setObjectiveWeights(weights) { return this.#call('setObjectiveWeights', weights); }
  setPolicy(policy) { return this.#call('setPolicy', policy); }
  pauseLearning(paused = true) { return this.#call('pauseLearning', paused); }
  loadModelPack(pack) { return this.#call('loadModelPack', pack); }
  profileSummary(k) { return this.#call('profileSummary', ...(k === undefined ? [] : [k])); }
  flush() { return this.#call('flush'); }

  /** Saves pending changes, frees the ranker and terminates the worker. */
  async close() {
    if (this.#closed) return;
    try {
      await this.#call('close');
    } finally {
      this.#closed = true;
      this.#worker.terminate();
    }
  }
}

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
