// The wasm + JS benchmark suite, shared by node (bench_wasm_node.mjs) and
// headless Chromium (page.html, driven by bench_chromium.mjs).
//
// Everything goes through web/'s public API (createRanker -> setCandidates +
// rank(context), rank(candidates, context), observe, next, exportProfile,
// importProfile), with a breakdown of rank into packing (JS), decoding, the
// raw Embind call and result shaping. The headline rank rows use the path the
// docs recommend for a feed: the server batch registered once
// (setCandidates), then rank(context) after every swipe; the one-shot
// rank(candidates, context) is measured as separate "oneshot_" rows.
// Peers: the pure-JS scorer and // the TF.js dense part (purejs.mjs), checked against reelrank's values.

import { makeCandidates, makeContext, viewEvents, categoryOf, Rng, timeCalls, T0, CATEGORIES } from './workload.mjs';
import { PureJsScorer, denseJs, prepareTfjs, tfjsDense, DEFAULT_CONFIG, HEADS } from './purejs.mjs';

// The ranker's effective config (defaults included), from the raw module's
// _configJson, in PureJsScorer's shape; DEFAULT_CONFIG if unavailable.
export function scorerConfig(rawModule, cfg) {
  if (!rawModule) return DEFAULT_CONFIG;
  const raw = new rawModule._Ranker(JSON.stringify(cfg));
  let c;
  try {
    c = JSON.parse(raw._configJson());
  } finally {
    raw.delete();
  }
  const ow = c.objective_weights;
  return {
    objective_weights: Array.isArray(ow) ? ow : HEADS.map((h) => ow[h]),
    seen_penalty: c.seen_penalty,
    negative_penalty: c.negative_penalty,
    tag_negative_share: c.tag_negative_share,
    learner: { sparse: c.learner.sparse, dense: c.learner.dense },
    profile: c.profile,
  };
}

// Config switches: "full" = every stage + explanations, with rank() returning
// the feed order (exploration slots and diversity, rank_feed_order); "lean" =
// scoring and sorting only. Keys are RankerConfig JSON (core/src/config.cpp); stages that
// do not exist in this build are ignored by the parser.
export const FULL = { explain: true, rank_feed_order: true };
export const LEAN = {
  explain: false,
  policy: { enabled: false },
  fatigue: { enabled: false },
  explore: { enabled: false },
  diversity: { enabled: false },
};

// A deterministic model pack with non-trivial global sparse weights.
export function modelPack() {
  const r = new Rng(77);
  const heads = {};
  const names = ['continue', 'watch_ratio', 'finish', 'like', 'follow', 'share', 'comment', 'negative'];
  for (const h of names) {
    const sparse = {};
    for (let k = 0; k < CATEGORIES; k++) sparse['category:k' + k] = Math.fround(0.6 * (r.uniform() - 0.5));
    for (let b = 0; b < 7; b++) sparse['dur:' + b] = Math.fround(0.4 * (r.uniform() - 0.5));
    const neg = h === 'negative';
    heads[h] = {
      bias: neg ? -2 : -0.5 + 0.5 * r.uniform(),
      prior: neg ? 0 : 0.5 + 0.5 * r.uniform(),
      interest_long: neg ? -1 : 1,
      interest_session: neg ? -0.5 : 0.5,
      sparse,
    };
  }
  return { format: 'reelrank-model-pack', version: 1, name: 'bench', heads };
}

// Learns `views` simulated views over a 200-item pool (re-ranked every 50
// views), like Learn() in bench_native.cpp. Stops after `maxEvents` events.
export function learn(ranker, dim, views, maxEvents = Infinity) {
  const pool = makeCandidates(200, dim, 0);
  const r = new Rng(42);
  const state = { now: T0, seq: 0 };
  const events = [];
  let observed = 0;
  for (let v = 0; v < views && observed < maxEvents; v++) {
    if (v % 50 === 0) ranker.rank(pool, makeContext(state.now));
    const c = pool[r.below(200)];
    events.length = 0;
    viewEvents(c, r, state, events);
    for (const e of events) {
      if (observed >= maxEvents) break;
      try {
        ranker.observe(e);
      } catch (err) {
        // The default policy drops some pool items (safety labels): they are
        // never ranked, so events about them are refused. Skip those.
        if (err?.code !== 'not_found') throw err;
      }
      observed++;
    }
  }
  return { now: state.now, seq: state.seq, events: observed, pool };
}

// Tolerances of the peer checks. The dense part of reelrank is single
// precision (core/include/reelrank/dense_kernel.h): float cosines (|error| ~
// dim * 6e-8), float logits, p within ~1e-6 relative of a double sigmoid;
// value = sum of 8 objective-weighted p's (|weight| <= 1 by default), so
// |value error| stays well below 1e-5. Pure JS and denseJs run in double.
const VALUE_TOL = 1e-5;
const DENSE_TOL = 1e-5;

const maxAbsDiff = (a, b) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

// Copies a packed batch (web/ranker.js packCandidates) into the bench
// module's input buffer; returns its byte length.
function benchInput(benchModule, bm, p) {
  benchModule.HEAPU8.set(new Uint8Array(p.buffer, 0, p.bytes), bm.inputBuffer(p.bytes));
  return p.bytes;
}

// The bench module (bench_module.cpp): learns like learn(), through its own
// binding, ranking the pool by setCandidates + rankStored.
function learnBench(benchModule, bm, packCandidates, dim, views) {
  const pool = makeCandidates(200, dim, 0);
  const p = packCandidates(pool, dim);
  const r = new Rng(42);
  const state = { now: T0, seq: 0 };
  const events = [];
  for (let v = 0; v < views; v++) {
    if (v % 50 === 0) {
      bm.setCandidates(benchInput(benchModule, bm, p));
      bm.rankStored(state.now, Math.floor(state.now / 3600000) % 24);
    }
    const c = pool[r.below(200)];
    events.length = 0;
    viewEvents(c, r, state, events);
    for (const e of events) bm.observe(e.eventId, e.itemId, e.kind, e.timestampMs, e.dwellMs, e.velocity);
  }
  return state.now;
}

export async function runSuite({ createRanker, packCandidates, rawModule, benchModule, tf, env, log = () => {}, quick = false }) {
  const out = { env, rank: {}, notes: [] };
  const pack = modelPack();
  const mk = (dim, full) =>
    createRanker({ embeddingDim: dim, seed: 7, config: full ? FULL : LEAN, modelPack: pack, persist: false });
  const ms = quick ? 100 : 300;

  // 1. rank(N) for N in {100, 1000, 10000}, dim 32/64, full on/off.
  for (const dim of [32, 64]) {
    for (const full of [0, 1]) {
      const ranker = await mk(dim, full);
      const { now } = learn(ranker, dim, 300);
      const ctx = makeContext(now);
      for (const n of [100, 1000, 10000]) {
        const cands = makeCandidates(n, dim, 1);
        const o = { warmup: n >= 10000 ? 3 : 10, minReps: n >= 10000 ? 7 : 30, minMs: ms };
        // Registered batch (the recommended feed path): rank(context) and
        // read the top item's id.
        ranker.setCandidates(cands);
        let top = '';
        const t = timeCalls(() => {
          top = ranker.rank(ctx).id(0);
        }, o);
        out.rank[`n${n}_d${dim}_full${full}`] = t;
        if (n <= 1000) {
          out.rank[`set_n${n}_d${dim}_full${full}`] = timeCalls(() => ranker.setCandidates(cands), { ...o, warmup: 3 });
          out.rank[`oneshot_n${n}_d${dim}_full${full}`] = timeCalls(() => ranker.rank(cands, ctx), o);
        }
        log(`rank n=${n} dim=${dim} full=${full}: ${t.median_us} us registered (top ${top}), ` +
          `${out.rank[`oneshot_n${n}_d${dim}_full${full}`]?.median_us ?? '-'} us one-shot`);
      }
      ranker.close();
      if (dim === 32 && full === 1) {
        // next(): the single item to show now, over the known pool after a
        // rank of 1000 — a fresh ranker in the state of native BM_Next (the
        // one above also knows the 10,000 batch, a 4x larger pool).
        const nr = await mk(dim, full);
        const { now: nnow } = learn(nr, dim, 300);
        const nctx = makeContext(nnow);
        nr.rank(makeCandidates(1000, dim, 1), nctx);
        try {
          nr.next(nctx);
          out.next_us = timeCalls(() => nr.next(nctx), { minMs: ms });
        } catch (e) {
          out.notes.push(`next(): ${e.code ?? ''} ${e.message}`);
        }
        nr.close();
      }
    }
  }

  // 2. Breakdown of rank(1000), dim 32, lean: JS packing, setCandidates
  //    (packing + copy + decode + validation), the raw call on a registered
  //    batch (core + result columns), rank(context) (+ one copy of the
  //    columns), rank(context).ranked (every item built), one-shot rank.
  {
    const dim = 32;
    const ranker = await mk(dim, 0);
    const { now } = learn(ranker, dim, 300);
    const ctx = makeContext(now);
    const cands = makeCandidates(1000, dim, 1);
    const b = {};
    if (packCandidates) {
      b.pack_us = timeCalls(() => packCandidates(cands, dim), { minMs: ms }).median_us;
      if (rawModule) {
        const raw = new rawModule._Ranker(JSON.stringify({ ...LEAN, embedding_dim: dim, seed: 7 }));
        raw._loadModelPack(JSON.stringify(pack));
        // The same learned state as `ranker` (its profile), so the two
        // timings differ only by the boundary.
        const prof = new TextEncoder().encode(ranker.exportProfile());
        rawModule.HEAPU8.set(prof, raw._inputBuffer(prof.length));
        if (raw._importProfileInput(prof.length) !== null) throw new Error('raw ranker: profile import failed');
        const p = packCandidates(cands, dim);
        rawModule.HEAPU8.set(new Uint8Array(p.buffer, 0, p.bytes), raw._inputBuffer(p.bytes));
        raw._setCandidates(0, p.bytes);
        b.raw_rank_us = timeCalls(() => raw._rankKept(0, ctx.nowMs, ctx.hourOfDay, -1, -1), { minMs: ms }).median_us;
        raw.delete();
      }
    }
    b.set_us = timeCalls(() => ranker.setCandidates(cands), { minMs: ms, warmup: 5 }).median_us;
    ranker.setCandidates(cands);
    b.rank_registered_us = timeCalls(() => ranker.rank(ctx).id(0), { minMs: ms }).median_us;
    b.rank_registered_items_us = timeCalls(() => ranker.rank(ctx).ranked.length, { minMs: ms }).median_us;
    b.total_us = timeCalls(() => ranker.rank(cands, ctx), { minMs: ms }).median_us;
    out.rank_breakdown_n1000_d32 = b;
    ranker.close();
  }

  // 2b. The core in wasm without the per-call boundary (bench module:
  //     candidates parsed once, then ranked by handle), and parse + core.
  if (benchModule && packCandidates) {
    const core = {};
    for (const dim of [32, 64]) {
      for (const full of [0, 1]) {
        const bm = new benchModule.BenchRanker(JSON.stringify({ ...(full ? FULL : LEAN), embedding_dim: dim, seed: 7 }));
        bm.loadModelPack(JSON.stringify(pack));
        const now = learnBench(benchModule, bm, packCandidates, dim, 300);
        const ctx = makeContext(now);
        for (const n of [100, 1000, 10000]) {
          const cands = makeCandidates(n, dim, 1);
          const bytes = benchInput(benchModule, bm, packCandidates(cands, dim));
          bm.setCandidates(bytes);
          const o = { warmup: n >= 10000 ? 3 : 10, minReps: n >= 10000 ? 7 : 30, minMs: ms };
          core[`n${n}_d${dim}_full${full}`] = timeCalls(() => bm.rankStored(ctx.nowMs, ctx.hourOfDay), o);
          if (n === 1000) {
            // Decoding the packed batch + the core (was: JSON parse + core).
            core[`parse_n${n}_d${dim}_full${full}`] = timeCalls(() => bm.rankPacked(bytes, ctx.nowMs, ctx.hourOfDay), o);
            bm.setCandidates(bytes);
          }
        }
        if (dim === 32 && full === 1) {
          // Same best item as the web API ranker with the same history?
          const web = await mk(dim, 1);
          const w = learn(web, dim, 300);
          const cands = makeCandidates(1000, dim, 1);
          bm.setCandidates(benchInput(benchModule, bm, packCandidates(cands, dim)));
          core.same_best_as_web_api = bm.rankStored(ctx.nowMs, ctx.hourOfDay) === web.rank(cands, makeContext(w.now)).ranked[0].index;
          web.close();
        }
        bm.delete();
      }
    }
    out.core_wasm = core;
    log(`core in wasm (registered candidates) n=1000 d=32 full: ${core.n1000_d32_full1.median_us} us`);
  }

  // 3. observe(): per event, in batches of 20 (clock resolution).
  {
    const dim = 32;
    const ranker = await mk(dim, 1);
    const st = learn(ranker, dim, 300);
    const r = new Rng(4242);
    const state = { now: st.now, seq: st.seq };
    let events = [];
    let i = 0;
    const refill = () => {
      events = [];
      // Only items the ranker knows (the policy drops some pool items: they
      // are never ranked); the draws stay those of the native bench.
      const known = new Set(ranker.rank(st.pool, makeContext(state.now)).ranked.map((x) => x.id));
      const view = [];
      while (events.length < 4000) {
        const c = st.pool[r.below(200)];
        view.length = 0;
        viewEvents(c, r, state, view);
        if (known.has(c.id)) events.push(...view);
      }
      i = 0;
    };
    refill();
    // Refills happen between samples (a sample never spans one).
    const samples = [];
    const t0 = performance.now();
    let n = 0;
    while (n < 20 || performance.now() - t0 < (quick ? 300 : 1000)) {
      if (i + 20 > events.length) refill();
      const a = performance.now();
      for (let j = 0; j < 20; j++) ranker.observe(events[i++]);
      samples.push((performance.now() - a) / 20);
      n++;
    }
    samples.sort((x, y) => x - y);
    out.observe_us = {
      median_us: Math.round(samples[samples.length >> 1] * 1e6) / 1000,
      p10_us: Math.round(samples[Math.floor(samples.length / 10)] * 1e6) / 1000,
      reps: samples.length * 20,
    };
    log(`observe: ${out.observe_us.median_us} us`);
    ranker.close();
  }

  // 4. Profile export / import after 2000 views.
  let saved;
  {
    const dim = 32;
    const a = await mk(dim, 1);
    learn(a, dim, 2000);
    saved = a.exportProfile();
    out.profile_bytes_2000_views = saved.length;
    out.export_us = timeCalls(() => a.exportProfile(), { warmup: 3, minReps: 10, minMs: ms });
    const b = await mk(dim, 1);
    out.import_us = timeCalls(() => b.importProfile(saved), { warmup: 3, minReps: 10, minMs: ms });
    a.close();
    b.close();
  }
  out.saved_profile = saved;

  // 5. Pure JS peer: same model (profile checkpoint + model pack + config),
  //    same candidates; values checked against reelrank's.
  {
    const dim = 32;
    const a = await mk(dim, 0);
    const full = learn(a, dim, 2000);
    const prof = a.exportProfile();
    const logLen = JSON.parse(prof).payload.log.length;
    // A ranker whose *current* state is a's checkpoint: the same events
    // except the ones still in a's recent-event log.
    const b = await mk(dim, 0);
    learn(b, dim, 2000, full.events - logLen);
    const ctx = makeContext(full.now);
    const config = scorerConfig(rawModule, { ...LEAN, embedding_dim: dim, seed: 7 });
    const js = new PureJsScorer({ profileJson: prof, packJson: pack, dim, config });
    const check = {};
    for (const n of [100, 1000, 10000]) {
      const cands = makeCandidates(n, dim, 1);
      // Both start from candidates already in their own memory: the wasm
      // ranker from its registered batch, pure JS from the JS objects.
      b.setCandidates(cands);
      const w = b.rank(ctx);
      const p = js.rank(cands, ctx);
      const wv = new Float64Array(n);
      for (let k = 0; k < w.length; k++) wv[w.order[k]] = w.values[k];
      const diff = maxAbsDiff(wv, js.lastValues);
      let sameOrder = w.length === p.order.length;
      for (let k = 0; sameOrder && k < p.order.length; k++) if (p.order[k] !== w.order[k]) sameOrder = false;
      // reelrank computes the dense part in single precision (dense_kernel.h:
      // p within ~1e-6 relative of a double sigmoid, value = 8 weighted p's),
      // pure JS in double: values agree within VALUE_TOL, and the orders
      // agree except where two values are closer than that (near-ties).
      let sameUpToTies = w.length === p.order.length;
      for (let k = 0; sameUpToTies && k < p.order.length; k++) {
        if (p.order[k] !== w.order[k] && Math.abs(js.lastValues[p.order[k]] - js.lastValues[w.order[k]]) > VALUE_TOL) sameUpToTies = false;
      }
      check[`n${n}`] = {
        max_abs_diff: diff,
        within_tol: diff <= VALUE_TOL,
        tol: VALUE_TOL,
        same_order: sameOrder,
        same_order_up_to_ties: sameUpToTies,
        ranked: p.order.length,
      };
      if (!(diff <= VALUE_TOL) || !sameUpToTies) out.notes.push(`pure-JS check n=${n}: max |diff| ${diff} (tol ${VALUE_TOL}), same order up to ties ${sameUpToTies}`);
      const t = timeCalls(() => js.rank(cands, ctx), {
        warmup: n >= 10000 ? 3 : 20,
        minReps: n >= 10000 ? 7 : 30,
        minMs: ms,
      });
      out.rank[`purejs_n${n}_d${dim}`] = t;
      const tw = timeCalls(() => b.rank(ctx).id(0), {
        warmup: n >= 10000 ? 3 : 10,
        minReps: n >= 10000 ? 7 : 30,
        minMs: ms,
      });
      out.rank[`wasm_checked_n${n}_d${dim}`] = tw;
      log(`pure JS n=${n}: ${t.median_us} us (wasm same model ${tw.median_us} us), max |diff| ${diff}`);
    }
    out.purejs_check = check;

    // 6. The dense part: reelrank's dense kernel in wasm vs plain JS vs
    //    TF.js (wasm backend), n = 1000, same inputs.
    for (const n of [1000]) {
      const cands = makeCandidates(n, dim, 1);
      const inp = js.denseInputs(cands, ctx);
      const wts = js.denseWeights();
      const vjs = denseJs(inp, wts, new Float64Array(n));
      // Dense values + penalties = the full value.
      js.rank(cands, ctx);
      out.dense_js_us = timeCalls(() => denseJs(inp, wts, vjs), { minMs: ms });
      const denseCheck = { n, js_vs_purejs_max_abs_diff: maxAbsDiff(vjs, js.lastValuesNoPenalty ?? vjs) };
      if (tf) {
        const prep = prepareTfjs(tf, wts, dim);
        const vtf = tfjsDense(tf, prep, inp);
        denseCheck.tfjs_vs_js_max_abs_diff = maxAbsDiff(vtf, vjs);
        out.tfjs_dense_us = timeCalls(() => tfjsDense(tf, prep, inp), { warmup: 10, minMs: ms });
        out.tfjs_backend = tf.getBackend();
        log(`TF.js dense n=${n}: ${out.tfjs_dense_us.median_us} us; JS dense ${out.dense_js_us.median_us} us`);
      }
      // reelrank's own dense kernel in wasm (dense_kernel.h via the bench
      // module's DenseBench), same inputs: raw E, normalised inside, as
      // denseJs and tfjsDense do ("normalize" on); and the ranker's own path
      // (unit E written once, no normalisation).
      if (benchModule?.DenseBench) {
        const db = new benchModule.DenseBench(n, dim);
        const unitE = new Float32Array(inp.E.length);
        for (let i = 0; i < n; i++) {
          let nn = 0;
          for (let d = 0; d < dim; d++) nn += inp.E[i * dim + d] ** 2;
          const inv = nn > 0 ? 1 / Math.sqrt(nn) : 0;
          for (let d = 0; d < dim; d++) unitE[i * dim + d] = inp.E[i * dim + d] * inv;
        }
        const F = () => benchModule.HEAPF32; // re-read after any allocation
        const put = (ptr, arr) => F().set(arr, ptr >> 2);
        put(db.ePtr(), inp.E);
        put(db.priorPtr(), inp.prior);
        put(db.sparsePtr(), inp.sparse);
        put(db.wPtr(), wts.W);
        put(db.uPtr(), wts.U);
        put(db.objPtr(), wts.obj);
        db.setWeights();
        db.run(true, true);
        const vw = F().slice(db.valuePtr() >> 2, (db.valuePtr() >> 2) + n);
        denseCheck.wasm_vs_js_max_abs_diff = maxAbsDiff(vw, vjs);
        denseCheck.wasm_tol = DENSE_TOL;
        out.dense_wasm_us = timeCalls(() => db.run(true, true), { batch: 10, minMs: ms });
        put(db.ePtr(), unitE);
        db.run(false, true);
        const vu = F().slice(db.valuePtr() >> 2, (db.valuePtr() >> 2) + n);
        denseCheck.wasm_unit_vs_js_max_abs_diff = maxAbsDiff(vu, vjs);
        out.dense_wasm_unit_us = timeCalls(() => db.run(false, true), { batch: 10, minMs: ms });
        db.delete();
        if (!(denseCheck.wasm_vs_js_max_abs_diff <= DENSE_TOL) || !(denseCheck.wasm_unit_vs_js_max_abs_diff <= DENSE_TOL)) {
          out.notes.push(`dense check: wasm vs JS max |diff| ${denseCheck.wasm_vs_js_max_abs_diff} / unit ${denseCheck.wasm_unit_vs_js_max_abs_diff} > ${DENSE_TOL}`);
        }
        log(`wasm dense n=${n}: ${out.dense_wasm_us.median_us} us (unit E: ${out.dense_wasm_unit_us.median_us} us), max |diff| vs JS ${denseCheck.wasm_vs_js_max_abs_diff}`);
      }
      out.dense_check = denseCheck;
    }
    a.close();
    b.close();
  }
  return out;
}
