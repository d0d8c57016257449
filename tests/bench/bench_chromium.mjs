// Drives the benchmark page and the startup page in headless Chromium
// (Debian's /usr/bin/chromium through Playwright, as playwright.config.js).
//
//   node tests/bench/bench_chromium.mjs [--quick] [--out FILE] [--startup-runs N]
//   node tests/bench/bench_chromium.mjs --startup-only [--startup-runs N] [--out FILE]
//   [--repeat-runs N] [--forced-wasm-cache]
//
// Startup (page/startup.html, default browser flags):
// - `startup`, first visit: each run in a fresh browser context (empty HTTP
//   cache, no compiled code of any kind).
// - `startup_preload`, first visit of page/startup-preload.html (the same
//   module, the page's <head> preloads the package's files), alternating with
//   `startup` run by run. Its figure is `from_first_fetch_ms` (the hints start
//   the fetches before the page module's t0); both carry
//   `since_navigation_ms`.
// - `startup_repeat`, repeat visit: one persistent browser context (an
//   on-disk profile) that has visited the page WARM_VISITS times before (each
//   warm-up visit stays DWELL_MS on the page, then its tab is closed); every
//   measured visit then opens a new tab, loads the page once and closes the
//   tab before the next. So a measured visit has the HTTP cache (files
//   revalidated with a 304, see server.mjs) and whatever compiled code
//   Chromium stored for the files, in a new renderer process (a closed
//   tab's process is gone: nothing of its V8 isolate carries over).
// --forced-wasm-cache adds `startup_repeat_wasm_cache`, the same repeat
// visits with --js-flags=--wasm-caching-timeout-ms=0, a diagnostic: with
// default flags V8 writes no wasm code cache for this page (see README).
//
// --startup-only skips the suite: the profile to restore is made under node
// through web/index.js exactly as the suite makes it (2,000 views, full
// pipeline, the bench model pack), then only the startup runs are measured.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { startServer } from './server.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const outFile = outIdx >= 0 ? args[outIdx + 1] : null;
const runsIdx = args.indexOf('--startup-runs');
const startupRuns = runsIdx >= 0 ? Number(args[runsIdx + 1]) : quick ? 3 : 9;
const startupOnly = args.includes('--startup-only');
const repeatIdx = args.indexOf('--repeat-runs');
const repeatRuns = repeatIdx >= 0 ? Number(args[repeatIdx + 1]) : startupRuns;
const forcedWasmCache = args.includes('--forced-wasm-cache');
const WARM_VISITS = 2; // the 2nd visit is the one that makes V8's JS code cache
const DWELL_MS = 3000; // > V8's --wasm-caching-timeout-ms default (2,000)
const err = (m) => process.stderr.write(`[chromium] ${m}\n`);

const server = await startServer(0);
const base = `http://127.0.0.1:${server.address().port}`;
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--enable-precise-memory-info',
];
const EXE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launch = (extra = []) => chromium.launch({ executablePath: EXE, headless: true, args: [...ARGS, ...extra] });
// Steady-state figures: wasm compiled by the optimizing tier up front
// (--no-liftoff), so background tier-up on a busy 2-core machine does not
// leak baseline-code timings into the medians. Startup uses default flags.
// The profile saved after 2,000 views, made under node (--startup-only).
async function nodeProfile() {
  const { createRanker } = await import('../../web/index.js');
  const { learn, modelPack, FULL } = await import('./suite.mjs');
  const a = await createRanker({ embeddingDim: 32, seed: 7, config: FULL, modelPack: modelPack(), persist: false });
  learn(a, 32, 2000);
  const p = a.exportProfile();
  a.close();
  return p;
}

// One load of the startup page in tab `p` (its context injects
// window.__profile); resolves to the page's window.__startup.
async function visit(p, dwellMs = 0, page = 'startup.html') {
  await p.goto(`${base}/tests/bench/page/${page}`);
  await p.waitForFunction(() => window.__startup !== undefined, null, { timeout: 60_000 });
  const r = await p.evaluate(() => window.__startup);
  if (dwellMs > 0) await p.waitForTimeout(dwellMs);
  return r;
}

// Repeat visits in one persistent context (header comment). `extra` are
// extra browser flags.
async function repeatVisits(profile, n, extra) {
  const dir = mkdtempSync(join(tmpdir(), 'reelrank-startup-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: EXE, headless: true, args: [...ARGS, ...extra] });
  try {
    await ctx.addInitScript((p) => {
      window.__profile = p;
    }, profile);
    // One tab at a time: close the last one, let its renderer exit.
    const tab = async () => {
      for (const p of ctx.pages()) await p.close();
      await new Promise((r) => setTimeout(r, 300));
      return ctx.newPage();
    };
    for (let i = 0; i < WARM_VISITS; i++) await visit(await tab(), DWELL_MS);
    const runs = [];
    for (let i = 0; i < n; i++) runs.push(await visit(await tab()));
    const res = summary(runs, `median of ${runs.length} visits, each in a new tab of a browser profile that visited the page ${WARM_VISITS} times before`);
    res.flags = extra.length ? extra.join(' ') : 'default';
    // Every file revalidated (304) or served from the cache (transfer bytes
    // below 1 KB), not downloaded again.
    res.all_from_cache = runs.every((r) => r.resources.every((e) => e.transfer_bytes < 1024));
    return res;
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Medians of the per-run fields of page/startup.mjs.
function summary(runs, how) {
  const med = (k) => {
    const v = runs.map((r) => r[k]).sort((a, b) => a - b);
    return v[v.length >> 1];
  };
  return {
    runs: runs.length,
    how,
    total_ms: med('total_ms'),
    from_first_fetch_ms: med('from_first_fetch_ms'),
    since_navigation_ms: med('since_navigation_ms'),
    import_js_ms: med('import_js_ms'),
    create_ms: med('create_ms'),
    restore_ms: med('restore_ms'),
    module_start_ms: med('module_start_ms'),
    restore_again_ms: med('restore_again_ms'),
    resources_median_run: runs.find((r) => r.total_ms === med('total_ms'))?.resources,
    profile_bytes: runs[0]?.profile_bytes,
    restored: runs.every((r) => r.restored),
    all_total_ms: runs.map((r) => r.total_ms),
  };
}

let browser = startupOnly ? null : await launch(['--js-flags=--no-liftoff']);
const out = startupOnly ? {} : { browser: `chromium ${browser.version()}`, suite_js_flags: '--no-liftoff' };
try {
  let profile;
  if (startupOnly) {
    profile = await nodeProfile();
  } else {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    else if (!m.text().startsWith('rank ') || quick) err(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}/tests/bench/page/bench.html${quick ? '?quick' : ''}`);
  await page.waitForFunction(() => window.__benchResult !== undefined, null, { timeout: 8 * 60_000, polling: 500 });
  const res = await page.evaluate(() => window.__benchResult);
  if (res.error) throw new Error('bench page: ' + res.error);
  profile = res.saved_profile;
  delete res.saved_profile;
  out.suite = res;
  out.console_errors = errors;
  await ctx.close();
  await browser.close();
  }
  browser = await launch();
  if (startupOnly) out.browser = `chromium ${browser.version()}`;
  out.startup_browser_flags = 'default';

  // First visit: each run in a fresh context (fresh HTTP cache, fresh
  // compile); the page without hints and the page with preload hints
  // (page/startup-preload.html) alternate, so both see the same machine.
  const runs = [];
  const preloadRuns = [];
  for (let i = 0; i < startupRuns; i++) {
    for (const [page, into] of [['startup.html', runs], ['startup-preload.html', preloadRuns]]) {
      const c = await browser.newContext();
      await c.addInitScript((p) => {
        window.__profile = p;
      }, profile);
      into.push(await visit(await c.newPage(), 0, page));
      await c.close();
    }
  }
  out.startup = summary(runs, `median of ${runs.length} fresh browser contexts`);
  out.startup_preload = summary(preloadRuns, `median of ${preloadRuns.length} fresh browser contexts, page with preload hints`);
  err(`startup, first visit: median ${out.startup.total_ms} ms over ${runs.length} runs (from navigation ${out.startup.since_navigation_ms} ms); with preload hints: from the first fetch ${out.startup_preload.from_first_fetch_ms} ms, from navigation ${out.startup_preload.since_navigation_ms} ms`);
  await browser.close();
  browser = null;

  out.startup_repeat = await repeatVisits(profile, repeatRuns, []);
  err(`startup, repeat visit: median ${out.startup_repeat.total_ms} ms over ${repeatRuns} runs`);
  if (forcedWasmCache) {
    out.startup_repeat_wasm_cache = await repeatVisits(profile, repeatRuns, ['--js-flags=--wasm-caching-timeout-ms=0']);
    err(`startup, repeat visit, forced wasm code cache: median ${out.startup_repeat_wasm_cache.total_ms} ms`);
  }
} finally {
  await browser?.close();
  server.close();
}
const text = JSON.stringify(out, null, 1);
if (outFile) writeFileSync(outFile, text);
else process.stdout.write(text + '\n');
