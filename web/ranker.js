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

// Fetches and compiles the wasm binary: streaming when the server sends
// application/wasm, else from the bytes. Rejects on an HTTP error.
async function compileWasm(url) {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

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
      // Browsers: fetch + compile the wasm while the glue script loads (one
      // round trip instead of two in a row), then hand the compiled module to
      // the glue through its instantiateWasm hook.
      const compiled = isNode ? null : compileWasm(wasmUrl.href);
      compiled?.catch(() => {}); // reported below, through the factory
      const factory = await loadFactory(jsUrl.href);
      const opts = { locateFile: (p) => (p.endsWith('.wasm') ? wasmUrl.href : new URL(p, jsUrl).href) };
      if (isNode) {
        // node 20's fetch cannot read file paths: hand the bytes over.
        const { readFileSync } = await nodeImport('node:fs');
        opts.wasmBinary = readFileSync(wasmUrl);
        return factory(opts);
      }
      let failed;
      const failure = new Promise((_, reject) => { failed = reject; });
      opts.instantiateWasm = (imports, receive) => {
        compiled
          .then((mod) => WebAssembly.instantiate(mod, imports).then((inst) => receive(inst, mod)))
          .catch(failed);
        return {}; // exports arrive through receive()
      };
      return Promise.race([factory(opts), failure]);
    })());
  }
  try {
    return await modules.get(key);
  } catch (e) {
    modules.delete(key);
    throw new RankerError('unavailable', `could not load the reelrank wasm module from ${key}: ${e?.message ?? e}`, { cause: e });
  }
}

// One rule for strings at the boundary: every string a caller passes in must
// be well-formed UTF-16. A lone surrogate has no UTF-8 form (TextEncoder and
// Embind would each substitute U+FFFD, so two ids could collide and an id
// could come back changed); such a string is rejected naming its field.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !LONE_SURROGATE.test(s);
const NOT_WELL_FORMED = 'not well-formed UTF-16 (contains a lone surrogate)';
// JSON.stringify writes a lone surrogate as an escape, a paired one as is.
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/** A non-empty, well-formed string or a RankerError naming `field`. */
function idArg(value, field) {
  if (typeof value !== 'string' || value === '') throw invalid(field, 'must be a non-empty string');
  if (!wellFormed(value)) throw invalid(field, NOT_WELL_FORMED);
  return value;
}

/**
 * `value` as JSON text for the core, or a RankerError naming `field` when it
 * cannot be written (BigInt, a cycle, a throwing toJSON) or holds a string
 * that is not well-formed.
 */
function toJson(value, field) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw invalid(field, `cannot be written as JSON (${String(e?.message ?? e).split('\n')[0]})`);
  }
  if (typeof text !== 'string') throw invalid(field, 'cannot be written as JSON');
  if (LONE_SURROGATE_ESCAPE.test(text)) throw invalid(field, `has a string that is ${NOT_WELL_FORMED}`);
  return text;
}

function finite(value, field) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
  return value;
}

// ---- Packed candidate batches (layout: wasm/marshal.h) -------------------

const REC = 13; // ints per candidate record (RecField in wasm/marshal.h)
const R_SKIP = 0, R_ID = 1, R_AUTHOR = 2, R_CATEGORY = 3, R_SOUND = 4, R_CAPTION = 5, R_REGION = 6;
const R_TAG_START = 7, R_TAG_COUNT = 8, R_SAFETY_START = 9, R_SAFETY_COUNT = 10, R_MATURITY = 11, R_EMB_ROW = 12;
const MATURITY = { general: 0, teen: 1, mature: 2 };
const STRING_FIELDS = [['id', R_ID], ['author', R_AUTHOR], ['category', R_CATEGORY], ['sound', R_SOUND], ['caption', R_CAPTION], ['region', R_REGION]];
const NUMBER_FIELDS = ['duration_ms', 'created_at', 'server_score'];
const align8 = (x) => (x + 7) & ~7;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Imports profile text through the handle's input buffer: the browser's
// encoder writes the UTF-8 bytes straight into wasm memory (one native copy;
// Embind's std::string marshal runs JS loops over every character or byte,
// the bulk of the JS side of restoring a 219 KB profile on a cold page). The
// buffer is first sized for ASCII text (one byte per code unit), then for the
// worst case if the text did not fit, never beyond the core's byte limit
// (text beyond it is refused before it is copied, so a huge input does not
// grow wasm memory for good). Returns what `_importProfileInput` returns
// (null or an Error), or the same kind of Error for text over the limit.
function importProfileText(M, raw, text) {
  const limit = raw._profileBytesLimit();
  const over = () => new Error(`invalid_argument: profile: more than ${limit} bytes (the limit for this ranker's config)`);
  if (text.length > limit) return over();
  let cap = text.length;
  for (;;) {
    const ptr = raw._inputBuffer(cap);
    const { read, written } = encoder.encodeInto(text, M.HEAPU8.subarray(ptr, ptr + cap));
    if (read === text.length) return raw._importProfileInput(written);
    if (cap >= limit) return over();
    cap = Math.min(text.length * 3, limit);
  }
}

/**
 * @internal Packs candidates into one ArrayBuffer (wasm/marshal.h layout):
 * numbers, embeddings and string indices in typed sections plus one UTF-8
 * string table. Type errors are found here and reported per candidate
 * (`rejected`, input order); value checks (ids, ranges, duplicates) are the
 * core's. `info` keeps what results need on the JS side (ids, label strings).
 */
export function packCandidates(candidates, dim, limits = null) {
  if (!Array.isArray(candidates)) throw invalid('candidates', 'must be an array');
  // Strings longer than the core's byte limit (in UTF-16 units, so surely
  // longer in bytes) never reach the string table; past the batch budget the
  // remaining candidates are rejected (so no batch outgrows a JS string).
  const budget = { left: limits?.batch_units ?? Infinity, limits };
  const n = candidates.length;
  const rec = new Int32Array(n * REC);
  const nums = new Float64Array(n * 3);
  const strs = [];
  const tagStr = [];
  const safetyStr = [];
  const safetyConf = [];
  const embs = [];
  const rejected = [];
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    const r = i * REC;
    rec[r + R_EMB_ROW] = -1;
    const reason = c === null || typeof c !== 'object' || Array.isArray(c)
      ? [`candidates[${i}]`, 'must be an object']
      : packOne(c, i, dim, rec, r, nums, strs, tagStr, safetyStr, safetyConf, embs, budget);
    if (reason !== null) {
      rec[r + R_SKIP] = 1;
      if (c !== null && typeof c === 'object' && typeof c.id === 'string' && c.id.length <= (limits?.id ?? Infinity)) {
        rec[r + R_ID] = strs.length;
        strs.push(c.id);
      } else {
        rec[r + R_ID] = -1;
      }
      rejected.push({ index: i, code: 'invalid_argument', message: `${reason[0]}: ${reason[1]}` });
    }
  }
  // Layout.
  const oNums = 32;
  const oEmb = align8(oNums + n * 24);
  const oConf = align8(oEmb + embs.length * dim * 4);
  const oRec = align8(oConf + safetyConf.length * 4);
  const oTags = align8(oRec + n * REC * 4);
  const oSafety = align8(oTags + tagStr.length * 4);
  const oOff = align8(oSafety + safetyStr.length * 4);
  const oStr = align8(oOff + (strs.length + 1) * 4);
  const joined = strs.join('');
  const buffer = new ArrayBuffer(align8(oStr + joined.length * 3 + 8));
  const u8 = new Uint8Array(buffer);
  const off = new Int32Array(buffer, oOff, strs.length + 1);
  // One UTF-8 encode of every string; per string only if any is non-ASCII.
  let bytes = encoder.encodeInto(joined, u8.subarray(oStr)).written;
  if (bytes === joined.length) {
    for (let k = 0, at = 0; k < strs.length; k++) off[k + 1] = at += strs[k].length;
  } else {
    bytes = 0;
    for (let k = 0; k < strs.length; k++) {
      bytes += encoder.encodeInto(strs[k], u8.subarray(oStr + bytes)).written;
      off[k + 1] = bytes;
    }
  }
  new Int32Array(buffer, 0, 8).set([n, dim, strs.length, bytes, tagStr.length, safetyStr.length, embs.length, 0]);
  new Float64Array(buffer, oNums, n * 3).set(nums);
  const emb = new Float32Array(buffer, oEmb, embs.length * dim);
  for (let k = 0; k < embs.length; k++) emb.set(embs[k], k * dim);
  new Float32Array(buffer, oConf, safetyConf.length).set(safetyConf);
  new Int32Array(buffer, oRec, n * REC).set(rec);
  new Int32Array(buffer, oTags, tagStr.length).set(tagStr);
  new Int32Array(buffer, oSafety, safetyStr.length).set(safetyStr);
  return { buffer, bytes: oStr + bytes, n, rejected, warnings: unknownFieldWarnings(candidates), info: { n, rec, strs, tagStr } };
}

// Packs candidate `c` (an object) into record `r`; null or [field, reason].
function packOne(c, i, dim, rec, r, nums, strs, tagStr, safetyStr, safetyConf, embs, budget) {
  const reason = stringsReason(c, i, budget);
  if (reason !== null) return reason;
  for (const [key, slot] of STRING_FIELDS) {
    const v = c[key];
    if (v === undefined || v === null) {
      rec[r + slot] = -1;
    } else if (typeof v !== 'string') {
      return [`candidates[${i}].${key}`, 'must be a string'];
    } else if (!wellFormed(v)) {
      return [`candidates[${i}].${key}`, NOT_WELL_FORMED];
    } else {
      rec[r + slot] = strs.length;
      strs.push(v);
    }
  }
  nums[i * 3 + 2] = 0.5; // server_score default
  for (let k = 0; k < 3; k++) {
    const v = c[NUMBER_FIELDS[k]];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) return [`candidates[${i}].${NUMBER_FIELDS[k]}`, 'must be a finite number'];
    nums[i * 3 + k] = v;
  }
  const m = c.maturity;
  if (m !== undefined && m !== null) {
    let code;
    if (typeof m === 'string') code = Object.hasOwn(MATURITY, m) ? MATURITY[m] : undefined;
    else if (Number.isInteger(m) && m >= -0x80000000 && m <= 0x7fffffff) code = m;
    if (code === undefined) return [`candidates[${i}].maturity`, 'must be 0, 1, 2, "general", "teen" or "mature"'];
    rec[r + R_MATURITY] = code;
  }
  const tags = c.tags;
  rec[r + R_TAG_START] = tagStr.length;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) return [`candidates[${i}].tags`, 'must be an array of strings'];
    for (let t = 0; t < tags.length; t++) {
      if (typeof tags[t] !== 'string' || !wellFormed(tags[t])) {
        tagStr.length = rec[r + R_TAG_START];
        return [`candidates[${i}].tags[${t}]`, typeof tags[t] !== 'string' ? 'must be a string' : NOT_WELL_FORMED];
      }
      tagStr.push(strs.length);
      strs.push(tags[t]);
    }
    rec[r + R_TAG_COUNT] = tags.length;
  }
  const safety = c.safety;
  rec[r + R_SAFETY_START] = safetyStr.length;
  if (safety !== undefined && safety !== null) {
    if (typeof safety !== 'object' || Array.isArray(safety)) {
      tagStr.length = rec[r + R_TAG_START];
      return [`candidates[${i}].safety`, 'must be an object of label: confidence'];
    }
    let count = 0;
    for (const name in safety) {
      if (!Object.hasOwn(safety, name)) continue;
      const v = safety[name];
      if (typeof v !== 'number' || !wellFormed(name)) {
        tagStr.length = rec[r + R_TAG_START];
        safetyStr.length = safetyConf.length = rec[r + R_SAFETY_START];
        return [`candidates[${i}].safety.${name}`, typeof v !== 'number' ? 'must be a number' : `name ${NOT_WELL_FORMED}`];
      }
      safetyStr.push(strs.length);
      strs.push(name);
      safetyConf.push(v);
      count++;
    }
    rec[r + R_SAFETY_COUNT] = count;
  }
  const e = c.embedding;
  if (e !== undefined && e !== null) {
    const reason = embeddingReason(e, dim);
    if (reason !== null) {
      tagStr.length = rec[r + R_TAG_START];
      safetyStr.length = safetyConf.length = rec[r + R_SAFETY_START];
      return [`candidates[${i}].embedding${reason[0]}`, reason[1]];
    }
    rec[r + R_EMB_ROW] = embs.length;
    embs.push(e);
  }
  return null;
}

// Candidate fields reelrank reads (index.d.ts Candidate); others are ignored
// and reported once per name by unknownFieldWarnings.
const CANDIDATE_FIELDS = new Set([
  'id', 'author', 'tags', 'category', 'sound', 'caption', 'region', 'duration_ms', 'created_at',
  'embedding', 'safety', 'maturity', 'server_score',
]);
// What an unknown field most likely meant.
const FIELD_HINTS = {
  creator: 'author', creator_id: 'author', author_id: 'author', user_id: 'author', hashtags: 'tags',
  topics: 'tags', topic: 'category', music: 'sound', music_id: 'sound', sound_id: 'sound',
  title: 'caption', description: 'caption', text: 'caption', durationMs: 'duration_ms', duration: 'duration_ms',
  createdAt: 'created_at', created_at_ms: 'created_at', serverScore: 'server_score', score: 'server_score',
  itemId: 'id', item_id: 'id', video_id: 'id',
};

/**
 * The candidates' own fields reelrank does not read, one warning per field
 * name: {field, count, index (the first candidate with it), message}, e.g.
 * "candidates[0].creator: unknown field, ignored in 20 candidates (did you
 * mean 'author'?)". In order of first appearance.
 */
export function unknownFieldWarnings(candidates) {
  const seen = new Map();
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c === null || typeof c !== 'object') continue;
    for (const key in c) {
      if (CANDIDATE_FIELDS.has(key) || !Object.hasOwn(c, key)) continue;
      const w = seen.get(key);
      if (w) w.count++;
      else seen.set(key, { field: key, count: 1, index: i });
    }
  }
  return [...seen.values()].map((w) => {
    const hint = Object.hasOwn(FIELD_HINTS, w.field) ? ` (did you mean '${FIELD_HINTS[w.field]}'?)` : '';
    return { ...w, message: `candidates[${w.index}].${w.field}: unknown field, ignored in ${w.count} candidate${w.count === 1 ? '' : 's'}${hint}` };
  });
}

// Checks candidate `c`'s strings against the limits and takes their length
// from the batch budget; null or [field, reason].
function stringsReason(c, i, budget) {
  const lim = budget.limits;
  if (lim === null) return null;
  // UTF-8 has at least as many bytes as UTF-16 has code units.
  const over = (field, v, limit) => [`candidates[${i}].${field}`, `at least ${v.length} bytes, limit ${limit}`];
  let units = 0;
  for (const [key] of STRING_FIELDS) {
    const v = c[key];
    if (typeof v !== 'string') continue;
    if (v.length > lim[key]) return over(key, v, lim[key]);
    units += v.length;
  }
  if (Array.isArray(c.tags)) {
    for (let t = 0; t < c.tags.length; t++) {
      const v = c.tags[t];
      if (typeof v !== 'string') continue;
      if (v.length > lim.tag) return over(`tags[${t}]`, v, lim.tag);
      units += v.length;
    }
  }
  if (c.safety !== null && typeof c.safety === 'object') {
    for (const name in c.safety) {
      if (name.length > lim.safety_label) return [`candidates[${i}].safety`, `a label of at least ${name.length} bytes, limit ${lim.safety_label}`];
      units += name.length;
    }
  }
  if (units > budget.left) return [`candidates[${i}]`, `the batch's strings exceed ${lim.batch_units} UTF-16 code units; this candidate and any after it that do not fit are skipped`];
  budget.left -= units;
  return null;
}

// An embedding is an Array of numbers or a Float32Array / Float64Array (or
// another numeric typed array) of `dim` elements; null or [suffix, reason].
function embeddingReason(e, dim) {
  if (ArrayBuffer.isView(e)) {
    if (e instanceof DataView || e instanceof BigInt64Array || e instanceof BigUint64Array) {
      return ['', 'must be an array of numbers or a Float32Array'];
    }
  } else if (Array.isArray(e)) {
    if (e.length === dim) {
      for (let k = 0; k < dim; k++) {
        if (typeof e[k] !== 'number') return [`[${k}]`, 'must be a number'];
      }
    }
  } else {
    return ['', 'must be an array of numbers or a Float32Array'];
  }
  if (e.length !== dim) return ['', `expected ${dim} floats, got ${e.length}`];
  return null;
}

const infoId = (info, index) => {
  if (!info) return undefined;
  const k = info.rec[index * REC + R_ID];
  return k >= 0 ? info.strs[k] : undefined;
};
const infoStr = (info, index, slot) => {
  const k = info.rec[index * REC + slot];
  return k >= 0 ? info.strs[k] : '';
};

const KINDS = ['bias', 'prior', 'tag', 'author', 'sound', 'category', 'duration', 'cross', 'interest_long', 'interest_session', 'not_interested', 'seen'];
const ACTIONS = ['allow', 'boost', 'demote', 'interstitial', 'drop'];
const SOURCES = ['none', 'operator', 'user', 'fatigue'];
const SURFACES = { for_you: 0, following: 1, search: 2, profile: 3 };

// A short readable name of what a contribution is attributed to; `info` and
// `index` locate the candidate (info null: generic names).
function contributionLabel(kind, sub, info, index) {
  const s = (slot) => (info ? infoStr(info, index, slot) : '');
  switch (kind) {
    case 2: {
      if (!info) return 'tag';
      const r = index * REC;
      return sub >= 0 && sub < info.rec[r + R_TAG_COUNT] ? '#' + info.strs[info.tagStr[info.rec[r + R_TAG_START] + sub]] : 'tag';
    }
    case 3: return '@' + s(R_AUTHOR);
    case 4: return 'sound ' + s(R_SOUND);
    case 5: return s(R_CATEGORY);
    case 7: return s(R_CATEGORY) + (sub === 0 ? ' x duration' : ' x hour');
    case 6: return 'duration';
    case 1: return 'server score';
    case 8: return 'long-term interests';
    case 9: return 'this session';
    case 10: return 'not interested';
    case 11: return 'already seen';
    default: return 'bias';
  }
}

/**
 * The result of ranking a registered batch: typed columns, best first, and
 * per-item objects built only when asked for (item(i), ranked).
 */
export class RankedBatch {
  #info;
  #mult;
  #prediv;
  #cval;
  #cidx;
  #ckind;
  #ccount;
  #cstride;
  #flags;
  #action;
  #rule;
  #dIndex;
  #dRule;
  #dReason;
  #dSource;
  #strOff;
  #strBytes;
  #strs;
  #dropped = null;
  #ranked = null;

  /** @internal Built by Ranker.rank / WorkerRanker.rank from the output buffer (wasm/marshal.h). */
  constructor(buffer, info, rejected) {
    const header = new Int32Array(buffer, 0, 8);
    const n = header[0];
    const nd = header[1];
    const ns = header[2];
    let o = 32;
    const take = (T, count) => {
      const v = new T(buffer, o, count);
      o = align8(o + count * T.BYTES_PER_ELEMENT);
      return v;
    };
    const H = HEADS.length;
    const C = header[5]; // contributions per item: 4, or 0 when no item has any
    /** Number of ranked items. */
    this.length = n;
    /** Value of each ranked item, best first. */
    this.values = take(Float64Array, n);
    this.#mult = take(Float64Array, n);
    /** Input index (position in the batch) of each ranked item, best first. */
    this.order = take(Int32Array, n);
    this.#prediv = take(Int32Array, n);
    /** Head predictions, n x 8 row-major in HEADS order. */
    this.heads = take(Float32Array, n * H);
    this.#cstride = C;
    this.#cval = take(Float32Array, n * C);
    this.#cidx = take(Int32Array, n * C);
    this.#ckind = take(Uint8Array, n * C);
    this.#ccount = take(Uint8Array, n);
    this.#flags = take(Uint8Array, n);
    this.#action = take(Uint8Array, n);
    this.#rule = take(Int32Array, n);
    this.#dIndex = take(Int32Array, nd);
    this.#dRule = take(Int32Array, nd);
    this.#dReason = take(Int32Array, nd);
    this.#dSource = take(Uint8Array, nd);
    this.#strOff = take(Int32Array, ns + 1);
    this.#strBytes = new Uint8Array(buffer, o, header[4]);
    this.#strs = new Array(ns);
    this.#info = info;
    /** Invalid candidates of the batch, input order. */
    this.rejected = rejected;
  }

  // String `k` of this result's table ('' for -1), decoded once.
  #str(k) {
    if (k < 0) return '';
    let v = this.#strs[k];
    if (v === undefined) v = this.#strs[k] = decoder.decode(this.#strBytes.subarray(this.#strOff[k], this.#strOff[k + 1]));
    return v;
  }

  /** Candidates the policy dropped, input order (built on first access). */
  get dropped() {
    if (this.#dropped === null) {
      const out = new Array(this.#dIndex.length);
      for (let k = 0; k < out.length; k++) {
        const index = this.#dIndex[k];
        out[k] = { index, id: infoId(this.#info, index), ruleId: this.#str(this.#dRule[k]), source: SOURCES[this.#dSource[k]], reason: this.#str(this.#dReason[k]) };
      }
      this.#dropped = out;
    }
    return this.#dropped;
  }

  /** The id of the item at position `i` (0 = best). */
  id(i) {
    return infoId(this.#info, this.order[i]);
  }

  /** Whether the item at position `i` was shown before. */
  seen(i) {
    return (this.#flags[i] & 1) !== 0;
  }

  /** The item at position `i` as a RankedItem (a new object each call). */
  item(i) {
    if (!(i >= 0 && i < this.length)) return undefined;
    const H = HEADS.length;
    const index = this.order[i];
    const heads = {};
    for (let h = 0; h < H; h++) heads[HEADS[h]] = this.heads[i * H + h];
    const contributions = [];
    for (let k = 0, at = i * this.#cstride; k < this.#ccount[i]; k++, at++) {
      const kind = this.#ckind[at];
      contributions.push({ kind: KINDS[kind], label: contributionLabel(kind, this.#cidx[at], this.#info, index), value: this.#cval[at] });
    }
    const f = this.#flags[i];
    return {
      id: infoId(this.#info, index), index, value: this.values[i], heads, contributions, seen: (f & 1) !== 0,
      action: ACTIONS[this.#action[i]], ruleId: this.#str(this.#rule[i]), policyMultiplier: this.#mult[i],
      interstitial: (f & 2) !== 0, explored: (f & 4) !== 0, preDiversityRank: this.#prediv[i],
    };
  }

  /** Every item as a RankedItem, best first (built on first access). */
  get ranked() {
    if (this.#ranked === null) {
      const out = new Array(this.length);
      for (let i = 0; i < this.length; i++) out[i] = this.item(i);
      this.#ranked = out;
    }
    return this.#ranked;
  }
}


// Context in JS (camelCase or snake_case) -> [now_ms, hour, depth, surface]
// (-1 = the core's default).
export function contextArgs(context) {
  if (context === undefined || context === null) context = {};
  if (typeof context !== 'object') throw invalid('context', 'must be an object');
  const pick = (camel, snake) => (context[camel] !== undefined ? context[camel] : context[snake]);
  const now = pick('nowMs', 'now_ms');
  const nowMs = now === undefined ? Date.now() : finite(now, 'context.nowMs');
  let hour = pick('hourOfDay', 'hour_of_day');
  if (hour === undefined) {
    hour = new Date(nowMs).getHours();
    if (!Number.isInteger(hour)) hour = -1; // out of Date's range
  } else if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw invalid('context.hourOfDay', 'must be an integer in [0, 23]');
  }
  const depth = pick('sessionDepth', 'session_depth');
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0 || depth > 0x7fffffff)) {
    throw invalid('context.sessionDepth', 'must be a non-negative integer');
  }
  let surface = -1;
  if (context.surface !== undefined) {
    surface = typeof context.surface === 'string' ? SURFACES[context.surface] : context.surface;
    if (!Number.isInteger(surface) || surface < 0 || surface > 3) {
      throw invalid('context.surface', 'must be "for_you", "following", "search" or "profile"');
    }
  }
  return [nowMs, hour, depth === undefined ? -1 : depth, surface];
}

// Rejections from JS and the core, merged in input order, with ids.
function mergeRejections(jsRejected, coreRejected, info) {
  const all = jsRejected.concat(coreRejected);
  if (coreRejected.length > 0 && jsRejected.length > 0) all.sort((a, b) => a.index - b.index);
  return all.map((x) => ({ index: x.index, id: infoId(info, x.index), code: x.code, message: x.message }));
}

/** @internal A ranked batch as the one-shot rank() result shape. */
export function plainResult(batch) {
  return { ranked: batch.ranked, rejected: batch.rejected, dropped: batch.dropped };
}

/** @internal Labels for next()'s contributions (generic: the item may be from any batch). */
export function nextItem(r) {
  if (r === null || r === undefined) return null;
  if (r.heads instanceof Float32Array) {
    const heads = {};
    HEADS.forEach((h, i) => { heads[h] = r.heads[i]; });
    r.heads = heads;
  }
  if (Array.isArray(r.contributions)) {
    r.contributions = r.contributions.map((c) => {
      const kind = KINDS.indexOf(c.kind);
      return { kind: c.kind, label: contributionLabel(kind, c.index, null, 0), value: c.value };
    });
  }
  return r;
}

/**
 * @internal Sets `item.batchIndex`: the item's index in the registered batch
 * described by `info` (so the caller can show `batch[i]` without a lookup),
 * or -1 when it came from an earlier batch. The id -> index map is built
 * once per batch.
 */
export function withBatchIndex(item, info) {
  if (item === null || item === undefined) return item;
  let index = -1;
  if (info) {
    if (!info.indexOf) {
      info.indexOf = new Map();
      for (let i = 0; i < info.n; i++) {
        const k = info.rec[i * REC + R_ID];
        if (k >= 0 && info.rec[i * REC + R_SKIP] === 0) info.indexOf.set(info.strs[k], i);
      }
    }
    index = info.indexOf.get(item.id) ?? -1;
  }
  item.batchIndex = index;
  return item;
}

// The core's explanation with the package's key style (itemId, ruleId).
function jsExplanation(e) {
  const { item_id: itemId, policy, ...rest } = e;
  const { rule_id: ruleId, ...p } = policy ?? {};
  return { itemId, ...rest, policy: { ...p, ruleId } };
}

// The core names fields as its structs do (event.item_id); errors from a
// call that took a JS object name the JS keys instead (event.itemId).
const EVENT_FIELDS = {
  'event.item_id': 'event.itemId', 'event.event_id': 'event.eventId', 'event.timestamp_ms': 'event.timestampMs',
  'event.dwell_ms': 'event.dwellMs', 'event.kind': 'event.kind', 'event.velocity': 'event.velocity',
};
function unwrapNamed(result, names) {
  try {
    return unwrap(result);
  } catch (e) {
    for (const [core, js] of Object.entries(names)) {
      if (e.message.startsWith(`${core}:`)) {
        e.message = js + e.message.slice(core.length);
        break;
      }
    }
    throw e;
  }
}

let eventCounter = 0;
function newEventId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  eventCounter++;
  return `ev-${Date.now().toString(36)}-${eventCounter}-${Math.random().toString(36).slice(2, 10)}`;
}

function jsonArg(value, field) {
  if (typeof value === 'string') {
    if (!wellFormed(value)) throw invalid(field, NOT_WELL_FORMED);
    return value;
  }
  if (value === null || typeof value !== 'object') throw invalid(field, 'must be an object or a JSON string');
  return toJson(value, field);
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
  #module;
  #dim;
  #limits; // the core's limits on candidate strings (packCandidates)
  #batch = null; // {info, rejected} of the batch registered by setCandidates
  #persist = null; // { store, debounceMs, goodSlot, generation }
  #dirty = false;
  #timer = null;
  #saving = Promise.resolve();
  #settings = { objectiveWeights: {}, user: undefined, personalization: true };
  #policy = undefined;
  #onStorageEvent;
  #storage = { type: 'off' };
  #onHidden = null;

  /** @internal Use createRanker(). */
  constructor(raw, onStorageEvent, module) {
    this.#raw = raw;
    this.#module = module;
    this.#dim = raw._embeddingDim();
    this.#limits = module._candidateStringLimits();
    this.#onStorageEvent = onStorageEvent;
  }

  /** @internal The core's limits on candidate strings (worker-client.js packs with them). */
  get _limits() {
    return this.#limits;
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

  /** Whether the feed is personalized (see setPersonalization). */
  get personalization() {
    return this.#live()._personalization();
  }

  /**
   * Registers a server batch for rank(context): packs and validates it once
   * (replacing the previous batch). Returns how many were accepted and the
   * rejected ones (field-named reasons); those are left out of every rank.
   */
  setCandidates(candidates) {
    this.#live();
    const p = packCandidates(candidates, this.#dim, this.#limits);
    this.#batch = this._setPacked(0, p);
    return { accepted: p.n - this.#batch.rejected.length, rejected: this.#batch.rejected, warnings: p.warnings };
  }

  /** Forgets the registered batch (frees its memory). */
  clearCandidates() {
    this.#live()._clearCandidates(0);
    this.#batch = null;
  }

  /**
   * rank(context): ranks the batch registered by setCandidates (only the
   * context crosses into wasm) and returns a RankedBatch (typed columns,
   * items built on demand). rank(candidates, context): one-shot, returns
   * {ranked, rejected, dropped} with every item built; the registered
   * batch is left alone.
   */
  rank(candidatesOrContext, context) {
    // The context is read (its getters run) before the batch is chosen, so a
    // getter that registers another batch cannot make the result carry the
    // labels of a batch it was not ranked from.
    if (Array.isArray(candidatesOrContext)) {
      this.#live();
      const args = contextArgs(context);
      const p = packCandidates(candidatesOrContext, this.#dim, this.#limits);
      const batch = this._setPacked(1, p);
      try {
        return { ...plainResult(new RankedBatch(this._rankArgs(1, args).buffer, batch.info, batch.rejected)), warnings: p.warnings };
      } finally {
        this.#raw?._clearCandidates(1);
      }
    }
    if (candidatesOrContext !== undefined && (candidatesOrContext === null || typeof candidatesOrContext !== 'object')) {
      throw invalid('candidates', 'must be an array');
    }
    this.#live();
    const args = contextArgs(candidatesOrContext);
    const batch = this.#batch;
    if (batch === null) throw new RankerError('failed_precondition', 'rank: no candidates registered (call setCandidates(candidates) first, or rank(candidates, context))');
    return new RankedBatch(this._rankArgs(0, args).buffer, batch.info, batch.rejected);
  }

  /** @internal Copies a packed batch into wasm and decodes it into `slot`. */
  _setPacked(slot, p) {
    const raw = this.#live();
    const ptr = raw._inputBuffer(p.bytes);
    this.#module.HEAPU8.set(new Uint8Array(p.buffer, 0, p.bytes), ptr);
    const core = unwrap(raw._setCandidates(slot, p.bytes));
    return { info: p.info, rejected: mergeRejections(p.rejected, core, p.info) };
  }

  /** @internal (worker.js) */
  _setRegistered(batch) {
    this.#batch = batch;
  }

  /** @internal (worker.js) */
  _requireRegistered() {
    this.#live();
    if (this.#batch === null) throw new RankerError('failed_precondition', 'rank: no candidates registered (call setCandidates(candidates) first, or rank(candidates, context))');
  }

  /** @internal (worker.js) */
  _clearSlot(slot) {
    this.#raw?._clearCandidates(slot);
  }

  /** @internal Ranks `slot`; returns {buffer}: a copy of the output buffer. */
  _rankRaw(slot, context) {
    return this._rankArgs(slot, contextArgs(context));
  }

  /** @internal _rankRaw with the context already read (contextArgs). */
  _rankArgs(slot, args) {
    const ptr = this.#live()._rankKept(slot, args[0], args[1], args[2], args[3]);
    const M = this.#module;
    return { buffer: M.HEAPU8.slice(ptr, ptr + M.HEAP32[(ptr >> 2) + 3]).buffer };
  }

  /** The single item the full-screen feed shows now. */
  next(context) {
    const args = contextArgs(context);
    return withBatchIndex(nextItem(unwrap(this.#live()._next(args[0], args[1], args[2], args[3]))), this.#batch?.info);
  }

  /** Learns from one event now; returns its eventId (for forget()). */
  observe(event) {
    if (event === null || typeof event !== 'object') throw invalid('event', 'must be an object');
    const { eventId = newEventId(), itemId, kind, timestampMs = Date.now(), dwellMs = 0, velocity = 0 } = event;
    idArg(eventId, 'event.eventId');
    idArg(itemId, 'event.itemId');
    if (typeof kind !== 'string') throw invalid('event.kind', `must be one of ${EVENT_KINDS.join(', ')}`);
    finite(timestampMs, 'event.timestampMs');
    finite(dwellMs, 'event.dwellMs');
    finite(velocity, 'event.velocity');
    unwrapNamed(this.#live()._observe(eventId, itemId, kind, timestampMs, dwellMs, velocity), EVENT_FIELDS);
    this.#changed();
    return eventId;
  }

  /** Why the ranker ranked `id` where it did (see Explanation). */
  explain(id) {
    this.#live();
    idArg(id, 'id');
    if (typeof this.#raw._explain !== 'function') throw new RankerError('unimplemented', 'explain: not available in this build of the core');
    const r = unwrap(this.#raw._explain(id));
    return jsExplanation(typeof r === 'string' ? JSON.parse(r) : r);
  }

  /** The learned profile as versioned, checksummed JSON. */
  exportProfile() {
    return this.#live()._exportProfile();
  }

  /** Replaces the learned profile; on error nothing changes. */
  importProfile(json) {
    if (typeof json !== 'string') throw invalid('profile', 'must be a string (from exportProfile)');
    if (!wellFormed(json)) throw invalid('profile', NOT_WELL_FORMED);
    unwrap(importProfileText(this.#module, this.#live(), json));
    this.#changed();
  }

  /** Rebuilds the profile as if event `eventId` had never happened. */
  forget(eventId) {
    idArg(eventId, 'eventId');
    unwrapNamed(this.#live()._forget(eventId), { 'forget.event_id': 'eventId' });
    this.#changed();
  }

  /** Forgets everything learned, follows included (the model pack and settings stay). */
  reset() {
    this.#live()._reset();
    this.#changed();
  }

  /**
   * "Refresh your feed": starts over as if new, keeping the creators the
   * user follows, the user's controls and the objective weights.
   */
  refreshFeed() {
    this.#live()._refreshFeed();
    this.#changed();
  }

  /** Sets user-adjustable objective weights, all or nothing. */
  setObjectiveWeights(weights) {
    if (weights === null || typeof weights !== 'object' || Array.isArray(weights)) {
      throw invalid('weights', 'must be an object like {"like": 2}');
    }
    const text = toJson(weights, 'weights');
    unwrap(this.#live()._setObjectiveWeights(text));
    Object.assign(this.#settings.objectiveWeights, JSON.parse(text));
    this.#changed();
  }

  /** Sets the operator rules and/or the user's own controls. */
  setPolicy(policy) {
    if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
      throw invalid('policy', 'must be an object {rules?, user?}');
    }
    this.#live();
    const user = this.#applyPolicy(policy);
    if (user !== undefined) {
      this.#settings.user = user;
      this.#changed();
    }
  }

  // Applies rules and / or user controls, all or nothing; returns the user
  // controls as plain data (what JSON kept of them, to persist) or undefined.
  #applyPolicy(policy) {
    const raw = this.#raw;
    let rules, user, plainUser;
    if (policy.rules !== undefined) {
      if (!Array.isArray(policy.rules)) throw invalid('policy.rules', 'must be an array of rules');
      if (typeof raw._setPolicy !== 'function') throw new RankerError('unimplemented', 'setPolicy: operator rules are not available in this build of the core');
      rules = toJson({ version: policy.version ?? 1, rules: policy.rules }, 'policy');
    }
    if (policy.user !== undefined) {
      if (policy.user === null || typeof policy.user !== 'object') throw invalid('policy.user', 'must be an object');
      if (typeof raw._setUserControls !== 'function') throw new RankerError('unimplemented', 'setPolicy: user controls are not available in this build of the core');
      plainUser = JSON.parse(toJson(policy.user, 'policy.user'));
      if (plainUser === null || typeof plainUser !== 'object' || Array.isArray(plainUser)) throw invalid('policy.user', 'must be an object');
      user = toJson(userControlsJson(plainUser), 'policy.user');
    }
    // Both: the core validates both before applying either (all or nothing).
    if (rules !== undefined && user !== undefined) unwrap(raw._setPolicyAndControls(rules, user));
    else if (rules !== undefined) unwrap(raw._setPolicy(rules));
    else if (user !== undefined) unwrap(raw._setUserControls(user));
    return plainUser;
  }

  /** Pauses (true) or resumes (false) learning; events are then ignored. */
  pauseLearning(paused = true) {
    if (typeof paused !== 'boolean') throw invalid('paused', 'must be a boolean');
    this.#live()._pauseLearning(paused);
  }

  /**
   * The non-personalized feed (EU DSA Art. 38): false ranks by the server's
   * score under the policy and the user's blocks and learns nothing (of the
   * profile, only which items were shown is read); the profile is kept, and true ranks exactly
   * as before. Saved with the user's settings when persistence is on.
   */
  setPersonalization(on) {
    if (typeof on !== 'boolean') throw invalid('on', 'must be a boolean');
    this.#live()._setPersonalization(on);
    this.#settings.personalization = on;
    this.#changed();
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
      // Beyond int32 is "all of them" (there are far fewer).
      topInterests: raw._topInterests(Math.min(k, 0x7fffffff)).map(({ name, weight }) => ({ name, weight })),
      objectiveWeights: raw._objectiveWeights(),
      stats: raw._stats(),
      learningPaused: raw._learningPaused(),
      personalization: raw._personalization(),
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
    this.#batch = null;
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
        // The app's handler threw: report it as the host reports an event
        // listener's error, without throwing from the library's own code.
        if (typeof globalThis.reportError === 'function') globalThis.reportError(e);
        else console.error(e);
      }
    }
  }

  #changed() {
    if (!this.#persist) return;
    this.#dirty = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      try {
        if (this.#raw && this.#dirty) this.#enqueueSave(this.#raw._exportProfile());
      } catch (e) {
        // Never throw from a timer: report it as a failed save.
        this.#dirty = true;
        this.#emit({ type: 'error', op: 'save', message: String(e?.message ?? e) });
      }
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
    const err = importProfileText(this.#module, this.#raw, record.profile);
    if (err instanceof Error) {
      const code = /^([a-z_]+):/.exec(err.message)?.[1];
      return code === 'unimplemented' ? 'unknown_version' : code === 'invalid_argument' ? 'incompatible' : 'corrupt';
    }
    const settings = record.settings ?? {};
    const weights = settings.objectiveWeights ?? {};
    if (Object.keys(weights).length > 0 && this.#raw._setObjectiveWeights(JSON.stringify(weights)) === null) {
      this.#settings.objectiveWeights = { ...weights };
    }
    if (typeof settings.personalization === 'boolean') {
      this.#raw._setPersonalization(settings.personalization);
      this.#settings.personalization = settings.personalization;
    }
    if (settings.user !== undefined) {
      try {
        this.#settings.user = this.#applyPolicy({ user: settings.user });
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
    maturity: 'max_maturity', notInterestedTopics: 'not_interested_topics', topics: 'topic_levels',
  };
  for (const [k, v] of Object.entries(user)) {
    if (v === undefined) continue;
    const key = Object.hasOwn(map, k) ? map[k] : undefined;
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
  const raw = new module._Ranker(toJson(cfg, 'options.config'));
  const err = raw._initError();
  if (err !== null) {
    raw.delete();
    unwrap(err);
  }
  // The device clock bounds the first event as a rank's nowMs would.
  raw._setClock(Date.now());
  const ranker = new Ranker(raw, onStorageEvent, module);
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
