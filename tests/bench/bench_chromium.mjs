// Drives the benchmark page and the startup page in headless Chromium
// (Debian's /usr/bin/chromium through Playwright, as playwright.config.js).
//
//   node tests/bench/bench_chromium.mjs [--quick] [--out FILE] [--startup-runs N]
//   node tests/bench/bench_chromium.mjs --startup-only [--startup-runs N] [--out FILE]
//
// --startup-only skips the suite: the profile to restore is made under node
// through web/index.js exactly as the suite makes it (2,000 views, full
// pipeline, the bench model pack), then only the startup runs are measured.
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { startServer } from './server.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const outFile = outIdx >= 0 ? args[outIdx + 1] : null;
const runsIdx = args.indexOf('--startup-runs');
const startupRuns = runsIdx >= 0 ? Number(args[runsIdx + 1]) : quick ? 3 : 9;
const startupOnly = args.includes('--startup-only');
const err = (m) => process.stderr.write(`[chromium] ${m}\n`);

const server = await startServer(0);
const base = `http://127.0.0.1:${server.address().port}`;
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--enable-precise-memory-info',
];
const launch = (extra = []) =>
  chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: [...ARGS, ...extra] });
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

  // Startup, each run in a fresh context (fresh HTTP cache, fresh compile).
  const runs = [];
  for (let i = 0; i < startupRuns; i++) {
    const c = await browser.newContext();
    await c.addInitScript((p) => {
      window.__profile = p;
    }, profile);
    const p = await c.newPage();
    await p.goto(`${base}/tests/bench/page/startup.html`);
    await p.waitForFunction(() => window.__startup !== undefined, null, { timeout: 60_000 });
    runs.push(await p.evaluate(() => window.__startup));
    await c.close();
  }
  const med = (k) => {
    const v = runs.map((r) => r[k]).sort((a, b) => a - b);
    return v[v.length >> 1];
  };
  out.startup = {
    runs: runs.length,
    total_ms: med('total_ms'),
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
  err(`startup median ${out.startup.total_ms} ms over ${runs.length} runs`);
} finally {
  await browser?.close();
  server.close();
}
const text = JSON.stringify(out, null, 1);
if (outFile) writeFileSync(outFile, text);
else process.stdout.write(text + '\n');
