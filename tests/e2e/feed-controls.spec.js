// The demo's user controls as a person meets them: the non-personalized feed
// (EU DSA Art. 38) at a phone viewport.
import { test, expect } from '@playwright/test';
import { PHONE, DESKTOP, openFeed, swipe, summary, current } from './feed-helpers.js';

test.use({ viewport: PHONE });

async function openTab(page, tab) {
  await page.locator(`#tabs button[data-tab="${tab}"]`).click();
}

test('"Personalized feed" off: swiping learns nothing; on again: learning resumes', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await openFeed(page, { speed: 40 });
  await openTab(page, 'controls');
  const box = page.locator('#personalize');
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(page.locator('#controls-status')).toContainText('Not personalized');
  await page.screenshot({ path: testInfo.outputPath('controls-not-personalized.png') });
  const before = await summary(page);
  expect(before.personalization).toBe(false);
  await openTab(page, 'feed');
  await page.locator('#feed').focus();
  for (let i = 0; i < 6; i++) await swipe(page);
  const off = await summary(page);
  expect(off.stats.events).toBe(before.stats.events);
  await openTab(page, 'profile');
  await expect(page.locator('#stats')).toContainText('not personalized');
  await openTab(page, 'controls');
  await box.check();
  expect((await summary(page)).personalization).toBe(true);
  await openTab(page, 'feed');
  await page.locator('#feed').focus();
  for (let i = 0; i < 3; i++) await swipe(page);
  expect((await summary(page)).stats.events).toBeGreaterThan(off.stats.events);
  // The switch is kept across a reload (with the other controls).
  await openTab(page, 'controls');
  await box.uncheck();
  await page.reload();
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openTab(page, 'controls');
  await expect(page.locator('#personalize')).not.toBeChecked();
  expect((await summary(page)).personalization).toBe(false);
});

test('"Topics": less / more per category is applied, kept across a reload and explained', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await openFeed(page, { speed: 40 });
  await openTab(page, 'controls');
  const selects = page.locator('#topic-levels select');
  expect(await selects.count()).toBeGreaterThan(1);
  const first = selects.nth(0);
  const topic = await first.getAttribute('data-topic');
  await first.selectOption('less');
  await expect(page.locator('#controls-status')).toContainText(`You asked for less ${topic}`);
  await page.screenshot({ path: testInfo.outputPath('controls-topics.png') });
  await page.reload();
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await openTab(page, 'controls');
  const again = page.locator(`#topic-levels select[data-topic="${topic}"]`);
  await expect(again).toHaveValue('less');
  // "More" of it: its items come, and explain() says why.
  await again.selectOption('more');
  await openTab(page, 'feed');
  await page.locator('#feed').focus();
  let reason = null;
  for (let i = 0; i < 40 && reason === null; i++) {
    const cur = await current(page);
    if (cur.category === topic) reason = (await page.evaluate((id) => window.__reelrank.explain(id), cur.id)).policy;
    else await swipe(page);
  }
  expect(reason, `an item of ${topic} within 40 swipes`).not.toBeNull();
  expect(reason.applied.join(' ')).toContain(`user:more:${topic.toLowerCase()}`);
});

test.describe('desktop (the controls beside the feed)', () => {
  test.use({ viewport: DESKTOP });
  test('after ticking Pause or moving a slider with the mouse, ↓ still moves the feed', async ({ page }) => {
    await openFeed(page, { speed: 40 });
    await openTab(page, 'controls');
    await page.locator('#pause').click();
    await expect(page.locator('#pause')).toBeChecked();
    await swipe(page);  // ArrowDown with the checkbox focused
    const slider = await page.locator('#w-like').boundingBox();
    await page.mouse.click(slider.x + slider.width * 0.7, slider.y + slider.height / 2);
    await swipe(page);  // ArrowDown after the slider was moved
    await page.locator('#pause').click();
    await swipe(page);
  });
});

test('each item has its own moving visual, made on the device; it moves only while playing', async ({ page }, testInfo) => {
  await openFeed(page, { speed: 1 });
  const look = () => page.locator('#card').evaluate((el) => {
    const cs = getComputedStyle(el);
    const before = getComputedStyle(el, '::before');
    return { h1: cs.getPropertyValue('--h1'), x1: cs.getPropertyValue('--x1'), state: el.dataset.state,
      play: before.animationPlayState, name: before.animationName, transform: before.transform };
  });
  const seen = new Set();
  for (let i = 0; i < 4; i++) {
    const a = await look();
    expect(a.name).toBe('drift');
    if (a.state === 'playing') {
      expect(a.play).toBe('running');
      await page.waitForTimeout(400);
      expect((await look()).transform, 'the visual moves while playing').not.toBe(a.transform);
    }
    seen.add(`${a.h1}|${a.x1}`);
    await swipe(page);
  }
  expect(seen.size, 'consecutive items look different').toBeGreaterThanOrEqual(3);
  for (let i = 0; i < 10 && (await look()).state !== 'playing'; i++) await swipe(page);
  await page.keyboard.press(' ');  // pause playback
  await expect(page.locator('#card')).toHaveAttribute('data-state', 'paused');
  expect((await look()).play).toBe('paused');
  await page.screenshot({ path: testInfo.outputPath('card-visual.png') });
});
