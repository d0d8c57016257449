// reelrank: on-device short-video feed ranking (WebAssembly core).
//
// The ES module entry. Works in browsers (main thread and workers) and in
// node. It only adapts: validation of shapes, packing embeddings into one
// Float32Array, and turning core errors into RankerError. All ranking logic
// is in the wasm core.

const isNode =
  typeof process === 'object' &&
  typeof process.versions?.node === 'string' &&
  typeof window === 'undefined';

/** Error thrown by every reelrank call; `code` is a stable machine name. */
export class RankerError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'RankerError';
    this.code = code;
  }
}

// Core errors arrive as returned Error values "code: field: reason".
function unwrap(result) {
  if (result instanceof Error) {
    const m = /^([a-z_]+): ([\s\S]*)$/.exec(result.message);
    throw m ? new RankerError(m[1], m[2]) : new RankerError('internal', result.message);
  }
  return result;
}

async function loadFactory(jsUrl) {
  if (isNode) {
    const { createRequire } = await import('node:module');
    const { fileURLToPath } = await import('node:url');
    return createRequire(import.meta.url)(fileURLToPath(jsUrl));
  }
  if (typeof globalThis.createReelrankModule !== 'function') {
    if (typeof importScripts === 'function' && typeof document === 'undefined' && !isModuleWorker()) {
      importScripts(jsUrl);
    } else {
      await import(/* @vite-ignore */ jsUrl);
    }
  }
  return globalThis.createReelrankModule;
}

function isModuleWorker() {
  try {
    importScripts();  // throws in module workers
    return false;
  } catch {
    return true;
  }
}

const modules = new Map();

// Loads (once per base URL) and instantiates the wasm module.
async function loadModule(baseUrl) {
  const base = new URL(baseUrl ?? './dist/', import.meta.url);
  const key = base.href;
  if (!modules.has(key)) {
    modules.set(key, (async () => {
      const factory = await loadFactory(new URL('reelrank_core.js', base).href);
      const opts = { locateFile: (p) => new URL(p, base).href };
      if (isNode) {
        // node 20's fetch cannot read file paths: hand the bytes over.
        const { readFileSync } = await import('node:fs');
        opts.wasmBinary = readFileSync(new URL('reelrank_core.wasm', base));
      }
      return factory(opts);
    })());
  }
  try {
    return await modules.get(key);
  } catch (e) {
    modules.delete(key);
    throw new RankerError('unavailable', `could not load the reelrank wasm module from ${key}: ${e.message}`);
  }
}

function packCandidates(candidates, dim) {
  if (!Array.isArray(candidates)) {
    throw new RankerError('invalid_argument', 'candidates: must be an array');
  }
  let rows = 0;
  for (const c of candidates) if (c && c.embedding?.length === dim) rows++;
  const flat = new Float32Array(rows * dim);
  let row = 0;
  const meta = candidates.map((c) => {
    if (c === null || typeof c !== 'object') return c;
    const { embedding, ...rest } = c;
    if (embedding == null) return rest;
    // A wrong length is reported by the core, naming the candidate.
    if (embedding.length !== dim) return { ...rest, e_len: Number(embedding.length) || 0 };
    flat.set(embedding, row * dim);
    row++;
    return { ...rest, e: 1 };
  });
  return { json: JSON.stringify(meta), flat };
}

/** One on-device ranker. Call close() when done with it. */
export class Ranker {
  #raw;
  #dim;
  constructor(raw) {
    this.#raw = raw;
    this.#dim = raw._embeddingDim();
  }

  /** Embedding dimension this ranker expects. */
  get embeddingDim() {
    return this.#dim;
  }

  /**
   * Ranks candidates, best first. Malformed candidates are skipped and listed
   * in `rejected` with the reason; the rest are ranked.
   */
  rank(candidates, context = {}) {
    const { json, flat } = packCandidates(candidates, this.#dim);
    const r = unwrap(this.#live()._rank(json, flat, JSON.stringify(context)));
    const ranked = Array.from(r.order, (index, i) => ({
      id: candidates[index].id,
      index,
      value: r.values[i],
    }));
    const rejected = r.rejected.map((x) => ({
      index: x.index,
      id: candidates[x.index]?.id,
      code: x.code,
      message: x.message,
    }));
    return { ranked, rejected };
  }

  /** Frees the wasm memory of this ranker. Further calls throw. */
  close() {
    if (this.#raw) {
      this.#raw.delete();
      this.#raw = null;
    }
  }

  #live() {
    if (!this.#raw) throw new RankerError('closed', 'ranker: already closed');
    return this.#raw;
  }
}

/**
 * Loads the wasm module and creates a ranker.
 * @param {{embeddingDim?: number, seed?: number, baseUrl?: string|URL}} options
 */
export async function createRanker(options = {}) {
  const { embeddingDim = 32, seed = 1, baseUrl } = options;
  if (!Number.isInteger(embeddingDim) || embeddingDim < 1 || embeddingDim > 1024) {
    throw new RankerError('invalid_argument', 'options.embeddingDim: must be an integer in [1, 1024]');
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw new RankerError('invalid_argument', 'options.seed: must be a non-negative integer');
  }
  const module = await loadModule(baseUrl);
  return new Ranker(new module._Ranker(embeddingDim, seed));
}
