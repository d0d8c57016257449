// The demo feed loads and plays at phone size and on desktop; the profile
// panel, the "Why this video?" sheet and the creator tab render; every
// request the page makes is inspected (no profile or event data leaves, no
// third party, strict CSP, no violations). Screenshots are attached.
import { test, expect } from '@playwright/test';
import { PHONE, DESKTOP, watchPage, openFeed, swipe, current } from './feed-helpers.js';

async function shot(page, testInfo, name) {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

// When the current item is a sensitive one, its warning covers the card and
// its buttons (which item lands there depends on timing): watch it anyway.
async function passWarning(page) {
  if ((await page.locator('#card').getAttribute('data-state')) !== 'interstitial') return;
  await page.locator('#interstitial-watch').click();
  await expect(page.locator('#interstitial')).toBeHidden();
}

async function playsFor(page) {
  const w0 = Number(await page.locator('#card').getAttribute('data-watched-ms'));
  await expect.poll(async () => Number(await page.locator('#card').getAttribute('data-watched-ms')), { timeout: 5_000 })
    .toBeGreaterThan(w0 + 300);
  const transform = await page.locator('#progress-bar').evaluate((el) => el.style.transform);
  expect(transform).toMatch(/^scaleX\(0\.\d+\)$/);
}

test('phone 390x844: the feed plays; profile, why-sheet and creator tab render', async ({ page, baseURL }, testInfo) => {
  await page.setViewportSize(PHONE);
  const watch = await watchPage(page, baseURL);
  const res = await page.goto('/#debug');
  expect(res.headers()['content-security-policy']).toContain("default-src 'none'");
  await openFeed(page);
  // The preload hints of demo/index.html are used: each file of the package
  // is downloaded once (a hint that does not match the later request, e.g.
  // in credentials mode, costs a second download of the wasm).
  const pkg = watch.requests.map((r) => new URL(r.url).pathname).filter((p) => p.startsWith('/web/'));
  expect(pkg).toContain('/web/dist/reelrank_core.wasm');
  expect(pkg.length, pkg.join(' ')).toBe(new Set(pkg).size);

  // Full screen: the card fills the space above the tab bar.
  const box = await page.locator('#card').boundingBox();
  expect(box.width).toBe(PHONE.width);
  expect(box.height).toBeGreaterThan(PHONE.height * 0.8);
  await expect(page.locator('#caption')).not.toBeEmpty();
  await expect(page.locator('#creator')).toHaveText(/^@\w+/);
  await playsFor(page);
  await shot(page, testInfo, 'feed-phone.png');

  // A few swipes so the profile has something to show.
  for (let i = 0; i < 6; i++) {
    if (i % 2 === 0) await page.waitForTimeout(400);
    await swipe(page, i % 3 === 2 ? 'wheel' : 'key');
  }
  // A finger (pointer) flick upwards also moves on.
  const n = Number(await page.locator('#card').getAttribute('data-shown'));
  await page.mouse.move(PHONE.width / 2, 600);
  await page.mouse.down();
  await page.mouse.move(PHONE.width / 2, 400, { steps: 4 });
  await page.mouse.move(PHONE.width / 2, 200, { steps: 4 });
  await page.mouse.up();
  await expect(page.locator('#card')).toHaveAttribute('data-shown', String(n + 1));
  await page.keyboard.press('l');
  await expect(page.locator('#like')).toHaveAttribute('aria-pressed', 'true');

  await passWarning(page);
  await page.locator('#why').click();
  await expect(page.locator('#sheet')).toBeVisible();
  await expect(page.locator('#sheet-title')).toHaveText('Why this video?');
  await expect(page.locator('#sheet-content')).toContainText((await current(page)).category);
  await shot(page, testInfo, 'why-sheet-phone.png');
  await page.keyboard.press('Escape');
  await expect(page.locator('#sheet')).toBeHidden();

  await page.locator('#tabs button[data-tab="profile"]').click();
  await expect(page.locator('#profile')).toBeVisible();
  await expect(page.locator('#profile svg.chart')).toBeVisible();
  await expect(page.locator('#objectives li')).not.toHaveCount(0);
  await shot(page, testInfo, 'profile-phone.png');

  await page.locator('#tabs button[data-tab="controls"]').click();
  await expect(page.locator('#controls')).toBeVisible();
  await shot(page, testInfo, 'controls-phone.png');

  await page.locator('#tabs button[data-tab="create"]').click();
  await expect(page.locator('#create')).toBeVisible();
  await page.locator('#create-category').selectOption('pets');
  await expect(page.locator('#create')).toHaveAttribute('data-category', 'pets');
  await expect(page.locator('#trend-tags li')).not.toHaveCount(0);
  await expect(page.locator('#trend-sounds li')).not.toHaveCount(0);
  await page.locator('#draft').fill('My cat learned a new trick');
  await page.locator('#trend-tags li button').first().click();
  await expect(page.locator('#draft')).toHaveValue(/My cat learned a new trick #\w+/);
  await shot(page, testInfo, 'creator-phone.png');

  await watch.check();
});

test('desktop: the feed plays in a 9:16 frame beside the profile panel', async ({ page, baseURL }, testInfo) => {
  await page.setViewportSize(DESKTOP);
  const watch = await watchPage(page, baseURL);
  await openFeed(page, { speed: 4 });
  await playsFor(page);
  const card = await page.locator('#card').boundingBox();
  expect(card.height).toBeGreaterThan(DESKTOP.height * 0.7);
  expect(card.width / card.height).toBeCloseTo(9 / 16, 1);
  const panel = await page.locator('#profile').boundingBox();
  expect(panel.x).toBeGreaterThanOrEqual(card.x + card.width);
  // Loops: with 4x playback, short items complete and start again.
  for (let i = 0; i < 8; i++) {
    await page.waitForTimeout(250);
    await swipe(page, i % 2 ? 'wheel' : 'key');
  }
  await expect(page.locator('#interests li')).not.toHaveCount(0);
  await shot(page, testInfo, 'feed-desktop.png');
  await passWarning(page);
  await page.locator('#why').click();
  await expect(page.locator('#sheet')).toBeVisible();
  await shot(page, testInfo, 'why-sheet-desktop.png');
  await page.locator('#sheet-close').click();
  await page.locator('#tabs button[data-tab="create"]').click();
  await page.locator('#create-category').selectOption('cooking');
  await expect(page.locator('#create')).toHaveAttribute('data-category', 'cooking');
  await page.locator('#draft').fill('Fastest weeknight ramen');
  await shot(page, testInfo, 'creator-desktop.png');
  await watch.check();
});

test('privacy: every request is a plain GET for candidates, trends or static files', async ({ page, baseURL }) => {
  await page.setViewportSize(PHONE);
  const watch = await watchPage(page, baseURL);
  await openFeed(page, { speed: 10 });
  const categories = (await (await page.request.get('/api/catalog')).json()).categories.map((c) => c.name);
  // Use everything that produces events or touches the profile.
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(120);
    await page.keyboard.press(['l', 's', 'f'][i % 3]);
    await swipe(page, i % 2 ? 'wheel' : 'key');
  }
  await page.locator('#comment').click();
  await page.locator('.comment-form input').fill('nice');
  await page.locator('.comment-form button[type="submit"]').click();
  await page.locator('#not-interested').click();
  await page.locator('.ni-creator').click();
  await page.locator('#tabs button[data-tab="controls"]').click();
  await page.locator('#block-value').fill('cooking');
  await page.locator('#block-form button[type="submit"]').click();
  await page.locator('#maturity').selectOption('teen');
  await page.locator('#w-like').fill('3');
  const download = page.waitForEvent('download');
  await page.locator('#export').click();
  await download;
  await page.locator('#tabs button[data-tab="create"]').click();
  await page.locator('#create-category').selectOption('music');
  await expect(page.locator('#create')).toHaveAttribute('data-category', 'music');
  await page.locator('#tabs button[data-tab="feed"]').click();
  await page.evaluate(() => window.__reelrank.flush());
  await page.reload();
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });

  const requests = await watch.check(categories);
  expect(requests.some((r) => r.url.includes('/api/candidates?'))).toBe(true);
  expect(requests.some((r) => r.url.includes('/api/trends?category=music'))).toBe(true);

  // The server itself refuses anything but the two parameters, bodies and non-GET.
  expect((await page.request.get('/api/candidates?cursor=0&n=5&user=me')).status()).toBe(400);
  expect((await page.request.get('/api/trends?category=pets&history=1')).status()).toBe(400);
  expect((await page.request.post('/api/candidates', { data: { profile: 'x' } })).status()).toBe(405);
  expect((await page.request.get('/?profile=x')).status()).toBe(400);
  const api = await page.request.get('/api/candidates?cursor=0&n=2');
  expect(api.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(api.headers()['content-security-policy']).not.toContain('unsafe-inline');
});
