// The demo page loads the wasm ranker, fetches candidates, shows the top one,
// and logs no console errors.
import { test, expect } from '@playwright/test';

test('demo shows a ranked candidate without console errors', async ({ page }, testInfo) => {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  await page.goto('/');
  await expect(page.locator('#status')).toHaveText('ready', { timeout: 20_000 });
  const item = page.locator('#item');
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute('data-id', /^v\d{5}$/);
  await expect(page.locator('#creator')).toHaveText(/^@creator_\d+$/);
  await page.screenshot({ path: testInfo.outputPath('demo.png') });
  expect(problems).toEqual([]);
});
