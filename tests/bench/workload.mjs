// Deterministic synthetic workload for the wasm and JS benchmarks.
//
// Mirrors tests/bench/workload.h draw for draw (same PRNG, same order), so
// native, wasm and the JS peers rank the same candidates and learn from the
// same events. Candidates are in the shape web/index.js takes.

export const TAGS = 500;
export const AUTHORS = 300;
export const CATEGORIES = 20;
export const SOUNDS = 200;
export const T0 = 1767225600000; // 2026-01-01T00:00:00Z

// mulberry32 (identical to the C++ Rng).
export class Rng {
  constructor(seed) {
    this.a = seed >>> 0;
  }
  next() {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  uniform() {
    return (this.next() >>> 8) / 16777216;
  }
  below(n) {
    return this.next() % n;
  }
}

export function centroids(dim) {
  const r = new Rng(1000 + dim);
  const c = new Float32Array(CATEGORIES * dim);
  for (let i = 0; i < c.length; i++) c[i] = 2 * r.uniform() - 1;
  return c;
}

// `n` candidates of batch `batch` with `dim`-float embeddings.
export function makeCandidates(n, dim, batch) {
  const cent = centroids(dim);
  const r = new Rng((Math.imul(batch, 7919) + 17) >>> 0);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const author = 'a' + (r.below(AUTHORS) + AUTHORS * Math.floor(batch / 8));
    const k = r.below(CATEGORIES);
    const sound = 's' + r.below(SOUNDS);
    const tags = [];
    for (let t = 0; t < 3; t++) tags.push('t' + r.below(TAGS));
    const duration_ms = 3000 + r.below(177000);
    const created_at = T0 - r.below(86400000);
    const server_score = 0.05 + 0.9 * r.uniform();
    const embedding = new Float32Array(dim);
    for (let d = 0; d < dim; d++) embedding[d] = cent[k * dim + d] + 0.5 * (2 * r.uniform() - 1);
    const c = {
      id: `v${batch}_${i}`,
      author,
      tags,
      category: 'k' + k,
      sound,
      caption: 'clip ' + i,
      duration_ms,
      created_at,
      server_score,
      embedding,
    };
    if (r.uniform() < 0.1) c.safety = { violence: Math.fround(r.uniform()) };
    out[i] = c;
  }
  return out;
}

export function makeContext(nowMs) {
  return { nowMs, hourOfDay: Math.floor(nowMs / 3600000) % 24 };
}

export const categoryOf = (c) => Number(c.category.slice(1));

// The events of one view of `c` by a user who likes categories k0..k4.
// state = {now, seq}; appends to `out`.
export function viewEvents(c, r, state, out) {
  const ev = (kind, dwell, velocity) =>
    out.push({
      eventId: 'e' + state.seq++,
      itemId: c.id,
      kind,
      timestampMs: state.now + dwell,
      dwellMs: dwell,
      velocity: Math.fround(velocity),
    });
  ev('impression', 0, 0);
  const u = r.uniform();
  if (categoryOf(c) < 5) {
    const dwell = Math.trunc(c.duration_ms * (0.6 + 0.4 * u));
    ev('progress', Math.trunc(dwell / 2), 0);
    if (u > 0.5) ev('complete', c.duration_ms, 0);
    if (u > 0.7) ev('like', dwell, 0);
    ev('swipe_away', dwell, 0.8);
    state.now += dwell + 500;
  } else {
    const dwell = 400 + Math.trunc(1500 * u);
    if (u < 0.03) ev('not_interested', dwell, 0);
    ev('swipe_away', dwell, 1 + 3 * u);
    state.now += dwell + 300;
  }
}

// Median and p10 of per-call times in µs after at least `warmup` calls and
// `warmMs` ms of warm-up (JIT tier-up). Each sample
// times `batch` consecutive calls (for calls shorter than the clock's
// resolution); runs at least `minReps` samples and `minMs` ms, at most
// `maxReps` samples. fn(i) gets a running call index.
export function timeCalls(fn, { warmup = 20, warmMs = 150, minReps = 30, maxReps = 3000, minMs = 300, batch = 1 } = {}) {
  let k = 0;
  const w0 = performance.now();
  for (let i = 0; i < warmup || (performance.now() - w0 < warmMs && i < 100000); i++) fn(k++);
  const t = [];
  const start = performance.now();
  for (let i = 0; i < maxReps && (i < minReps || performance.now() - start < minMs); i++) {
    const a = performance.now();
    for (let j = 0; j < batch; j++) fn(k++);
    t.push((performance.now() - a) / batch);
  }
  t.sort((x, y) => x - y);
  const r3 = (x) => Math.round(x * 1000) / 1000;
  return { median_us: r3(t[t.length >> 1] * 1000), p10_us: r3(t[Math.floor(t.length / 10)] * 1000), reps: t.length * batch };
}
