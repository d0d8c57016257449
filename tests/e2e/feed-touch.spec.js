// Phone gestures with real touch input (CDP Input.dispatchTouchEvent, as a
// finger on a touch screen): the card follows the finger and snaps, a flick
// up moves on, a swipe that starts on a button still moves the feed, a
// double tap likes (the count moves), a long press opens "not interested"
// and the release leaves it open.
import { test, expect } from '@playwright/test';
import { PHONE, openFeed, shownCount } from './feed-helpers.js';

test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

async function finger(page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type, pts) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map(([x, y]) => ({ x, y })) });
  return {
    async down(x, y) { await send('touchStart', [[x, y]]); },
    async move(x, y) { await send('touchMove', [[x, y]]); },
    async up() { await send('touchEnd', []); },
    async drag(x, y0, y1, steps = 8) {
      await send('touchStart', [[x, y0]]);
      for (let i = 1; i <= steps; i++) await send('touchMove', [[x, y0 + ((y1 - y0) * i) / steps]]);
      await send('touchEnd', []);
    },
    async tap(x, y) { await send('touchStart', [[x, y]]); await send('touchEnd', []); },
  };
}

// Until the current card plays (an interstitial is passed with its button).
async function untilPlaying(page) {
  for (let i = 0; i < 10; i++) {
    const state = await page.locator('#card').getAttribute('data-state');
    if (state === 'playing') return;
    if (state === 'interstitial') await page.locator('#interstitial-watch').click();
    else await page.keyboard.press(' ');
    await page.waitForTimeout(100);
  }
}

test('the card follows the finger and snaps back; a flick up moves on', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  const f = await finger(page);
  const n = await shownCount(page);
  await f.down(200, 600);
  for (const y of [580, 560, 540]) await f.move(200, y);
  const moved = await page.locator('#card').evaluate((el) => el.style.transform);
  expect(moved).toMatch(/translateY\(-\d+/);
  await f.move(200, 595);
  await f.up();
  await expect.poll(() => page.locator('#card').evaluate((el) => el.style.transform)).toBe('');
  expect(await shownCount(page)).toBe(n);
  await f.drag(200, 650, 250);
  await expect.poll(() => shownCount(page)).toBe(n + 1);
});

test('a swipe that starts on the Follow chip or the action rail moves the feed, without pressing it', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  const f = await finger(page);
  for (const sel of ['#follow', '#share']) {
    const n = await shownCount(page);
    const box = await page.locator(sel).boundingBox();
    await f.drag(box.x + box.width / 2, box.y + box.height / 2, box.y - 350);
    await expect.poll(() => shownCount(page)).toBe(n + 1);
  }
  await expect(page.locator('#follow')).not.toHaveText('Following');
});

test('a double tap likes and the count moves; a long press opens "not interested" and stays open', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  await untilPlaying(page);
  const f = await finger(page);
  const before = Number(await page.locator('#like-count').getAttribute('data-count'));
  await f.tap(195, 400);
  await f.tap(195, 400);
  await expect(page.locator('#like')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#card')).toHaveAttribute('data-state', 'playing');  // no play/pause on a double tap
  expect(Number(await page.locator('#like-count').getAttribute('data-count'))).toBe(before + 1);
  await f.down(195, 400);
  await expect(page.locator('#sheet')).toBeVisible({ timeout: 3_000 });
  await f.up();
  await page.waitForTimeout(300);
  await expect(page.locator('#sheet')).toBeVisible();
  await expect(page.locator('#sheet-title')).toHaveText('Not interested in…');
});

test('a swipe down goes back to the previous item; ↑ too; at the first one it says so', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  const f = await finger(page);
  const first = await page.locator('#card').getAttribute('data-id');
  await f.drag(200, 650, 250);
  await expect(page.locator('#card')).not.toHaveAttribute('data-id', first);
  const second = await page.locator('#card').getAttribute('data-id');
  await f.drag(200, 250, 650);
  await expect(page.locator('#card')).toHaveAttribute('data-id', first);
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('#card')).not.toHaveAttribute('data-id', first);
  const third = await page.locator('#card').getAttribute('data-id');
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#card')).toHaveAttribute('data-id', first);
  expect(third).not.toBe(second);  // going forward again ranks anew
  await page.keyboard.press('ArrowUp');
  await expect(page.locator('#toast')).toContainText('first video');
});

test('after "not interested", the Why sheet says what the feed learned from the tap', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  await untilPlaying(page);
  const f = await finger(page);
  await f.down(195, 400);
  await expect(page.locator('#sheet')).toBeVisible({ timeout: 3_000 });
  await f.up();
  await page.locator('.choices button').first().click();  // "This video"
  await untilPlaying(page);
  await page.locator('#why').click();
  await expect(page.locator('#sheet-content')).toContainText('After your "not interested"');
  await expect(page.locator('#sheet-content')).toContainText('hidden for a while; fewer');
});
