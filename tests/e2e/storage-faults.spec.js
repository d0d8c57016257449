// Storage faults in real Chromium (issue 9): damaged IndexedDB records
// (bit-flipped, truncated, wrong version, empty), a save interrupted between
// its two steps, a crash during a save, and a full disk (quota exceeded).
// Each must be detected, recovered from the backup or from a fresh start,
// reported to the app (onStorageEvent / ranker.storage), and must never
// crash the page. The store layout is the package's (web/persist.js):
// database <dbName>, object store "profiles", keys <key>/head, <key>/a,
// <key>/b; a record is {format, version, generation, length, profile, ...}.
import { test, expect } from '@playwright/test';
import { openBlank, ITEMS_SRC, createPersistent, learnLikes } from './package-helpers.js';

const DB = 'reelrank-faults';
const QUOTA = 128 * 1024; // bytes, for the quota test

// In the page: a persistent ranker that saves on flush()/close() only; rank then
// impression + like on `n` items from event `from`.
const create = (page, key) => createPersistent(page, { dbName: DB, key, seed: 5, debounceMs: 60_000 });
const learn = (page, from, n) => learnLikes(page, from, n, { hourOfDay: 21, likeDelayMs: 400 });

// Two saved generations: returns the older (the backup after the second save).
async function twoGenerations(page, key) {
  await create(page, key);
  const older = await learn(page, 0, 2);
  await page.evaluate(() => globalThis.ranker.flush());
  const newer = await learn(page, 2, 2);
  await page.evaluate(() => globalThis.ranker.close());
  return { older, newer };
}

// Raw access to the store from the page (the demo's CSP forbids eval, so the
// edits run here and only plain values cross into the page).
async function readStore(page, key) {
  return page.evaluate(async ({ DB, key }) => {
    const db = await new Promise((res, rej) => {
      const q = indexedDB.open(DB);
      q.onsuccess = () => res(q.result);
      q.onerror = () => rej(q.error);
    });
    const os = db.transaction('profiles', 'readonly').objectStore('profiles');
    const get = (k) => new Promise((res) => { const q = os.get(k); q.onsuccess = () => res(q.result); });
    const out = { head: await get(key + '/head'), a: await get(key + '/a'), b: await get(key + '/b') };
    db.close();
    return out;
  }, { DB, key });
}

// changes: { head|a|b: value, or undefined to delete } in one transaction.
async function writeStore(page, key, changes) {
  const entries = Object.entries(changes).map(([k, v]) => [k, v === undefined ? null : v, v === undefined]);
  await page.evaluate(async ({ DB, key, entries }) => {
    const db = await new Promise((res, rej) => {
      const q = indexedDB.open(DB);
      q.onsuccess = () => res(q.result);
      q.onerror = () => rej(q.error);
    });
    const tx = db.transaction('profiles', 'readwrite');
    const os = tx.objectStore('profiles');
    for (const [k, v, del] of entries) { if (del) os.delete(key + '/' + k); else os.put(v, key + '/' + k); }
    await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
    db.close();
  }, { DB, key, entries });
}

// Rewrites the head's record with edit(rec) -> rec (undefined deletes it).
async function damageCurrent(page, key, edit) {
  const st = await readStore(page, key);
  const head = st.head.current;
  await writeStore(page, key, { [head]: edit(st[head]) });
  return head;
}

const flipBit = (str, i, bit) => str.slice(0, i) + String.fromCharCode(str.charCodeAt(i) ^ bit) + str.slice(i + 1);

async function reload(page) {
  await page.reload();
  await page.evaluate(ITEMS_SRC);
}

// After recovery the ranker works normally: rank, learn, save, reload, restore.
async function stillWorks(page, key) {
  const n = await page.evaluate(() => globalThis.ranker.rank(globalThis.items(), { nowMs: T0 }).ranked.length);
  expect(n).toBeGreaterThan(0);
  const p = await learn(page, 10, 1);
  await page.evaluate(() => globalThis.ranker.close());
  await reload(page);
  const r = await create(page, key);
  expect(r.events[0].type).toBe('restored');
  expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(p);
}

const noCrash = (problems) => expect(problems.filter((p) => p.startsWith('pageerror'))).toEqual([]);

// Damaged current copy -> the backup is restored and the app is told why.
const DAMAGE = [
  ['bit-flipped profile (one bit, same length)', 'corrupt', (rec) => {
    rec.profile = flipBit(rec.profile, Math.floor(rec.profile.length / 2), 4);
    return rec;
  }],
  ['bit-flipped checksum', 'corrupt', (rec) => {
    rec.profile = flipBit(rec.profile, rec.profile.indexOf('"checksum"') + 14, 1);
    return rec;
  }],
  ['bit-flipped envelope format', 'corrupt', (rec) => {
    rec.format = flipBit(rec.format, rec.format.length - 1, 1);
    return rec;
  }],
  ['truncated profile (length field stale)', 'truncated', (rec) => {
    rec.profile = rec.profile.slice(0, 100);
    return rec;
  }],
  ['truncated profile (length field updated)', 'corrupt', (rec) => {
    rec.profile = rec.profile.slice(0, Math.floor(rec.profile.length * 0.7));
    rec.length = rec.profile.length;
    return rec;
  }],
  ['wrong envelope version', 'unknown_version', (rec) => ({ ...rec, version: 2 })],
  ['wrong profile version inside the envelope', 'unknown_version', (rec) => {
    // Whatever version the profile has, make it one this build does not read.
    rec.profile = rec.profile.replace(/"version":\d+\}$/, '"version":99}');
    rec.length = rec.profile.length;
    return rec;
  }],
  ['empty profile string', 'corrupt', (rec) => ({ ...rec, profile: '', length: 0 })],
  ['empty object record', 'corrupt', () => ({})],
  ['empty string record', 'corrupt', () => ''],
];

for (const [name, reason, edit] of DAMAGE) {
  test(`storage fault: ${name} -> backup restored, app told "${reason}"`, async ({ page }) => {
    const problems = await openBlank(page);
    const key = 'f-' + name.replace(/[^a-z]+/g, '-');
    const { older } = await twoGenerations(page, key);
    await damageCurrent(page, key, edit);
    await reload(page);
    const r = await create(page, key);
    expect(r.events[0]).toMatchObject({ type: 'recovered', source: 'backup', reason });
    expect(r.storage).toMatchObject({ type: 'recovered', reason });
    expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
    await stillWorks(page, key);
    noCrash(problems);
  });
}

test('storage fault: both copies damaged (bit flip + empty) -> fresh start, app told "reset"', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-both';
  await twoGenerations(page, key);
  const st = await readStore(page, key);
  st.a.profile = flipBit(st.a.profile, Math.floor(st.a.profile.length / 3), 2);
  await writeStore(page, key, { a: st.a, b: {} });
  await reload(page);
  const r = await create(page, key);
  expect(r.events[0].type).toBe('reset');
  expect(r.events[0].problems.map((p) => p.reason).sort()).toEqual(['corrupt', 'corrupt']);
  expect(await page.evaluate(() => globalThis.ranker.profileSummary().stats.events)).toBe(0);
  await stillWorks(page, key);
  noCrash(problems);
});

test('storage fault: empty database (no records at all) -> fresh start', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-empty-db';
  await twoGenerations(page, key);
  await writeStore(page, key, { head: undefined, a: undefined, b: undefined });
  await reload(page);
  const r = await create(page, key);
  expect(r.events).toEqual([{ type: 'fresh' }]);
  await stillWorks(page, key);
  noCrash(problems);
});

test('storage fault: write interrupted between its two steps (transaction aborted) -> previous version kept', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-abort';
  await create(page, key);
  const older = await learn(page, 0, 2);
  await page.evaluate(() => globalThis.ranker.flush());
  await learn(page, 2, 2);
  // The next save writes the slot, then the head: abort the transaction
  // right after the slot write (between the two steps).
  const err = await page.evaluate(async (key) => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value, k) {
      if (typeof k === 'string' && k.endsWith('/head')) {
        this.transaction.abort();
        throw new DOMException('simulated crash between the two steps', 'AbortError');
      }
      return put.call(this, value, k);
    };
    try {
      await globalThis.ranker.flush();
      return null;
    } catch (e) {
      return { name: e.name, code: e.code };
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  }, key);
  expect(err).toEqual({ name: 'RankerError', code: 'storage' });
  const events = await page.evaluate(() => globalThis.storageEvents);
  expect(events.at(-1)).toMatchObject({ type: 'error', op: 'save' });
  // The ranker still works in memory; what is stored is the previous version.
  expect(await page.evaluate(() => globalThis.ranker.rank(globalThis.items(), { nowMs: T0 }).ranked.length)).toBeGreaterThan(0);
  await reload(page);
  const r = await create(page, key);
  expect(r.events[0]).toMatchObject({ type: 'restored', source: 'current' });
  expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
  noCrash(problems);
});

test('storage fault: a non-atomic store that stopped after step 1 (slot written, head not moved) -> the head version', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-step1';
  const { older } = await twoGenerations(page, key);
  // Roll the head back to the older slot: the newer slot then looks like a
  // write whose head switch never happened.
  const { head } = await readStore(page, key);
  await writeStore(page, key, { head: { current: head.current === 'a' ? 'b' : 'a', generation: head.generation - 1 } });
  await reload(page);
  const r = await create(page, key);
  expect(r.events[0]).toMatchObject({ type: 'restored', source: 'current' });
  expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
  await stillWorks(page, key);
  noCrash(problems);
});

test('storage fault: head moved but its record missing (step 2 without step 1) -> backup restored and reported', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-step2';
  const { older } = await twoGenerations(page, key);
  await damageCurrent(page, key, () => undefined); // delete the head's record
  await reload(page);
  const r = await create(page, key);
  expect(r.events[0]).toMatchObject({ type: 'recovered', source: 'backup', reason: 'missing' });
  expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(older);
  await stillWorks(page, key);
  noCrash(problems);
});

test('storage fault: the tab dies during a save -> the old or the new version, never a broken one', async ({ page, context }) => {
  const problems = await openBlank(page);
  const key = 'f-crash';
  await create(page, key);
  const older = await learn(page, 0, 2);
  await page.evaluate(() => globalThis.ranker.flush());
  const newer = await learn(page, 2, 6);
  // Start the save and kill the page without waiting for it.
  await page.evaluate(() => { globalThis.ranker.flush().catch(() => {}); });
  await page.close({ runBeforeUnload: false });
  const page2 = await context.newPage();
  const problems2 = await openBlank(page2);
  const r = await create(page2, key);
  expect(r.events[0].type).toBe('restored');
  expect([older, newer]).toContain(await page2.evaluate(() => globalThis.ranker.exportProfile()));
  noCrash(problems);
  noCrash(problems2);
});

test('storage fault: quota exceeded (real Chromium quota) -> save fails, app told, page and ranker keep working', async ({ page }) => {
  // A small quota for this origin (DevTools protocol). Chromium fixes an
  // origin's IndexedDB quota when the origin first uses IndexedDB, so it is
  // set before anything is stored: room for a small profile, not a big one.
  const origin = new URL(test.info().project.use.baseURL).origin;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: QUOTA });
  try {
    const problems = await openBlank(page);
    const key = 'f-quota';
    await create(page, key);
    const older = await learn(page, 0, 1);
    await page.evaluate(() => globalThis.ranker.flush());
    // A long history makes the next record bigger than the quota allows. The
    // profile stores each item once and its floats in binary (format 2), so
    // it takes many distinct creators and tags (many feature-table entries):
    // about 142 KB after these 320 views (format 1 reached that in 120).
    await page.evaluate(() => {
      const base = globalThis.items;
      globalThis.items = (n = 600, dim = 8) =>
        base(n, dim).map((c, i) => ({ ...c, author: 'creator_' + i, tags: [...c.tags, 't' + i] }));
    });
    const latest = await learn(page, 1, 320);
    const err = await page.evaluate(async () => {
      try {
        await globalThis.ranker.flush();
        return null;
      } catch (e) {
        return { name: e.name, code: e.code, message: e.message, cause: e.cause?.name };
      }
    });
    expect(err).toMatchObject({ name: 'RankerError', code: 'storage', cause: 'QuotaExceededError' });
    const events = await page.evaluate(() => globalThis.storageEvents);
    expect(events.at(-1)).toMatchObject({ type: 'error', op: 'save' });
    // Still ranking in memory, still the latest profile; the store still
    // holds the last committed version.
    expect(await page.evaluate(() => globalThis.ranker.rank(globalThis.items(), { nowMs: T0 }).ranked.length)).toBeGreaterThan(0);
    expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(latest);
    const stored = await readStore(page, key);
    expect(stored[stored.head.current].profile).toBe(older);
    // Space comes back (the user frees disk space, or the origin is granted
    // more): the next save works. (Forgetting the history alone is not
    // enough here: after the refused write, this Chromium keeps the origin's
    // IndexedDB usage counted at the cap — navigator.storage.estimate() said
    // 131,072 of 131,072 B with one 1.9 KB record stored, on 2026-12-08.)
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 4 * QUOTA });
    await page.evaluate(() => globalThis.ranker.reset());
    await page.evaluate(() => globalThis.ranker.flush());
    const small = await learn(page, 200, 1);
    await page.evaluate(() => globalThis.ranker.close());
    await reload(page);
    const r = await create(page, key);
    expect(r.events[0].type).toBe('restored');
    expect(await page.evaluate(() => globalThis.ranker.exportProfile())).toBe(small);
    noCrash(problems);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});

test('storage fault: QuotaExceededError thrown by put() -> reported, page keeps working', async ({ page }) => {
  const problems = await openBlank(page);
  const key = 'f-quota-throw';
  await create(page, key);
  await learn(page, 0, 1);
  await page.evaluate(() => globalThis.ranker.flush());
  await learn(page, 1, 1);
  const err = await page.evaluate(async () => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      await globalThis.ranker.flush();
      return null;
    } catch (e) {
      return { name: e.name, code: e.code };
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });
  expect(err).toEqual({ name: 'RankerError', code: 'storage' });
  expect(await page.evaluate(() => globalThis.storageEvents.at(-1))).toMatchObject({ type: 'error', op: 'save' });
  await stillWorks(page, key);
  noCrash(problems);
});
