// The demo on the real KuaiRec catalog (../shared/data/kuairec, read at run
// time, never committed). Skipped when the data is not there. Starts its own
// server with --catalog kuairec so the other specs stay on the generated
// catalog.
import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHONE, watchPage, swipe, current } from './feed-helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = path.resolve(repo, '..', 'shared', 'data', 'kuairec');
const PORT = Number(process.env.PW_PORT ?? 8123) + 2;
const BASE = `http://127.0.0.1:${PORT}`;

test.skip(!existsSync(path.join(dataDir, 'kuairec_caption_category.csv')), `no KuaiRec data in ${dataDir}`);
test.use({ viewport: PHONE, baseURL: BASE });

let server;
test.beforeAll(async () => {
  server = spawn(process.execPath, [path.join(repo, 'demo', 'server.mjs'), '--port', String(PORT), '--catalog', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    server.stdout.on('data', (d) => { if (String(d).includes('reelrank demo:')) resolve(); });
  });
});
test.afterAll(() => server?.kill());

test('KuaiRec catalog: real captions and categories, credited, trends per category', async ({ page }, testInfo) => {
  const info = await (await page.request.get('/api/catalog')).json();
  expect(info.catalog).toBe('kuairec');
  expect(info.total).toBe(10728);
  expect(info.credit.license).toBe('CC BY-SA 4.0');
  const names = info.categories.map((c) => c.name);
  expect(names).toContain('Food');
  expect(names).toHaveLength(39);
  // Every top-level category has an English name (no CJK characters left).
  for (const n of names) expect(n).not.toMatch(/[\u4e00-\u9fff]/);

  const watch = await watchPage(page, BASE);
  await page.goto('/#debug&speed=20');
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.locator('#credit')).toContainText('KuaiRec');
  await expect(page.locator('#credit')).toContainText('Gao et al.');
  await expect(page.locator('#credit')).toContainText('CC BY-SA 4.0');
  await page.locator('#feed').focus();
  for (let i = 0; i < 5; i++) await swipe(page, i % 2 ? 'wheel' : 'key');
  expect(names).toContain((await current(page)).category);
  await expect(page.locator('#card')).toHaveAttribute('data-id', /^k\d+$/);
  const shotPath = testInfo.outputPath('feed-kuairec-phone.png');
  await page.screenshot({ path: shotPath });

  await page.locator('#tabs button[data-tab="create"]').click();
  await page.locator('#create-category').selectOption('Food');
  await expect(page.locator('#create')).toHaveAttribute('data-category', 'Food');
  await expect(page.locator('#trend-tags li')).not.toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('creator-kuairec-phone.png') });
  await watch.check(names);
});
