// Merges the outputs of one benchmark run into one table (stdout, Markdown)
// and, with --json OUT, one JSON file.
//
//   node tests/bench/aggregate.mjs --dir DIR [--json OUT] [--md OUT]
//
// DIR holds native.json (Google Benchmark), profile_sizes.jsonl, node.json,
// chromium.json and meta.json (written by run.sh).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (k) => {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : null;
};
const dir = opt('--dir');
const jsonOut = opt('--json');
const mdOut = opt('--md');
const read = (f) => (existsSync(`${dir}/${f}`) ? JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) : null);

const meta = read('meta.json') ?? {};
const nat = read('native.json');
const node = read('node.json');
const chr = read('chromium.json');
const chrs = chr?.suite ?? null;
const sizesLines = existsSync(`${dir}/profile_sizes.jsonl`)
  ? readFileSync(`${dir}/profile_sizes.jsonl`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];

// Native: BM name -> median_us counter.
const natMed = {};
for (const b of nat?.benchmarks ?? []) {
  if (b.run_type === 'aggregate') continue;
  natMed[b.name] = b.median_us ?? (b.time_unit === 'us' ? b.real_time : null);
  if (b.bytes !== undefined) natMed[b.name + ':bytes'] = b.bytes;
}
// Native rank(1,000) was measured again after the node and the Chromium
// parts (run.sh): per benchmark, every run's record; the table uses the run
// with the median median_us (its p10 too).
const natRecords = {};
for (const f of ['native.json', 'native_rank_after_node.json', 'native_rank_after_chromium.json']) {
  for (const b of read(f)?.benchmarks ?? []) {
    if (b.run_type !== 'aggregate') (natRecords[b.name] ??= []).push(b);
  }
}
const natRuns = {}; // the medians of benchmarks run more than once
const natP10 = {};
for (const [name, recs] of Object.entries(natRecords)) {
  if (recs.length > 1) natRuns[name] = recs.map((b) => b.median_us);
  const chosen = [...recs].sort((a, b) => a.median_us - b.median_us)[(recs.length - 1) >> 1];
  if (chosen.median_us !== undefined) natMed[name] = chosen.median_us;
  natP10[name] = chosen.p10_us ?? null;
}
// Native like for like: BM_RankPrepared (Ranker::Prepare once, then
// Rank(prepared) per call) is the path of the web API's registered batch;
// BM_Rank (Rank(candidates) per call) is the path of the bench module's
// core-only timing (it ranks a std::vector<Candidate>).
const nRank = (n, d, f) => natMed[`BM_Rank/n:${n}/dim:${d}/full:${f}`] ?? null;
const nRankP = (n, d, f) => natMed[`BM_RankPrepared/n:${n}/dim:${d}/full:${f}`] ?? null;
const jRank = (s, key) => s?.rank?.[key]?.median_us ?? null;
const jP10 = (s, key) => s?.rank?.[key]?.p10_us ?? null;
const nP10 = (n, d, f) => natP10[`BM_RankPrepared/n:${n}/dim:${d}/full:${f}`] ?? null;

// Sizes of the shipped module.
const distDir = meta.web_dist ?? new URL('../../web/dist/', import.meta.url).pathname;
const size = (f) => {
  const p = `${distDir}/${f}`;
  if (!existsSync(p)) return { raw: null, gzip: null };
  const b = readFileSync(p);
  return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length };
};
const wasmSize = size('reelrank_core.wasm');
const glueSize = size('reelrank_core.js');
const gz = wasmSize.gzip !== null && glueSize.gzip !== null ? wasmSize.gzip + glueSize.gzip : null;

const profAt = (e) => sizesLines.find((l) => l.events === e)?.profile_bytes ?? null;
const peakRss = sizesLines.find((l) => l.peak_rss_bytes)?.peak_rss_bytes ?? null;

const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
const fmt = (v, d = 1) => (v === null || v === undefined ? 'n/a' : Number(v) >= 100 ? Math.round(v).toString() : Number(v).toFixed(d));

// ---- headline figures ---------------------------------------------------
const rank1000 = {
  native: nRankP(1000, 32, 1),
  native_unprepared: nRank(1000, 32, 1),
  wasm_node: jRank(node, 'n1000_d32_full1'),
  wasm_chromium: jRank(chrs, 'n1000_d32_full1'),
  pure_js: jRank(chrs, 'purejs_n1000_d32'),
  tfjs_wasm: chrs?.tfjs_dense_us?.median_us ?? null,
};
// The one-shot path rank(candidates, context) (packs + decodes the batch on
// every call) and setCandidates (once per server batch), for before / after.
const rank1000Oneshot = {
  wasm_node: jRank(node, 'oneshot_n1000_d32_full1'),
  wasm_chromium: jRank(chrs, 'oneshot_n1000_d32_full1'),
  wasm_chromium_lean: jRank(chrs, 'oneshot_n1000_d32_full0'),
};
const setCandidates1000 = {
  wasm_node: jRank(node, 'set_n1000_d32_full1'),
  wasm_chromium: jRank(chrs, 'set_n1000_d32_full1'),
};
const rank1000Lean = {
  native: nRankP(1000, 32, 0),
  native_unprepared: nRank(1000, 32, 0),
  wasm_node: jRank(node, 'n1000_d32_full0'),
  wasm_chromium: jRank(chrs, 'n1000_d32_full0'),
  wasm_chromium_same_model: jRank(chrs, 'wasm_checked_n1000_d32'),
  pure_js: jRank(chrs, 'purejs_n1000_d32'),
  pure_js_node: jRank(node, 'purejs_n1000_d32'),
};
// The dense part alone (n = 1000, dim 32, same inputs for all): reelrank's
// dense kernel in wasm (bench module DenseBench; raw E normalised inside, as
// the peers do; "unit" = the ranker's path, unit E, no normalisation),
// plain JS (denseJs) and TF.js with its wasm backend (tfjsDense). Native:
// BM_DenseKernel (unit E).
const dense = {
  wasm_chromium: chrs?.dense_wasm_us?.median_us ?? null,
  wasm_node: node?.dense_wasm_us?.median_us ?? null,
  pure_js: chrs?.dense_js_us?.median_us ?? null,
  tfjs_wasm: chrs?.tfjs_dense_us?.median_us ?? null,
  wasm_unit_chromium: chrs?.dense_wasm_unit_us?.median_us ?? null,
  wasm_unit_node: node?.dense_wasm_unit_us?.median_us ?? null,
  pure_js_node: node?.dense_js_us?.median_us ?? null,
  tfjs_wasm_node: node?.tfjs_dense_us?.median_us ?? null,
  native_unit: natMed['BM_DenseKernel/n:1000/dim:32'] ?? null,
};
const observe = {
  native: natMed['BM_Observe'] ?? null,
  wasm_node: node?.observe_us?.median_us ?? null,
  wasm_chromium: chrs?.observe_us?.median_us ?? null,
};
// Startup: first visit (fresh context; the key startup_ms_chromium keeps this
// figure, as before) and repeat visit (cached files and compiled code).
const startup = chr?.startup?.total_ms ?? null;
const startupRepeat = chr?.startup_repeat?.total_ms ?? null;
const coreW = chrs?.core_wasm ?? null;
const ratios = {
  core_wasm_over_native_chromium: ratio(coreW?.n1000_d32_full1?.median_us, rank1000.native_unprepared),
  core_wasm_over_native_chromium_lean: ratio(coreW?.n1000_d32_full0?.median_us, rank1000Lean.native_unprepared),
  pure_js_over_core_wasm: ratio(rank1000Lean.pure_js, coreW?.n1000_d32_full0?.median_us),
  tfjs_over_core_wasm: ratio(rank1000.tfjs_wasm, coreW?.n1000_d32_full0?.median_us),
  wasm_over_native_chromium: ratio(rank1000.wasm_chromium, rank1000.native),
  wasm_over_native_node: ratio(rank1000.wasm_node, rank1000.native),
  wasm_over_native_chromium_lean: ratio(rank1000Lean.wasm_chromium, rank1000Lean.native),
  pure_js_over_wasm: ratio(rank1000Lean.pure_js, rank1000Lean.wasm_chromium_same_model ?? rank1000Lean.wasm_chromium),
  tfjs_over_wasm: ratio(rank1000.tfjs_wasm, rank1000Lean.wasm_chromium_same_model ?? rank1000Lean.wasm_chromium),
  tfjs_over_js_dense: ratio(rank1000.tfjs_wasm, chrs?.dense_js_us?.median_us),
  tfjs_over_wasm_dense: ratio(dense.tfjs_wasm, dense.wasm_chromium),
  tfjs_over_wasm_dense_node: ratio(dense.tfjs_wasm_node, dense.wasm_node),
  pure_js_over_wasm_dense: ratio(dense.pure_js, dense.wasm_chromium),
  wasm_dense_over_native: ratio(dense.wasm_unit_chromium, dense.native_unit),
};
const targets = [
  ['rank 1,000 in Chromium <= 0.5 ms (full pipeline, registered batch)', rank1000.wasm_chromium, (v) => v <= 500, `${fmt(rank1000.wasm_chromium)} us`],
  ['wasm <= 1.5x native (rank 1,000, Chromium)', ratios.wasm_over_native_chromium, (v) => v <= 1.5, `${ratios.wasm_over_native_chromium}x`],
  ['pure JS >= 2x slower than wasm', ratios.pure_js_over_wasm, (v) => v >= 2, `${ratios.pure_js_over_wasm}x`],
  ['TF.js >= 5x slower than wasm on the dense part (same inputs, Chromium)', ratios.tfjs_over_wasm_dense, (v) => v >= 5, `${ratios.tfjs_over_wasm_dense}x`],
  ['(extra) TF.js dense part vs whole wasm rank >= 5x', ratios.tfjs_over_wasm, (v) => v >= 5, `${ratios.tfjs_over_wasm}x`],
  ['observe <= 10 us (Chromium)', observe.wasm_chromium, (v) => v <= 10, `${fmt(observe.wasm_chromium, 2)} us`],
  ['wasm + glue <= 150 KB gzipped', gz, (v) => v <= 150 * 1024, `${fmt(gz / 1024)} KB`],
  ['startup <= 30 ms (Chromium), first visit (fresh context, cold cache)', startup, (v) => v <= 30, `${fmt(startup)} ms`],
  ['startup <= 30 ms (Chromium), first visit with preload hints (from the first fetch)', chr?.startup_preload?.from_first_fetch_ms ?? null, (v) => v <= 30, `${fmt(chr?.startup_preload?.from_first_fetch_ms)} ms`],
  ['startup <= 30 ms (Chromium), repeat visit (HTTP + code cache)', startupRepeat, (v) => v <= 30, `${fmt(startupRepeat)} ms`],
];

// ---- table ---------------------------------------------------------------
const L = [];
L.push(`reelrank benchmarks — ${meta.date ?? new Date().toISOString()} — ${meta.cpu ?? ''} (${meta.cores ?? '?'} cores)`);
L.push(`${chr?.browser ?? 'chromium n/a'}; ${node?.env ?? 'node n/a'}; medians of per-call wall time (µs) after warm-up`);
L.push('');
L.push('wasm columns: the web API with the batch registered once (setCandidates), then rank(context) per call; "one-shot" = rank(candidates, context) per call. native = BM_RankPrepared (prepared once, the same path as a registered batch); native unprepared = BM_Rank (Rank(candidates) per call, the path of the bench module\'s core-only column).');
const runsOf = (name) => (natRuns[name] ?? []).map((v) => fmt(v)).join(' / ');
if (Object.keys(natRuns).length) {
  L.push('');
  L.push(`native rank(1,000) at the start, after the node part and after the Chromium part of this run (µs; the table uses the median): BM_RankPrepared dim 32 full ${runsOf('BM_RankPrepared/n:1000/dim:32/full:1')}, lean ${runsOf('BM_RankPrepared/n:1000/dim:32/full:0')}; BM_Rank dim 32 full ${runsOf('BM_Rank/n:1000/dim:32/full:1')}, lean ${runsOf('BM_Rank/n:1000/dim:32/full:0')}.`);
}
L.push('');
L.push('| rank(N) µs: median (p10) | native | wasm node | wasm Chromium | Chromium / native | one-shot node | one-shot Chromium | setCandidates Chromium | native unprepared | core in wasm, Chromium (bench module, no result columns) | core wasm / native unprepared |');
L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const full of [1, 0]) {
  for (const dim of [32, 64]) {
    for (const n of [100, 1000, 10000]) {
      const a = nRankP(n, dim, full);
      const u = nRank(n, dim, full);
      const c = jRank(chrs, `n${n}_d${dim}_full${full}`);
      const key = `n${n}_d${dim}_full${full}`;
      const k = chrs?.core_wasm?.[key]?.median_us ?? null;
      const kp = chrs?.core_wasm?.[key]?.p10_us ?? null;
      L.push(`| N=${n} dim=${dim} ${full ? 'full pipeline' : 'lean'} | ${fmt(a)} (${fmt(nP10(n, dim, full))}) | ${fmt(jRank(node, key))} (${fmt(jP10(node, key))}) | ${fmt(c)} (${fmt(jP10(chrs, key))}) | ${fmt(ratio(c, a), 2)} | ` +
        `${fmt(jRank(node, 'oneshot_' + key))} | ${fmt(jRank(chrs, 'oneshot_' + key))} | ${fmt(jRank(chrs, 'set_' + key))} | ${fmt(u)} | ${fmt(k)} (${fmt(kp)}) | ${fmt(ratio(k, u), 2)} |`);
    }
  }
}
L.push('');
L.push('| peers, dim=32, same model and candidates (µs) | N=100 | N=1000 | N=10000 |');
L.push('|---|---:|---:|---:|');
const row = (label, s, k) => `| ${label} | ${[100, 1000, 10000].map((n) => fmt(jRank(s, `${k}_n${n}_d32`))).join(' | ')} |`;
L.push(row('wasm (web API, lean, registered batch) Chromium', chrs, 'wasm_checked'));
L.push(row('pure JS Chromium', chrs, 'purejs'));
L.push(row('wasm (web API, lean, registered batch) node', node, 'wasm_checked'));
L.push(row('pure JS node', node, 'purejs'));
L.push(`| dense part only, N=1000: reelrank kernel wasm / plain JS / TF.js wasm (Chromium) | | ${fmt(dense.wasm_chromium)} / ${fmt(dense.pure_js)} / ${fmt(dense.tfjs_wasm)} | |`);
L.push(`| dense part only, N=1000: reelrank kernel wasm / plain JS / TF.js wasm (node) | | ${fmt(dense.wasm_node)} / ${fmt(dense.pure_js_node)} / ${fmt(dense.tfjs_wasm_node)} | |`);
L.push(`| dense part only, N=1000, unit E (the ranker's path): kernel wasm Chromium / node / native | | ${fmt(dense.wasm_unit_chromium)} / ${fmt(dense.wasm_unit_node)} / ${fmt(dense.native_unit)} | |`);
const chk = chrs?.purejs_check?.n1000;
L.push('');
L.push(`Pure-JS check (Chromium, N=1000): max |value diff| ${chk?.max_abs_diff ?? 'n/a'} (tolerance ${chk?.tol ?? 'n/a'}: reelrank's dense part is single precision), ` +
  `same order: ${chk?.same_order ?? 'n/a'}, same order up to near-ties: ${chk?.same_order_up_to_ties ?? 'n/a'}; ` +
  `dense part vs plain JS max |diff|: TF.js ${chrs?.dense_check?.tfjs_vs_js_max_abs_diff ?? 'n/a'}, reelrank kernel ${chrs?.dense_check?.wasm_vs_js_max_abs_diff ?? 'n/a'} ` +
  `(unit E ${chrs?.dense_check?.wasm_unit_vs_js_max_abs_diff ?? 'n/a'}; tolerance ${chrs?.dense_check?.wasm_tol ?? 'n/a'})`);
const cw = chrs?.core_wasm;
if (cw) {
  L.push(`Bench module (Chromium, N=1000, dim 32): decode packed batch + core ${fmt(cw.parse_n1000_d32_full0?.median_us)} µs lean / ${fmt(cw.parse_n1000_d32_full1?.median_us)} µs full; ` +
    `core only ${fmt(cw.n1000_d32_full0?.median_us)} / ${fmt(cw.n1000_d32_full1?.median_us)} µs; same best item as the web API ranker: ${cw.same_best_as_web_api}`);
}
const bd = chrs?.rank_breakdown_n1000_d32;
if (bd) {
  L.push(`rank(1000) lean breakdown (Chromium, µs): JS packing ${fmt(bd.pack_us)}, setCandidates (pack + copy + decode) ${fmt(bd.set_us)}; ` +
    `raw _rankKept (core + result columns) ${fmt(bd.raw_rank_us)}, rank(context) ${fmt(bd.rank_registered_us)}, ` +
    `rank(context).ranked (every item built) ${fmt(bd.rank_registered_items_us)}; one-shot rank(candidates, context) ${fmt(bd.total_us)}`);
}
L.push('');
L.push('| other calls (µs) | native | wasm node | wasm Chromium |');
L.push('|---|---:|---:|---:|');
L.push(`| observe() | ${fmt(observe.native, 2)} | ${fmt(observe.wasm_node, 2)} | ${fmt(observe.wasm_chromium, 2)} |`);
L.push(`| next() after rank(1000) | ${fmt(natMed['BM_Next'])} | ${fmt(node?.next_us?.median_us)} | ${fmt(chrs?.next_us?.median_us)} |`);
L.push(`| exportProfile() (2000 views) | ${fmt(natMed['BM_ExportProfile/32'])} | ${fmt(node?.export_us?.median_us)} | ${fmt(chrs?.export_us?.median_us)} |`);
L.push(`| importProfile() (2000 views) | ${fmt(natMed['BM_ImportProfile/32'])} | ${fmt(node?.import_us?.median_us)} | ${fmt(chrs?.import_us?.median_us)} |`);
L.push('');
L.push('| size / startup / memory | value |');
L.push('|---|---:|');
L.push(`| reelrank_core.wasm raw / gzip -9 | ${wasmSize.raw} / ${wasmSize.gzip} B |`);
L.push(`| reelrank_core.js (glue) raw / gzip -9 | ${glueSize.raw} / ${glueSize.gzip} B |`);
L.push(`| wasm + glue gzipped | ${gz} B (${fmt(gz / 1024)} KB) |`);
const st = chr?.startup;
L.push(`| startup Chromium, first visit: import JS + fetch/compile/instantiate + restore profile (median of ${st?.runs ?? 0} fresh contexts) | ${fmt(st?.total_ms)} ms (import ${fmt(st?.import_js_ms)}, create ${fmt(st?.create_ms)}, restore ${fmt(st?.restore_ms)} of ${st?.profile_bytes ?? '?'} B) |`);
const sp = chr?.startup_preload;
if (sp) L.push(`| startup Chromium, first visit of a page with preload hints (web/README.md "Startup"; alternating with the row above): from the first fetch of the package to the profile restored; from navigation start (above, no hints: ${fmt(st?.since_navigation_ms)} ms) | ${fmt(sp.from_first_fetch_ms)} ms; ${fmt(sp.since_navigation_ms)} ms from navigation (create ${fmt(sp.create_ms)}, restore ${fmt(sp.restore_ms)}) |`);
const sr = chr?.startup_repeat;
L.push(`| startup Chromium, repeat visit: the same, in a new tab of a browser profile that loaded the page${sr ? ' twice before' : ' (not run)'} (median of ${sr?.runs ?? 0} visits; files revalidated: ${sr?.all_from_cache ?? 'n/a'}) | ${fmt(sr?.total_ms)} ms (import ${fmt(sr?.import_js_ms)}, create ${fmt(sr?.create_ms)}, restore ${fmt(sr?.restore_ms)}) |`);
const sw = chr?.startup_repeat_wasm_cache;
if (sw) L.push(`| startup Chromium, repeat visit with a wasm code cache forced (${sw.flags}; diagnostic, not default Chromium) | ${fmt(sw.total_ms)} ms (import ${fmt(sw.import_js_ms)}, create ${fmt(sw.create_ms)}, restore ${fmt(sw.restore_ms)}) |`);
for (const e of [1e3, 1e4, 1e5, 1e6]) L.push(`| profile bytes after ${e.toExponential().replace('e+', 'e')} events | ${profAt(e) ?? 'n/a'} |`);
L.push(`| peak RSS, native, 1e6-event run | ${peakRss ? fmt(peakRss / 1048576) + ' MB' : 'n/a'} |`);
L.push(`| wasm linear memory after the suite (peak), node / Chromium | ${fmt((node?.wasm_memory_bytes ?? 0) / 1048576)} / ${fmt((chrs?.wasm_memory_bytes ?? 0) / 1048576)} MB |`);
L.push(`| JS heap used, Chromium (end of suite) | ${chrs?.js_heap_used_bytes ? fmt(chrs.js_heap_used_bytes / 1048576) + ' MB' : 'n/a'} |`);
L.push('');
L.push('| ratio (rank 1,000, dim 32) | value |');
L.push('|---|---:|');
L.push(`| wasm / native, full pipeline: Chromium, node | ${ratios.wasm_over_native_chromium}, ${ratios.wasm_over_native_node} |`);
L.push(`| wasm / native, lean: Chromium | ${ratios.wasm_over_native_chromium_lean} |`);
L.push(`| pure JS / wasm (same model, lean, Chromium) | ${ratios.pure_js_over_wasm} |`);
L.push(`| TF.js dense part / wasm whole rank (Chromium) | ${ratios.tfjs_over_wasm} |`);
L.push(`| core in wasm (bench module, Rank(candidates)) / native unprepared: full, lean | ${ratios.core_wasm_over_native_chromium}, ${ratios.core_wasm_over_native_chromium_lean} |`);
L.push(`| pure JS / core in wasm (lean) | ${ratios.pure_js_over_core_wasm} |`);
L.push(`| TF.js dense part / core in wasm whole scoring (lean) | ${ratios.tfjs_over_core_wasm} |`);
L.push(`| TF.js dense part / plain-JS dense part (Chromium) | ${ratios.tfjs_over_js_dense} |`);
L.push(`| TF.js dense / reelrank dense kernel in wasm, same inputs: Chromium, node | ${ratios.tfjs_over_wasm_dense}, ${ratios.tfjs_over_wasm_dense_node} |`);
L.push(`| plain-JS dense / reelrank dense kernel in wasm (Chromium) | ${ratios.pure_js_over_wasm_dense} |`);
L.push(`| dense kernel wasm / native (unit E, Chromium) | ${ratios.wasm_dense_over_native} |`);
L.push('');
L.push('| target | measured | met |');
L.push('|---|---:|:---:|');
for (const [name, v, test, shown] of targets) L.push(`| ${name} | ${shown} | ${v === null || v === undefined ? 'n/a' : test(v) ? 'yes' : 'NO'} |`);
if ((chrs?.notes ?? []).length) L.push('', 'Notes: ' + chrs.notes.join('; '));
if (meta.load) L.push('', `Machine load average at start / end: ${meta.load} / ${meta.load_end ?? '?'}`);
const table = L.join('\n');
console.log(table);
if (mdOut) writeFileSync(mdOut, table + '\n');

if (jsonOut) {
  const j = {
    date: meta.date,
    machine: { cpu: meta.cpu, cores: meta.cores, load: meta.load, load_end: meta.load_end },
    command: meta.command,
    rank1000_us: rank1000,
    rank1000_lean_us: rank1000Lean,
    rank1000_oneshot_us: rank1000Oneshot,
    set_candidates1000_us: setCandidates1000,
    rank1000_core_wasm_chromium_us: { full: coreW?.n1000_d32_full1?.median_us ?? null, lean: coreW?.n1000_d32_full0?.median_us ?? null },
    dense_us: dense,
    observe_us: observe,
    next_us: { native: natMed['BM_Next'] ?? null, wasm_node: node?.next_us?.median_us ?? null, wasm_chromium: chrs?.next_us?.median_us ?? null },
    wasm_gzip_bytes: gz,
    wasm_bytes: { wasm: wasmSize, glue: glueSize },
    startup_ms_chromium: startup, // first visit (fresh context)
    startup_ms_chromium_repeat: startupRepeat,
    startup: st ?? null,
    startup_repeat: sr ?? null,
    startup_preload: sp ?? null,
    startup_repeat_wasm_cache: sw ?? null,
    profile_bytes_1e6_events: profAt(1e6),
    profile_bytes: Object.fromEntries(sizesLines.filter((l) => l.events).map((l) => [String(l.events), l.profile_bytes])),
    peak_memory: { native_rss_bytes: peakRss, wasm_node_bytes: node?.wasm_memory_bytes ?? null, wasm_chromium_bytes: chrs?.wasm_memory_bytes ?? null },
    ratios,
    purejs_check: chrs?.purejs_check ?? null,
    dense_check: chrs?.dense_check ?? null,
    rank_breakdown_chromium: bd ?? null,
    targets: Object.fromEntries(targets.map(([name, v, test]) => [name, v === null || v === undefined ? null : test(v)])),
    native: natMed,
    native_rank_runs: natRuns,
    node,
    chromium: chr,
  };
  writeFileSync(jsonOut, JSON.stringify(j, null, 1));
}
