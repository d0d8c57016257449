// Startup (a fresh browser context, or a repeat visit: bench_chromium.mjs): fetch + compile + instantiate the wasm
// module through /web/index.js, create a ranker and restore a saved profile
// (window.__profile, injected by the driver). Loaded by startup.html (no
// hints: the package's files are fetched when this module imports them) and
// startup-preload.html (the page's <head> preloads them, so they may be
// fetched before this module runs).
const t0 = performance.now();
const { createRanker } = await import('/web/index.js');
const t1 = performance.now();
const ranker = await createRanker({ embeddingDim: 32, seed: 7, persist: false });
const t2 = performance.now();
let restored = false;
if (window.__profile) {
  ranker.importProfile(window.__profile);
  restored = true;
}
const t3 = performance.now();
// Diagnostic only (not part of the startup figure): the same restore again,
// now that the code it runs is compiled and warm.
let restoreAgainMs = null;
if (window.__profile) {
  const a = performance.now();
  ranker.importProfile(window.__profile);
  restoreAgainMs = Math.round((performance.now() - a) * 100) / 100;
}
const r3 = (x) => Math.round(x * 100) / 100;
const resources = performance.getEntriesByType('resource');
// When the browser started on the package: the first fetch under /web/, or
// t0 if that came later (no preload hints: the import starts it).
const packageStart = Math.min(
  t0,
  ...resources.filter((e) => new URL(e.name).pathname.startsWith('/web/')).map((e) => e.startTime),
);
window.__startup = {
  total_ms: r3(t3 - t0),
  // fetch + compile + instantiate + restore, from the first fetch of the
  // package's files (with preload hints that is before t0).
  from_first_fetch_ms: r3(t3 - packageStart),
  import_js_ms: r3(t1 - t0),
  create_ms: r3(t2 - t1),
  restore_ms: r3(t3 - t2),
  restore_again_ms: restoreAgainMs,
  since_navigation_ms: r3(t3),
  restored,
  profile_bytes: window.__profile?.length ?? 0,
  // Where the time before t0 and inside import/create went: every fetch
  // (start / end relative to navigation start, ms) and the main-thread
  // long tasks the browser reports.
  module_start_ms: r3(t0),
  resources: resources.map((e) => ({
    name: e.name.replace(location.origin, ''),
    start_ms: r3(e.startTime),
    end_ms: r3(e.responseEnd),
    bytes: e.encodedBodySize,
    // Bytes over the network: ~300 for a 304 revalidation, 0 from the cache.
    transfer_bytes: e.transferSize,
  })),
};
