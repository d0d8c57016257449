// Runs hotpath.mjs (rank of 1,000 through the public web API: one-shot vs
// registered batch) under node and in headless Chromium, for one or more
// copies of web/ (to compare builds before / after in one run).
//
//   node tests/bench/bench_hotpath.mjs [--quick] [--no-chromium] [--no-node] [--out FILE] [WEB_DIR ...]
//
// WEB_DIR defaults to the repo's web/ (each must hold index.js and dist/).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startServer } from './server.mjs';
import { runHotpath } from './hotpath.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outIdx = args.indexOf('--out');
const outFile = outIdx >= 0 ? args[outIdx + 1] : null;
const dirs = args.filter((a, i) => !a.startsWith('--') && i !== outIdx + 1);
if (dirs.length === 0) dirs.push(new URL('../../web/', import.meta.url).pathname);
const err = (m) => process.stderr.write(`[hotpath] ${m}\n`);
const results = {};

for (const dir of dirs) {
  const abs = resolve(dir);
  results[abs] = {};
  if (!args.includes('--no-node')) {
    const { createRanker } = await import(pathToFileURL(abs + '/index.js').href);
    results[abs].node = await runHotpath({ createRanker, quick, log: (m) => err(`node ${dir} ${m}`) });
  }
}

if (!args.includes('--no-chromium')) {
  const { chromium } = await import('playwright');
  const mounts = {};
  dirs.forEach((d, i) => { mounts[`/hotpath-web-${i}/`] = resolve(d); });
  const server = await startServer(0, mounts);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--js-flags=--no-liftoff'],
  });
  try {
    for (let i = 0; i < dirs.length; i++) {
      const page = await browser.newPage();
      page.on('console', (m) => err(`chromium ${dirs[i]} ${m.text()}`));
      page.on('pageerror', (e) => err(`chromium page error ${e}`));
      await page.goto(`${base}/tests/bench/page/hotpath.html?web=/hotpath-web-${i}/${quick ? '&quick' : ''}`);
      await page.waitForFunction(() => window.__hotpath !== undefined, null, { timeout: 5 * 60_000, polling: 500 });
      const r = await page.evaluate(() => window.__hotpath);
      if (r.error) throw new Error(r.error);
      results[resolve(dirs[i])].chromium = r;
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}

const text = JSON.stringify(results, null, 1);
if (outFile) writeFileSync(outFile, text);
const rows = [];
for (const [dir, envs] of Object.entries(results)) {
  for (const [env, r] of Object.entries(envs)) {
    for (const [k, v] of Object.entries(r)) if (v?.median_us !== undefined) rows.push(`${env.padEnd(8)} ${k.padEnd(32)} ${String(v.median_us).padStart(10)} us (p10 ${v.p10_us})  ${dir}`);
  }
}
console.log(rows.join('\n'));
