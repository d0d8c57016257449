// createRankerWorker() in real Chromium: the same results as the main-thread
// ranker, errors as RankerError with codes, persistence shared with the main
// thread through IndexedDB, and the page's own arrays left intact (the
// packed copy is what gets transferred).
import { test, expect } from '@playwright/test';
import { openBlank } from './package-helpers.js';

test('worker ranker = main-thread ranker, off the main thread', async ({ page }) => {
  const problems = await openBlank(page);
  const out = await page.evaluate(async () => {
    const { createRanker, createRankerWorker, RankerError } = await import('/web/index.js');
    const list = globalThis.items();
    const main = await createRanker({ embeddingDim: 8, seed: 5, persist: false });
    const worker = await createRankerWorker({ embeddingDim: 8, seed: 5, persist: false });
    const play = async (r) => {
      const first = await r.rank(list, { nowMs: T0, hourOfDay: 9 });
      for (let i = 0; i < 4; i++) {
        const id = first.ranked[i].id;
        await r.observe({ eventId: 'i' + i, itemId: id, kind: 'impression', timestampMs: T0 + i * 100 });
        await r.observe({ eventId: 's' + i, itemId: id, kind: i % 2 ? 'like' : 'swipe_away', timestampMs: T0 + i * 100 + 50, dwellMs: 300, velocity: 3 });
      }
      return { ranked: await r.rank(list, { nowMs: T0 + 1000, hourOfDay: 9 }), profile: await r.exportProfile(), summary: await r.profileSummary(3) };
    };
    const a = await play(main);
    const b = await play(worker);
    const errors = [];
    for (const call of [() => worker.observe({ itemId: 'nope', kind: 'like' }), () => worker.importProfile('{'), () => worker.setObjectiveWeights({ negative: 2 }), () => worker.rank('x')]) {
      try { await call(); errors.push('no error'); } catch (e) { errors.push({ isRankerError: e instanceof RankerError, code: e.code, message: e.message }); }
    }
    const intact = list.every((c) => c.embedding instanceof Float32Array && c.embedding.length === 8);
    const dim = worker.embeddingDim;
    await worker.close();
    let closed = null;
    try { await worker.rank(list); } catch (e) { closed = e.code; }
    await main.close();
    return { same: JSON.stringify(a) === JSON.stringify(b), a, b, errors, intact, dim, closed };
  });
  expect(out.same).toBe(true);
  expect(out.b.ranked.ranked.length).toBe(12);
  expect(out.b.summary.stats.events).toBeGreaterThan(0);
  expect(out.errors[0]).toMatchObject({ isRankerError: true, code: 'not_found' });
  expect(out.errors[0].message).toMatch(/item_id|itemId/);
  expect(out.errors[1]).toMatchObject({ isRankerError: true, code: 'data_loss' });
  expect(out.errors[2]).toMatchObject({ isRankerError: true, code: 'invalid_argument' });
  expect(out.errors[2].message).toMatch(/negative/);
  expect(out.errors[3]).toMatchObject({ isRankerError: true, code: 'invalid_argument' });
  expect(out.intact).toBe(true);
  expect(out.dim).toBe(8);
  expect(out.closed).toBe('closed');
  expect(problems).toEqual([]);
});

test('a worker ranker persists; the main thread restores its profile', async ({ page }) => {
  const problems = await openBlank(page);
  const out = await page.evaluate(async () => {
    const { createRanker, createRankerWorker } = await import('/web/index.js');
    const events = [];
    const persist = { dbName: 'reelrank-e2e-worker', key: 'shared', debounceMs: 20 };
    const w = await createRankerWorker({ embeddingDim: 8, seed: 2, persist, onStorageEvent: (e) => events.push(e) });
    const list = globalThis.items();
    await w.rank(list, { nowMs: T0 });
    await w.observe({ itemId: 'v1', kind: 'impression', timestampMs: T0 });
    await w.observe({ itemId: 'v1', kind: 'like', timestampMs: T0 + 10 });
    await w.flush();
    const profile = await w.exportProfile();
    await w.close();
    const mainEvents = [];
    const m = await createRanker({ embeddingDim: 8, seed: 2, persist, onStorageEvent: (e) => mainEvents.push(e) });
    const restored = m.exportProfile();
    await m.close();
    return { events, mainEvents, same: restored === profile };
  });
  expect(out.events[0]).toEqual({ type: 'fresh' });
  expect(out.events.some((e) => e.type === 'saved')).toBe(true);
  expect(out.mainEvents[0].type).toBe('restored');
  expect(out.same).toBe(true);
  expect(problems).toEqual([]);
});

test('many concurrent worker requests are each answered', async ({ page }) => {
  await openBlank(page);
  const out = await page.evaluate(async () => {
    const { createRankerWorker } = await import('/web/index.js');
    const w = await createRankerWorker({ embeddingDim: 8, persist: false });
    const list = globalThis.items(400);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => w.rank(list.slice(0, 100 + 10 * i), { nowMs: T0 + i })));
    await w.close();
    return { n: results.length, lens: results.map((r) => r.ranked.length) };
  });
  expect(out.n).toBe(20);
  expect(out.lens).toEqual(Array.from({ length: 20 }, (_, i) => 100 + 10 * i));
});
