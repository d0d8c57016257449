// The main-thread (or in-worker) Ranker: adapts the raw Embind handle to the
// public API. It validates shapes, packs embeddings into one Float32Array,
// turns core errors into RankerError and persists the profile. All ranking
// logic lives in the wasm core.

import { RankerError, unwrap, invalid } from './errors.js';
import { indexedDbStore, checkRecord, otherSlot, STORE_FORMAT, STORE_VERSION } from './persist.js';

const isNode =
  typeof process === 'object' &&
  typeof process.versions?.node === 'string' &&
  typeof window === 'undefined' &&
  typeof WorkerGlobalScope === 'undefined';

// Hidden from bundlers: node built-ins are only loaded under node.
const nodeImport = (name) => import(/* @vite-ignore */ name);

// Literal URLs so bundlers (Vite, webpack 5) copy the module files as assets.
const DEFAULT_JS_URL = new URL('./dist/reelrank_core.js', import.meta.url);
const DEFAULT_WASM_URL = new URL('./dist/reelrank_core.wasm', import.meta.url);

/** Head names in the order of the core's heads. */
export const HEADS = Object.freeze(['continue', 'watch_ratio', 'finish', 'like', 'follow', 'share', 'comment', 'negative']);

/** Event kinds accepted by observe(). */
export const EVENT_KINDS = Object.freeze([
  'impression', 'progress', 'complete', 'replay', 'like', 'unlike', 'follow', 'share',
  'comment', 'swipe_away', 'not_interested', 'report', 'profile_visit',
]);

const SURFACES = { for_you: 0, following: 1, search: 2, profile: 3 };

function isModuleWorker() {
  try {
    importScripts(); // throws in module workers
    return false;
  } catch {
    return true;
  }
}

async function loadFactory(jsUrl) {
  if (isNode) {
    const { createRequire } = await nodeImport('node:module');
    const { fileURLToPath } = await nodeImport('node:url');
    return createRequire(import.meta.url)(fileURLToPath(jsUrl));
  }
  if (typeof globalThis.createReelrankModule !== 'function') {
    if (typeof importScripts === 'function' && typeof document === 'undefined' && !isModuleWorker()) {
      importScripts(jsUrl);
    } else {
      await import(/* @vite-ignore */ jsUrl);
    }
  }
  if (typeof globalThis.createReelrankModule !== 'function') {
    throw new Error(`${jsUrl} did not define createReelrankModule`);
  }
  return globalThis.createReelrankModule;
}

const modules = new Map();

// Loads (once per location) and instantiates the wasm module.
async function loadModule(baseUrl) {
  let jsUrl = DEFAULT_JS_URL;
  let wasmUrl = DEFAULT_WASM_URL;
  if (baseUrl !== undefined) {
    let base;
    try {
      base = new URL(String(baseUrl), globalThis.location?.href ?? import.meta.url);
    } catch {
      throw invalid('options.baseUrl', `not a URL: ${String(baseUrl)}`);
    }
    if (!base.pathname.endsWith('/')) base = new URL(`${base.pathname}/`, base);
    jsUrl = new URL('reelrank_core.js', base);
    wasmUrl = new URL('reelrank_core.wasm', base);
  }
  const key = jsUrl.href;
  if (!modules.has(key)) {
    modules.set(key, (async () => {
      const factory = await loadFactory(jsUrl.href);
      const opts = { locateFile: (p) => (p.endsWith('.wasm') ? wasmUrl.href : new URL(p, jsUrl).href) };
      if (isNode) {
        // node 20's fetch cannot read file paths: hand the bytes over.
        const { readFileSync } = await nodeImport('node:fs');
        opts.wasmBinary = readFileSync(wasmUrl);
      }
      return factory(opts);
    })());
  }
  try {
    return await modules.get(key);
  } catch (e) {
    modules.delete(key);
    throw new RankerError('unavailable', `could not load the reelrank wasm module from ${key}: ${e?.message ?? e}`, { cause: e });
  }
}

function finite(value, field) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
  return value;
}

// Packs candidates into the wire form: JSON metadata (embedding replaced by
// the flag e: 1) and one Float32Array with every embedding row in order.
export function packCandidates(candidates, dim) {
  if (!Array.isArray(candidates)) throw invalid('candidates', 'must be an array');
  let rows = 0;
  for (const c of candidates) if (c && c.embedding != null && c.embedding.length === dim) rows++;
  const flat = new Float32Array(rows * dim);
  let row = 0;
  const meta = candidates.map((c) => {
    if (c === null || typeof c !== 'object') return c ?? null;
    const { embedding, ...rest } = c;
    if (embedding == null) return rest;
    // A wrong length is reported by the core, naming the candidate.
    if (typeof embedding.length !== 'number' || embedding.length !== dim) {
      return { ...rest, e_len: Number(embedding.length) || 0 };
    }
    flat.set(embedding, row * dim);
    row++;
    return { ...rest, e: 1 };
  });
  return { json: JSON.stringify(meta), flat, ids: meta.map((m) => (m && typeof m === 'object' ? m.id : undefined)) };
}

// Context in JS (camelCase or snake_case) -> core JSON.
function contextJson(context) {
  if (context === undefined || context === null) context = {};
  if (typeof context !== 'object') throw invalid('context', 'must be an object');
  const pick = (camel, snake) => (context[camel] !== undefined ? context[camel] : context[snake]);
  const out = {};
  const now = pick('nowMs', 'now_ms');
  out.now_ms = now === undefined ? Date.now() : finite(now, 'context.nowMs');
  const hour = pick('hourOfDay', 'hour_of_day');
  if (hour === undefined) {
    out.hour_of_day = new Date(out.now_ms).getHours();
  } else if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw invalid('context.hourOfDay', 'must be an integer in [0, 23]');
  } else {
    out.hour_of_day = hour;
  }
  const depth = pick('sessionDepth', 'session_depth');
  if (depth !== undefined) {
    if (!Number.isInteger(depth) || depth < 0) throw invalid('context.sessionDepth', 'must be a non-negative integer');
    out.session_depth = depth;
  }
  if (context.surface !== undefined) {
    const s = typeof context.surface === 'string' ? SURFACES[context.surface] : context.surface;
    if (!Number.isInteger(s) || s < 0 || s > 3) {
      throw invalid('context.surface', 'must be "for_you", "following", "search" or "profile"');
    }
    out.surface = s;
  }
  return JSON.stringify(out);
}

// The raw rank result -> the public shape.
function rankResult(r, ids) {
  const H = HEADS.length;
  const ranked = Array.from(r.order, (index, i) => {
    const heads = {};
    for (let h = 0; h < H; h++) heads[HEADS[h]] = r.heads[i * H + h];
    return { id: ids[index], index, value: r.values[i], heads, contributions: r.contributions[i], seen: r.seen[i] === 1, ...r.pipeline?.[i] };
  });
  const rejected = r.rejected.map((x) => ({ index: x.index, id: ids[x.index], code: x.code, message: x.message }));
  const dropped = (r.dropped ?? []).map((x) => ({ index: x.index, id: ids[x.index], ruleId: x.ruleId, source: x.source, reason: x.reason }));
  return { ranked, rejected, dropped };
}

let eventCounter = 0;
function newEventId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  eventCounter++;
  return `ev-${Date.now().toString(36)}-${eventCounter}-${Math.random().toString(36).slice(2, 10)}`;
}

function jsonArg(value, field) {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') throw invalid(field, 'must be an object or a JSON string');
  return JSON.stringify(value);
}

// Persistence options -> null (off) or settings.
function persistOptions(persist) {
  if (persist === undefined) persist = typeof globalThis.indexedDB !== 'undefined';
  if (persist === false) return null;
  if (persist === true) persist = {};
  if (typeof persist !== 'object' || persist === null) throw invalid('options.persist', 'must be a boolean or an object');
  const { dbName = 'reelrank', key = 'default', debounceMs = 500, store } = persist;
  if (typeof dbName !== 'string' || dbName === '') throw invalid('options.persist.dbName', 'must be a non-empty string');
  if (typeof key !== 'string' || key === '') throw invalid('options.persist.key', 'must be a non-empty string');
  if (!Number.isFinite(debounceMs) || debounceMs < 0) throw invalid('options.persist.debounceMs', 'must be a number >= 0');
  if (store !== undefined && (typeof store?.load !== 'function' || typeof store?.write !== 'function')) {
    throw invalid('options.persist.store', 'must have load() and write(slot, record)');
  }
  return { dbName, key, debounceMs, store };
}

/**
 * One on-device ranker. Create it with createRanker(); call close() when
 * done (it saves pending changes and frees the wasm memory).
 */
export class Ranker {
  #raw;
  #dim;
  #persist = null; // { store, debounceMs, goodSlot, generation }
  #dirty = false;
  #timer = null;
  #saving = Promise.resolve();
  #settings = { objectiveWeights: {}, user: undefined };
  #policy = undefined;
  #onStorageEvent;
  #storage = { type: 'off' };
  #onHidden = null;

  /** @internal Use createRanker(). */
  constructor(raw, onStorageEvent) {
    this.#raw = raw;
    this.#dim = raw._embeddingDim();
    this.#onStorageEvent = onStorageEvent;
  }

  /** Embedding dimension this ranker expects. */
  get embeddingDim() {
    return this.#dim;
  }

  /** The outcome of restoring the saved profile at creation (see StorageEvent). */
  get storage() {
    return this.#storage;
  }

  /** Whether learning is paused (see pauseLearning). */
  get learningPaused() {
    return this.#live()._learningPaused();
  }

  /** Ranks candidates, best first; malformed ones are listed in `rejected`. */
  rank(candidates, context) {
    const { json, flat, ids } = packCandidates(candidates, this.#dim);
    return this._rankPacked(json, flat, ids, context);
  }

  /** @internal The worker entry calls this with already packed input. */
  _rankPacked(json, flat, ids, context) {
    const ctx = contextJson(context);
    return rankResult(unwrap(this.#live()._rank(json, flat, ctx)), ids);
  }

  /** The single item the full-screen feed shows now. */
  next(context) {
    this.#live();
    if (typeof this.#raw._next !== 'function') throw new RankerError('unimplemented', 'next: not available in this build of the core');
    const r = unwrap(this.#raw._next(contextJson(context)));
    if (r === null || r === undefined) return null;
    if (r.heads instanceof Float32Array) {
      const heads = {};
      HEADS.forEach((h, i) => { heads[h] = r.heads[i]; });
      r.heads = heads;
    }
    return r;
  }

  /** Learns from one event now; returns its eventId (for forget()). */
  observe(event) {
    if (event === null || typeof event !== 'object') throw invalid('event', 'must be an object');
    const { eventId = newEventId(), itemId, kind, timestampMs = Date.now(), dwellMs = 0, velocity = 0 } = event;
    if (typeof eventId !== 'string' || eventId === '') throw invalid('event.eventId', 'must be a non-empty string');
    if (typeof itemId !== 'string' || itemId === '') throw invalid('event.itemId', 'must be a non-empty string');
    if (typeof kind !== 'string') throw invalid('event.kind', `must be one of ${EVENT_KINDS.join(', ')}`);
    finite(timestampMs, 'event.timestampMs');
    finite(dwellMs, 'event.dwellMs');
    finite(velocity, 'event.velocity');
    unwrap(this.#live()._observe(eventId, itemId, kind, timestampMs, dwellMs, velocity));
    this.#changed();
    return eventId;
  }

  /** Why the ranker ranked `id` where it did (see Explanation). */
  explain(id) {
    this.#live();
    if (typeof id !== 'string' || id === '') throw invalid('id', 'must be a non-empty string');
    if (typeof this.#raw._explain !== 'function') throw new RankerError('unimplemented', 'explain: not available in this build of the core');
    const r = unwrap(this.#raw._explain(id));
    return typeof r === 'string' ? JSON.parse(r) : r;
  }

  /** The learned profile as versioned, checksummed JSON. */
  exportProfile() {
    return this.#live()._exportProfile();
  }

  /** Replaces the learned profile; on error nothing changes. */
  importProfile(json) {
    if (typeof json !== 'string') throw invalid('profile', 'must be a string (from exportProfile)');
    unwrap(this.#live()._importProfile(json));
    this.#changed();
  }

  /** Rebuilds the profile as if event `eventId` had never happened. */
  forget(eventId) {
    if (typeof eventId !== 'string' || eventId === '') throw invalid('eventId', 'must be a non-empty string');
    unwrap(this.#live()._forget(eventId));
    this.#changed();
  }

  /** Forgets everything learned (the model pack and settings stay). */
  reset() {
    this.#live()._reset();
    this.#changed();
  }

  /** Sets user-adjustable objective weights, all or nothing. */
  setObjectiveWeights(weights) {
    if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
      throw invalid('weights', 'must be an object like {"like": 2}');
    }
    unwrap(this.#live()._setObjectiveWeights(JSON.stringify(weights)));
    Object.assign(this.#settings.objectiveWeights, weights);
    this.#changed();
  }

  /** Sets the operator rules and/or the user's own controls. */
  setPolicy(policy) {
    if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
      throw invalid('policy', 'must be an object {rules?, user?}');
    }
    this.#live();
    this.#applyPolicy(policy);
    if (policy.user !== undefined) {
      this.#settings.user = policy.user;
      this.#changed();
    }
  }

  #applyPolicy(policy) {
    const raw = this.#raw;
    if (policy.rules !== undefined) {
      if (!Array.isArray(policy.rules)) throw invalid('policy.rules', 'must be an array of rules');
      if (typeof raw._setPolicy !== 'function') throw new RankerError('unimplemented', 'setPolicy: operator rules are not available in this build of the core');
      unwrap(raw._setPolicy(JSON.stringify({ version: policy.version ?? 1, rules: policy.rules })));
    }
    if (policy.user !== undefined) {
      if (policy.user === null || typeof policy.user !== 'object') throw invalid('policy.user', 'must be an object');
      if (typeof raw._setUserControls !== 'function') throw new RankerError('unimplemented', 'setPolicy: user controls are not available in this build of the core');
      unwrap(raw._setUserControls(JSON.stringify(userControlsJson(policy.user))));
    }
  }

  /** Pauses (true) or resumes (false) learning; events are then ignored. */
  pauseLearning(paused = true) {
    if (typeof paused !== 'boolean') throw invalid('paused', 'must be a boolean');
    this.#live()._pauseLearning(paused);
  }

  /** Loads global (non-personal) head weights. */
  loadModelPack(pack) {
    unwrap(this.#live()._loadModelPack(jsonArg(pack, 'modelPack')));
  }

  /** What the ranker has learned, for a "your interests" screen. */
  profileSummary(k = 10) {
    if (!Number.isInteger(k) || k < 0) throw invalid('k', 'must be a non-negative integer');
    const raw = this.#live();
    return {
      topInterests: raw._topInterests(k).map(({ name, weight }) => ({ name, weight })),
      objectiveWeights: raw._objectiveWeights(),
      stats: raw._stats(),
      learningPaused: raw._learningPaused(),
    };
  }

  /**
   * Saves pending profile changes now. Resolves after the storage
   * transaction has committed (then the profile survives a reload or crash).
   */
  flush() {
    if (!this.#persist) return Promise.resolve();
    if (this.#raw && this.#dirty) this.#enqueueSave(this.#raw._exportProfile());
    return this.#saving;
  }

  /**
   * Saves pending changes, frees the wasm memory and closes the store.
   * The ranker is unusable immediately; the promise resolves when saved.
   */
  close() {
    if (!this.#raw) return this.#saving;
    if (this.#persist && this.#dirty) this.#enqueueSave(this.#raw._exportProfile());
    this.#raw.delete();
    this.#raw = null;
    if (this.#onHidden) {
      globalThis.removeEventListener?.('pagehide', this.#onHidden);
      globalThis.document?.removeEventListener('visibilitychange', this.#onHidden);
    }
    const persist = this.#persist;
    return this.#saving.finally(() => persist?.store.close?.());
  }

  #live() {
    if (!this.#raw) throw new RankerError('closed', 'ranker: already closed');
    return this.#raw;
  }

  #emit(event) {
    if (this.#onStorageEvent) {
      try {
        this.#onStorageEvent(event);
      } catch (e) {
        setTimeout(() => { throw e; });
      }
    }
  }

  #changed() {
    if (!this.#persist) return;
    this.#dirty = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#raw && this.#dirty) this.#enqueueSave(this.#raw._exportProfile());
      this.#saving.catch(() => {}); // reported through the storage event
    }, this.#persist.debounceMs);
  }

  // Snapshots now (synchronously), writes in order after earlier saves.
  #enqueueSave(profile) {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#dirty = false;
    const p = this.#persist;
    const settings = structuredClone(this.#settings);
    this.#saving = this.#saving.catch(() => {}).then(async () => {
      const generation = p.generation + 1;
      const slot = otherSlot(p.goodSlot);
      const record = { format: STORE_FORMAT, version: STORE_VERSION, generation, savedAt: Date.now(), length: profile.length, profile, settings };
      try {
        await p.store.write(slot, record);
      } catch (e) {
        this.#dirty = true; // try again on the next change or flush
        this.#emit({ type: 'error', op: 'save', message: String(e?.message ?? e) });
        throw new RankerError('storage', `saving the profile failed: ${e?.message ?? e}`, { cause: e });
      }
      p.goodSlot = slot;
      p.generation = generation;
      this.#emit({ type: 'saved', generation });
    });
    return this.#saving;
  }

  /** @internal Called by createRanker: restores the saved profile. */
  async _attachStore(opts) {
    let store = opts.store;
    if (!store) {
      try {
        store = await indexedDbStore({ dbName: opts.dbName, key: opts.key });
      } catch (e) {
        this.#storage = { type: 'error', op: 'open', message: String(e?.message ?? e) };
        this.#emit(this.#storage);
        return;
      }
    }
    let loaded;
    try {
      loaded = await store.load();
    } catch (e) {
      this.#storage = { type: 'error', op: 'load', message: String(e?.message ?? e) };
      this.#emit(this.#storage);
      store.close?.();
      return;
    }
    const head = loaded.head === 'a' || loaded.head === 'b' ? loaded.head : undefined;
    const order = head ? [head, otherSlot(head)] : ['a', 'b'];
    const problems = [];
    let restored = null;
    let generation = 0;
    for (const slot of order) {
      const record = loaded[slot];
      if (record === undefined || record === null) {
        // The head names a copy that is not there: report it, use the backup.
        if (slot === head) problems.push({ slot, reason: 'missing' });
        continue;
      }
      if (Number.isFinite(record?.generation)) generation = Math.max(generation, record.generation);
      const reason = checkRecord(record) ?? this.#restoreRecord(record);
      if (reason === null) {
        restored = slot;
        break;
      }
      problems.push({ slot, reason });
    }
    this.#persist = { store, debounceMs: opts.debounceMs, goodSlot: restored ?? head ?? 'b', generation };
    if (restored === null) {
      this.#raw._reset();
      this.#storage = problems.length === 0 ? { type: 'fresh' } : { type: 'reset', reason: problems[0].reason, problems };
    } else if (problems.length === 0) {
      this.#storage = { type: 'restored', source: 'current', generation: loaded[restored].generation };
    } else {
      this.#storage = { type: 'recovered', source: 'backup', reason: problems[0].reason, problems, generation: loaded[restored].generation };
    }
    this.#emit(this.#storage);
    if (problems.length > 0 && restored !== null) {
      // Make the good version current again so a second failure still has it.
      this.#dirty = true;
      this.#enqueueSave(this.#raw._exportProfile()).catch(() => {});
    }
    if (typeof globalThis.document?.addEventListener === 'function') {
      this.#onHidden = () => {
        if (globalThis.document.visibilityState !== 'visible') this.flush().catch(() => {});
      };
      globalThis.document.addEventListener('visibilitychange', this.#onHidden);
      globalThis.addEventListener?.('pagehide', this.#onHidden);
    }
  }

  // Imports one stored record; returns null or the reason it was refused.
  #restoreRecord(record) {
    const err = this.#raw._importProfile(record.profile);
    if (err instanceof Error) {
      const code = /^([a-z_]+):/.exec(err.message)?.[1];
      return code === 'unimplemented' ? 'unknown_version' : code === 'invalid_argument' ? 'incompatible' : 'corrupt';
    }
    const settings = record.settings ?? {};
    const weights = settings.objectiveWeights ?? {};
    if (Object.keys(weights).length > 0 && this.#raw._setObjectiveWeights(JSON.stringify(weights)) === null) {
      this.#settings.objectiveWeights = { ...weights };
    }
    if (settings.user !== undefined) {
      try {
        this.#applyPolicy({ user: settings.user });
        this.#settings.user = settings.user;
      } catch {
        // user controls unavailable in this build: keep them for later saves
        this.#settings.user = settings.user;
      }
    }
    return null;
  }
}

// The JS shape of user controls -> the core's JSON keys.
function userControlsJson(user) {
  const out = {};
  const map = {
    blockedCreators: 'blocked_authors', blockedAuthors: 'blocked_authors', blockedSounds: 'blocked_sounds',
    blockedHashtags: 'blocked_tags', blockedTags: 'blocked_tags', blockedKeywords: 'blocked_keywords',
    maturity: 'max_maturity', notInterestedTopics: 'not_interested_topics',
  };
  for (const [k, v] of Object.entries(user)) {
    if (v === undefined) continue;
    const key = map[k];
    if (key === undefined && !Object.values(map).includes(k)) throw invalid(`policy.user.${k}`, 'unknown field');
    if (key === 'not_interested_topics' && Array.isArray(v)) {
      out[key] = v.map((t) => (t && typeof t === 'object' && t.atMs !== undefined ? { topic: t.topic, at_ms: t.atMs } : t));
    } else {
      out[key ?? k] = v;
    }
  }
  return out;
}

/**
 * Loads the wasm module (once per location) and creates a ranker, restoring
 * the saved profile when persistence is on.
 */
export async function createRanker(options = {}) {
  if (options === null || typeof options !== 'object') throw invalid('options', 'must be an object');
  const { embeddingDim, seed, config, modelPack, policy, persist, baseUrl, onStorageEvent } = options;
  if (embeddingDim !== undefined && (!Number.isInteger(embeddingDim) || embeddingDim < 1 || embeddingDim > 1024)) {
    throw invalid('options.embeddingDim', 'must be an integer in [1, 1024]');
  }
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) {
    throw invalid('options.seed', 'must be a non-negative safe integer');
  }
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) {
    throw invalid('options.config', 'must be an object (RankerConfig JSON)');
  }
  if (onStorageEvent !== undefined && typeof onStorageEvent !== 'function') {
    throw invalid('options.onStorageEvent', 'must be a function');
  }
  const persistOpts = persistOptions(persist);
  const cfg = { ...(config ?? {}) };
  if (embeddingDim !== undefined || cfg.embedding_dim === undefined) cfg.embedding_dim = embeddingDim ?? 32;
  if (seed !== undefined || cfg.seed === undefined) cfg.seed = seed ?? 1;

  const module = await loadModule(baseUrl);
  const raw = new module._Ranker(JSON.stringify(cfg));
  const err = raw._initError();
  if (err !== null) {
    raw.delete();
    unwrap(err);
  }
  const ranker = new Ranker(raw, onStorageEvent);
  try {
    if (modelPack !== undefined) ranker.loadModelPack(modelPack);
    if (policy !== undefined) ranker.setPolicy(policy);
    if (persistOpts) await ranker._attachStore(persistOpts);
  } catch (e) {
    ranker.close();
    throw e;
  }
  return ranker;
}
