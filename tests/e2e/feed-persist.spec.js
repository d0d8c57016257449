// The profile lives in IndexedDB: a reload keeps it, "Delete everything"
// empties it (also across a reload), and export -> delete -> import restores
// it exactly. Driven through the UI (keys, buttons, file input).
import { test, expect } from '@playwright/test';
import { PHONE, openFeed, swipe, summary, watchUntilLooped } from './feed-helpers.js';

test.use({ viewport: PHONE });

// A few long watches, a like and some quick skips: a non-empty profile.
async function learnSomething(page) {
  for (let i = 0; i < 6; i++) {
    if (i % 2 === 0 && (await page.locator('#card').getAttribute('data-state')) === 'playing') {
      await watchUntilLooped(page, 1);
      await page.keyboard.press('l');
    }
    await swipe(page, i % 3 === 2 ? 'wheel' : 'key');
  }
}

// Pauses learning through the UI (so the next page's first impression is
// not learned) and saves now; the pause itself is a control kept with them.
async function pauseAndSave(page) {
  await page.locator('#tabs button[data-tab="controls"]').click();
  await page.locator('#pause').check();
  await page.evaluate(() => window.__reelrank.flush());
}

function digest(s) {
  return {
    events: s.stats.events,
    interests: s.topInterests.map((i) => `${i.name}=${i.weight.toFixed(6)}`),
  };
}

async function ready(page) {
  await expect(page.locator('#status')).toHaveAttribute('data-state', /ready|error/, { timeout: 30_000 });
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready');
}

test('reload keeps the profile; delete everything empties it', async ({ page }) => {
  await openFeed(page, { speed: 40 });
  await learnSomething(page);
  // "Forget the last video" removes exactly that video's events.
  await page.keyboard.press(' ');  // pause playback: no new events meanwhile
  await expect(page.locator('#card')).toHaveAttribute('data-state', 'paused');
  const e1 = (await summary(page)).stats.events;
  await page.locator('#tabs button[data-tab="profile"]').click();
  await page.locator('#forget-last').click();
  await expect(page.locator('#toast')).toContainText(/Forgot \d+ events/);
  const forgot = Number(/Forgot (\d+)/.exec(await page.locator('#toast').textContent())[1]);
  expect(forgot).toBeGreaterThan(0);
  expect((await summary(page)).stats.events).toBe(e1 - forgot);
  await pauseAndSave(page);
  const before = digest(await summary(page));
  expect(before.events).toBeGreaterThan(0);
  expect(before.interests.length).toBeGreaterThan(0);

  await page.reload();
  await ready(page);
  expect(digest(await summary(page))).toEqual(before);

  await page.locator('#tabs button[data-tab="controls"]').click();
  await page.locator('#delete-all').click();
  await expect(page.locator('#controls-status')).toContainText('Everything deleted');
  const empty = digest(await summary(page));
  expect(empty).toEqual({ events: 0, interests: [] });
  await expect(page.locator('#pause')).not.toBeChecked();
  await pauseAndSave(page);
  await page.reload();
  await ready(page);
  expect(digest(await summary(page))).toEqual({ events: 0, interests: [] });
});

test('export -> delete everything -> import restores the profile and controls', async ({ page }, testInfo) => {
  await openFeed(page, { speed: 40 });
  await learnSomething(page);
  await page.locator('#tabs button[data-tab="controls"]').click();
  await page.locator('#block-value').fill('gardening');
  await page.locator('#block-form button[type="submit"]').click();
  await pauseAndSave(page);
  const before = digest(await summary(page));

  const downloading = page.waitForEvent('download');
  await page.locator('#export').click();
  const file = testInfo.outputPath('reelrank-profile.json');
  await (await downloading).saveAs(file);

  await page.locator('#delete-all').click();
  await expect(page.locator('#controls-status')).toContainText('Everything deleted');
  expect(digest(await summary(page))).toEqual({ events: 0, interests: [] });
  await expect(page.locator('#blocked li')).toHaveCount(0);

  await page.locator('#import-file').setInputFiles(file);
  await expect(page.locator('#controls-status')).toContainText('Profile imported');
  expect(digest(await summary(page))).toEqual(before);
  await expect(page.locator('#blocked')).toContainText('#gardening');
  await expect(page.locator('#pause')).toBeChecked();

  // And it is stored again: a reload still has it.
  await page.reload();
  await ready(page);
  expect(digest(await summary(page))).toEqual(before);
});
