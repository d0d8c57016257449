// Regenerates demo/screenshot.png (the README image, kept under 150 KB):
// starts the demo server on the generated catalog, watches a few videos of
// one topic to the end (the first item's topic, or $TOPIC), skips the rest,
// and captures the desktop layout with the profile panel.
// Usage: node demo/screenshot.mjs [out.png]   (needs /usr/bin/chromium)
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? path.join(here, 'screenshot.png');
const PORT = 8191;
const server = spawn(process.execPath, [path.join(here, 'server.mjs'), '--port', String(PORT), '--catalog', 'generated'], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.on('data', (d) => { if (String(d).includes('reelrank demo:')) resolve(); }));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 560 } });
  await page.goto(`http://127.0.0.1:${PORT}/#debug&speed=60`);
  await page.waitForSelector('#status[data-state="ready"]', { timeout: 30_000 });
  await page.locator('#feed').focus();
  const shown = () => page.evaluate(() => window.__reelrank.shownCount);
  let watched = 0;
  const target = process.env.TOPIC ?? (await page.evaluate(() => window.__reelrank.current.category));
  for (let i = 0; i < 120 && watched < 6; i++) {
    const cur = await page.evaluate(() => window.__reelrank.current);
    if (cur.category === target) {
      await page.waitForFunction(() => Number(document.querySelector('#card').dataset.loops) >= 1, null, { timeout: 20_000 });
      await page.keyboard.press('l');
      watched++;
    } else {
      await page.waitForTimeout(30);
    }
    const n = await shown();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction((k) => window.__reelrank.shownCount > k, n);
  }
  await page.waitForTimeout(200);
  await page.screenshot({ path: out });
  console.log(`wrote ${out} (${watched} ${target} videos watched)`);
} finally {
  await browser.close();
  server.kill();
}
