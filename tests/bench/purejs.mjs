// Pure-JS peer of reelrank's scoring, written the way a good JS engineer
// would: typed arrays, contiguous loops, one Map lookup per feature, a
// per-call cache of effective feature weights, no allocation per head.
//
// It reproduces core/src/learner.cpp (ScoreItem / ComputeLogits) and the value
// formula of Ranker::Rank (explanations off) from the same inputs: the
// ranker's exported profile (its checkpoint state), model pack JSON and
// config. The bench (suite.mjs) compares its values with reelrank's within
// 1e-5: this scorer computes in double, reelrank's dense part in single
// precision with a polynomial exp (core/include/reelrank/dense_kernel.h), so
// values differ by ~1e-7 and near-tied items may swap.
//
// Also here: the dense part of the same scoring (embedding cosines x per-head
// dense weights + sparse logits -> sigmoid -> weighted sum) in plain JS, and
// in TF.js (tfjsDense), for the TF.js comparison.

import { checkpointOf } from './profile_v2.mjs';

export const HEADS = ['continue', 'watch_ratio', 'finish', 'like', 'follow', 'share', 'comment', 'negative'];
const H = 8;

// Defaults of RankerConfig (core/include/reelrank/config.h).
export const DEFAULT_CONFIG = {
  objective_weights: [0.5, 1.0, 0.5, 0.5, 0.3, 0.3, 0.2, -1.0],
  seen_penalty: 1.0,
  negative_penalty: 3.0,
  tag_negative_share: 0.25,
  learner: {
    sparse: { alpha: 0.5, beta: 1, l1: 0, l2: 1 },
    dense: { alpha: 0.05, beta: 1, l1: 0, l2: 5 },
  },
  profile: {
    frequency_gate: 2,
    confidence_k: 1.0,
    feature_half_life_ms: 14 * 24 * 3600 * 1000,
    feature_expiry_ms: 60 * 24 * 3600 * 1000,
    negative_half_life_ms: 30 * 24 * 3600 * 1000,
  },
};

// FNV-1a 64 of an ASCII/UTF-8 string as 16 hex digits (two 32-bit halves).
const enc = new TextEncoder();
export function fnv1a64Hex(s) {
  let hi = 0xcbf29ce4 >>> 0;
  let lo = 0x84222325 >>> 0;
  const ascii = /^[\x00-\x7f]*$/.test(s);
  const bytes = ascii ? null : enc.encode(s);
  const n = ascii ? s.length : bytes.length;
  for (let i = 0; i < n; i++) {
    lo = (lo ^ (ascii ? s.charCodeAt(i) : bytes[i])) >>> 0;
    // (hi:lo) * (2^40 + 0x1b3) mod 2^64
    const l = lo * 0x1b3;
    const carry = Math.floor(l / 4294967296);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = l >>> 0;
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

function ftrlWeight(z, n, p) {
  if (Math.abs(z) <= p.l1) return 0;
  const sign = z < 0 ? -1 : 1;
  return -(z - sign * p.l1) / ((p.beta + Math.sqrt(n)) / p.alpha + p.l2);
}

const decay = (dt, hl) => (dt <= 0 || hl <= 0 ? 1 : Math.pow(2, -dt / hl));

function durationBucket(ms) {
  const edges = [7000, 15000, 30000, 60000, 120000, 300000];
  let b = 0;
  while (b < 6 && ms >= edges[b]) b++;
  return b;
}

const sigmoid = (x) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

const MAX_TAGS = 16;
const MAX_FEATURES = MAX_TAGS + 6;
const KIND_TAG = 0;
const KIND_AUTHOR = 1;

export class PureJsScorer {
  // profileJson: Ranker export (its checkpoint is used); packJson: model pack
  // JSON; config: DEFAULT_CONFIG-shaped overrides.
  constructor({ profileJson, packJson, config = DEFAULT_CONFIG, dim }) {
    const cp = checkpointOf(profileJson); // profile format 1 or 2
    this.cfg = config;
    this.dim = dim;
    this.entries = new Map();
    for (const f of cp.features) {
      this.entries.set(f.name, {
        count: f.count,
        sightings: f.sightings,
        last_seen_ms: f.last_seen_ms,
        negative: f.negative,
        negative_ms: f.negative_ms,
        z: Float64Array.from(f.z),
        n: Float64Array.from(f.n),
      });
    }
    this.denseZ = Float64Array.from(cp.dense_z); // [head][4]
    this.denseN = Float64Array.from(cp.dense_n);
    this.longI = Float32Array.from(cp.long_interest);
    this.sessI = Float32Array.from(cp.session_interest);
    this.seen = new Set(cp.seen);
    const pack = typeof packJson === 'string' ? JSON.parse(packJson) : packJson;
    this.headW = new Float64Array(H * 4); // bias, prior, long, session (global)
    this.globals = new Map();
    for (let h = 0; h < H; h++) {
      const w = pack.heads?.[HEADS[h]] ?? {};
      this.headW[h * 4] = w.bias ?? 0;
      this.headW[h * 4 + 1] = w.prior ?? 1;
      this.headW[h * 4 + 2] = w.interest_long ?? 0;
      this.headW[h * 4 + 3] = w.interest_session ?? 0;
      for (const [name, v] of Object.entries(w.sparse ?? {})) {
        let g = this.globals.get(name);
        if (!g) this.globals.set(name, (g = new Float64Array(H)));
        g[h] = Math.fround(v);
      }
    }
    const norm = (v) => {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * v[i];
      return Math.sqrt(s);
    };
    this.longNorm = norm(this.longI);
    this.sessNorm = norm(this.sessI);
    // Scratch (reused across calls).
    this.unit = new Float32Array(dim);
    this.logit = new Float64Array(H);
    this.dense = new Float64Array(H * 4);
    const dp = config.learner.dense;
    for (let h = 0; h < H; h++) {
      for (let d = 0; d < 4; d++) {
        this.dense[h * 4 + d] =
          this.headW[h * 4 + d] + ftrlWeight(this.denseZ[h * 4 + d], this.denseN[h * 4 + d], dp);
      }
    }
  }

  // Effective per-head weights of one feature at `now` (global + scaled
  // personal delta) plus its decayed explicit negative.
  #feature(name, now) {
    const out = { w: new Float64Array(H), neg: 0 };
    const g = this.globals.get(name);
    if (g) out.w.set(g);
    const e = this.entries.get(name);
    if (!e) return out;
    const pc = this.cfg.profile;
    let scale = 0;
    if (e.count >= pc.frequency_gate && now - e.last_seen_ms <= pc.feature_expiry_ms) {
      const dec = decay(now - e.last_seen_ms, pc.feature_half_life_ms);
      scale = dec;
      if (pc.confidence_k > 0) {
        const s = e.sightings * dec;
        scale *= s / (s + pc.confidence_k);
      }
    }
    if (scale !== 0) {
      const sp = this.cfg.learner.sparse;
      for (let h = 0; h < H; h++) out.w[h] += scale * ftrlWeight(e.z[h], e.n[h], sp);
    }
    if (e.negative > 0) out.neg = e.negative * decay(now - e.negative_ms, pc.negative_half_life_ms);
    return out;
  }

  // Scores and sorts. Returns {order: Int32Array, values: Float64Array} (best
  // first, ties in input order) and fills `this.lastValues` by input index.
  rank(cands, ctx) {
    const n = cands.length;
    const now = ctx.nowMs ?? 0;
    const hour = Math.min(Math.max(ctx.hourOfDay ?? 12, 0), 23);
    const hb = String(Math.floor(hour / 6));
    const cache = new Map();
    const feat = (name) => {
      let f = cache.get(name);
      if (f === undefined) cache.set(name, (f = this.#feature(name, now)));
      return f;
    };
    const w = this.cfg.objective_weights;
    const dim = this.dim;
    const unit = this.unit;
    const logit = this.logit;
    const dense = this.dense;
    const longI = this.longI;
    const sessI = this.sessI;
    const values = new Float64Array(n);
    const noPen = new Float64Array(n);
    const valid = new Uint8Array(n);
    const feats = new Array(MAX_FEATURES);
    const kinds = new Uint8Array(MAX_FEATURES);
    for (let i = 0; i < n; i++) {
      const c = cands[i];
      if (!c.id || !(c.duration_ms > 0)) continue;
      // Embedding -> unit vector (float32), cosines in double.
      let cl = 0;
      let cs = 0;
      const e = c.embedding;
      if (e && e.length === dim) {
        let nn = 0;
        for (let d = 0; d < dim; d++) nn += e[d] * e[d];
        if (!Number.isFinite(nn)) continue;
        const norm = Math.sqrt(nn);
        if (norm > 0) {
          let dl = 0;
          let ds = 0;
          for (let d = 0; d < dim; d++) unit[d] = e[d] / norm;
          if (this.longNorm > 1e-12) {
            for (let d = 0; d < dim; d++) dl += unit[d] * longI[d];
            cl = dl / this.longNorm;
          }
          if (this.sessNorm > 1e-12) {
            for (let d = 0; d < dim; d++) ds += unit[d] * sessI[d];
            cs = ds / this.sessNorm;
          }
        }
      }
      // Sparse features, in the core's order (tags, author, sound, category,
      // duration, category x duration, category x hour).
      let nf = 0;
      const tags = c.tags ?? [];
      for (let t = 0, used = 0; t < tags.length && used < MAX_TAGS; t++) {
        if (!tags[t]) continue;
        const name = 'tag:' + tags[t];
        used++;
        let dup = false;
        for (let k = 0; k < nf; k++) if (feats[k] === name) dup = true;
        if (dup) continue;
        kinds[nf] = KIND_TAG;
        feats[nf++] = name;
      }
      if (c.author) (kinds[nf] = KIND_AUTHOR), (feats[nf++] = 'author:' + c.author);
      if (c.sound) (kinds[nf] = 2), (feats[nf++] = 'sound:' + c.sound);
      const b = durationBucket(c.duration_ms);
      if (c.category) (kinds[nf] = 3), (feats[nf++] = 'category:' + c.category);
      (kinds[nf] = 4), (feats[nf++] = 'dur:' + b);
      if (c.category) {
        (kinds[nf] = 5), (feats[nf++] = 'cat_dur:' + c.category + '|' + b);
        (kinds[nf] = 6), (feats[nf++] = 'cat_hour:' + c.category + '|' + hb);
      }
      const prior = priorLogit(c.server_score ?? 0.5);
      for (let h = 0; h < H; h++) {
        const o = h * 4;
        logit[h] =
          dense[o] +
          dense[o + 1] * prior +
          (cl !== 0 ? dense[o + 2] * cl : 0) +
          (cs !== 0 ? dense[o + 3] * cs : 0);
      }
      let authorNeg = 0;
      let tagNeg = 0;
      for (let k = 0; k < nf; k++) {
        const f = feat(feats[k]);
        const fw = f.w;
        for (let h = 0; h < H; h++) logit[h] += fw[h];
        if (f.neg > 0) {
          if (kinds[k] === KIND_AUTHOR) authorNeg = Math.max(authorNeg, f.neg);
          else if (kinds[k] === KIND_TAG) tagNeg = Math.max(tagNeg, f.neg);
        }
      }
      let v = 0;
      for (let h = 0; h < H; h++) v += w[h] * sigmoid(logit[h]);
      noPen[i] = v;
      if (this.seen.size && this.seen.has(fnv1a64Hex(c.id))) v -= this.cfg.seen_penalty;
      v -= this.cfg.negative_penalty * (authorNeg + this.cfg.tag_negative_share * tagNeg);
      values[i] = v;
      valid[i] = 1;
    }
    let m = 0;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) if (valid[i]) order[m++] = i;
    const out = order.subarray(0, m);
    out.sort((a, b2) => values[b2] - values[a] || a - b2);
    this.lastValues = values;
    this.lastValuesNoPenalty = noPen;
    const sorted = new Float64Array(m);
    for (let k = 0; k < m; k++) sorted[k] = values[out[k]];
    return { order: out, values: sorted };
  }

  // Inputs of the dense part for `cands` (what tfjsDense / denseJs take):
  // E (n x dim float32, raw embeddings), prior logits (n), sparse logit sums
  // (n x 8, from the feature weights) and the dense weights (8 x 4).
  denseInputs(cands, ctx) {
    const n = cands.length;
    const dim = this.dim;
    const E = new Float32Array(n * dim);
    const prior = new Float32Array(n);
    const sparse = new Float32Array(n * H);
    const now = ctx.nowMs ?? 0;
    for (let i = 0; i < n; i++) {
      E.set(cands[i].embedding, i * dim);
      prior[i] = priorLogit(cands[i].server_score ?? 0.5);
    }
    for (let i = 0; i < n; i++) this.#sparseSum(cands[i], ctx, now, sparse, i);
    return { n, dim, E, prior, sparse };
  }

  #sparseSum(c, ctx, now, out, i) {
    const hour = Math.min(Math.max(ctx.hourOfDay ?? 12, 0), 23);
    const names = [];
    for (const t of c.tags ?? []) if (t && !names.includes('tag:' + t)) names.push('tag:' + t);
    if (c.author) names.push('author:' + c.author);
    if (c.sound) names.push('sound:' + c.sound);
    const b = durationBucket(c.duration_ms);
    if (c.category) names.push('category:' + c.category);
    names.push('dur:' + b);
    if (c.category) names.push('cat_dur:' + c.category + '|' + b, 'cat_hour:' + c.category + '|' + Math.floor(hour / 6));
    for (const name of names) {
      const f = this.#feature(name, now);
      for (let h = 0; h < H; h++) out[i * H + h] += f.w[h];
    }
  }

  // Dense weights as a Float32Array (4 x 8, row = bias, prior, long, session)
  // and unit interest vectors (dim x 2) for the dense kernels.
  denseWeights() {
    const W = new Float32Array(4 * H);
    for (let h = 0; h < H; h++) for (let d = 0; d < 4; d++) W[d * H + h] = this.dense[h * 4 + d];
    const U = new Float32Array(this.dim * 2);
    for (let d = 0; d < this.dim; d++) {
      U[d * 2] = this.longNorm > 1e-12 ? this.longI[d] / this.longNorm : 0;
      U[d * 2 + 1] = this.sessNorm > 1e-12 ? this.sessI[d] / this.sessNorm : 0;
    }
    return { W, U, obj: Float32Array.from(this.cfg.objective_weights) };
  }
}

function priorLogit(s) {
  const q = Math.min(Math.max(s, 1e-4), 1 - 1e-4);
  return Math.log(q / (1 - q));
}

// The dense part in plain JS (float32 storage, double accumulation):
// value_i = sum_h w_h * sigmoid(W[0,h] + W[1,h]*prior_i + W[2,h]*cosL_i +
//           W[3,h]*cosS_i + sparse_ih).
export function denseJs(inp, wts, out) {
  const { n, dim, E, prior, sparse } = inp;
  const { W, U, obj } = wts;
  for (let i = 0; i < n; i++) {
    let nn = 0;
    let dl = 0;
    let ds = 0;
    const o = i * dim;
    for (let d = 0; d < dim; d++) {
      const x = E[o + d];
      nn += x * x;
      dl += x * U[d * 2];
      ds += x * U[d * 2 + 1];
    }
    const inv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
    const cl = dl * inv;
    const cs = ds * inv;
    const pr = prior[i];
    let v = 0;
    for (let h = 0; h < H; h++) {
      const z = W[h] + W[H + h] * pr + W[2 * H + h] * cl + W[3 * H + h] * cs + sparse[i * H + h];
      v += obj[h] / (1 + Math.exp(-z));
    }
    out[i] = v;
  }
  return out;
}

// The same dense part in TF.js. Tensors for the weights are created once
// (prepareTfjs); per call: upload E / prior / sparse, matMul, norms,
// sigmoid, weighted sum, download. Returns a Float32Array of values.
export function prepareTfjs(tf, wts, dim) {
  return {
    W: tf.tensor2d(wts.W, [4, H]),
    U: tf.tensor2d(wts.U, [dim, 2]),
    obj: tf.tensor2d(wts.obj, [H, 1]),
  };
}

export function tfjsDense(tf, prep, inp) {
  const { n, dim, E, prior, sparse } = inp;
  const out = tf.tidy(() => {
    const e = tf.tensor2d(E, [n, dim]);
    const norms = tf.sqrt(tf.sum(tf.square(e), 1, true)); // n x 1
    const cos = tf.div(tf.matMul(e, prep.U), norms); // n x 2
    const x = tf.concat([tf.ones([n, 1]), tf.tensor2d(prior, [n, 1]), cos], 1); // n x 4
    const z = tf.add(tf.matMul(x, prep.W), tf.tensor2d(sparse, [n, H])); // n x 8
    return tf.matMul(tf.sigmoid(z), prep.obj); // n x 1
  });
  const v = out.dataSync();
  out.dispose();
  return v;
}
