// The package's IndexedDB persistence in real Chromium: debounced saves,
// flush() = committed, restore on reload, backup + recovery events for
// corrupt / truncated / unknown-version data, fresh start when nothing is
// usable. Runs on /demo/blank.html under the demo server's strict CSP.
import { test, expect } from '@playwright/test';
import { openBlank, createPersistent, learnLikes } from './package-helpers.js';

const DB = 'reelrank-e2e';

// In the page: a persistent ranker; rank then watch/like `n` items from event `from`.
const create = (page, key, debounceMs = 50) => createPersistent(page, { dbName: DB, key, seed: 3, debounceMs });
const learn = (page, from, n) => learnLikes(page, from, n, { hourOfDay: 20, likeDelayMs: 500 });

// In the page: change the stored record of the given slot ('current' = head).
async function damage(page, key, which, how) {
  return page.evaluate(async ({ DB, key, which, how }) => {
    const db = await new Promise((res, rej) => { const q = indexedDB.open(DB); q.onsuccess = () => res(q.result); q.onerror = () => rej(q.error); });
    const tx = db.transaction('profiles', 'readwrite');
    const os = tx.objectStore('profiles');
    const get = (k) => new Promise((res) => { const q = os.get(k); q.onsuccess = () => res(q.result); });
    const head = (await get(`${key}/head`)).current;
    const slot = which === 'current' ? head : (head === 'a' ? 'b' : 'a');
    const rec = await get(`${key}/${slot}`);
    if (how === 'checksum') { rec.profile = rec.profile.replace('"events":', '"events":7'); rec.length = rec.profile.length; }
    if (how === 'truncate') rec.profile = rec.profile.slice(0, Math.floor(rec.profile.length / 2));
    if (how === 'version') rec.version = 99;
    if (how === 'garbage') { os.put('garbage', `${key}/${slot}`); } else { os.put(rec, `${key}/${slot}`); }
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
    return slot;
  }, { DB, key, which, how });
}

async function reload(page) {
  await page.reload();
  await page.evaluate((await import('./package-helpers.js')).ITEMS_SRC);
}

test('flush() commits; a reload restores exactly that profile', async ({ page }) => {
  const problems = await openBlank(page);
  const first = await create(page, 'restore');
  expect(first.events).toEqual([{ type: 'fresh' }]);
  const profile = await learn(page, 0, 3);
  await page.evaluate(() => globalThis.ranker.flush());
  const saved = await page.evaluate(() => globalThis.storageEvents.filter((e) => e.type === 'saved').length);
  expect(saved).toBe(1);
  await reload(page); // no close(): what flush() acknowledged must survive
  const second = await create(page, 'restore');
  expect(second.events[0]).toMatchObject({ type: 'restored', source: 'current', generation: 1 });
  expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(profile);
  expect(problems).toEqual([]);
});

test('debounced saves happen without flush(), and survive a closed tab', async ({ page, context }) => {
  await openBlank(page);
  await create(page, 'debounce', 30);
  const profile = await learn(page, 0, 2);
  await page.waitForFunction(() => globalThis.storageEvents.some((e) => e.type === 'saved'));
  await page.close();
  const page2 = await context.newPage();
  await openBlank(page2);
  const r = await create(page2, 'debounce');
  expect(r.events[0].type).toBe('restored');
  expect(await page2.evaluate(() => globalThis.ranker.exportProfile())).toBe(profile);
});

for (const [how, reason] of [['checksum', 'corrupt'], ['truncate', 'truncated'], ['version', 'unknown_version'], ['garbage', 'corrupt']]) {
  test(`damaged current copy (${how}) -> backup restored, app told "${reason}"`, async ({ page }) => {
    await openBlank(page);
    const key = `damage-${how}`;
    await create(page, key);
    const older = await learn(page, 0, 2);
    await page.evaluate(() => globalThis.ranker.flush());
    await learn(page, 2, 2);
    await page.evaluate(() => globalThis.ranker.close());
    await damage(page, key, 'current', how);
    await reload(page);
    const r = await create(page, key);
    expect(r.events[0]).toMatchObject({ type: 'recovered', source: 'backup', reason });
    expect(r.storage.type).toBe('recovered');
    expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
    // The recovered version is written back as current: a later reload is clean.
    await page.evaluate(() => globalThis.ranker.close());
    await reload(page);
    const again = await create(page, key);
    expect(again.events[0].type).toBe('restored');
    expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
  });
}

test('both copies unusable -> a fresh profile, app told "reset"', async ({ page }) => {
  await openBlank(page);
  await create(page, 'both');
  await learn(page, 0, 1);
  await page.evaluate(() => globalThis.ranker.flush());
  await learn(page, 1, 1);
  await page.evaluate(() => globalThis.ranker.close());
  await damage(page, 'both', 'current', 'truncate');
  await damage(page, 'both', 'backup', 'checksum');
  await reload(page);
  const r = await create(page, 'both');
  expect(r.events[0]).toMatchObject({ type: 'reset', reason: 'truncated' });
  expect(await page.evaluate(() => globalThis.ranker.profileSummary().stats.events)).toBe(0);
  // and it works normally afterwards
  await learn(page, 0, 1);
  await page.evaluate(() => globalThis.ranker.flush());
  await reload(page);
  expect((await create(page, 'both')).events[0].type).toBe('restored');
});

test('keys are separate profiles; persist: false writes nothing', async ({ page }) => {
  await openBlank(page);
  await create(page, 'user-a');
  await learn(page, 0, 2);
  await page.evaluate(() => globalThis.ranker.close());
  const r = await create(page, 'user-b');
  expect(r.events).toEqual([{ type: 'fresh' }]);
  const off = await page.evaluate(async () => {
    const { createRanker } = await import('/web/index.js');
    const events = [];
    const x = await createRanker({ embeddingDim: 8, persist: false, onStorageEvent: (e) => events.push(e) });
    const out = { storage: x.storage, events };
    await x.close();
    return out;
  });
  expect(off).toEqual({ storage: { type: 'off' }, events: [] });
});
