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

// Issue 20 #1: every call is ordered and labelled by the state the worker
// used, whether or not the caller awaited; close() settles every call.
test('1,000 interleaved un-awaited worker calls are each labelled by the batch the worker ranked; close settles all', async ({ page }) => {
  const problems = await openBlank(page);
  const out = await page.evaluate(async () => {
    const { createRankerWorker, RankerError } = await import('/web/index.js');
    const batch = (p) => globalThis.items(12).map((c) => ({ ...c, id: p + c.id, author: p + c.author }));
    const A = batch('a-'), B = batch('b-');
    const w = await createRankerWorker({ embeddingDim: 8, persist: false, policy: { user: { blockedCreators: ['b-creator_1'] } } });
    // A fresh worker: setCandidates then rank, neither awaited.
    w.setCandidates(A);
    const first = w.rank({ nowMs: T0 });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const ranks = [];
    const others = [];
    let current = 'a-';
    for (let k = 0; k < 1000; k++) {
      const u = rnd();
      if (u < 0.3) {
        current = u < 0.15 ? 'a-' : 'b-';
        others.push(w.setCandidates(current === 'a-' ? A : B));
      } else if (u < 0.85) {
        ranks.push([current, w.rank({ nowMs: T0 + k })]);
      } else {
        others.push(w.next({ nowMs: T0 + k }));
      }
    }
    const results = await Promise.all(ranks.map(([, p]) => p));
    const mislabelled = [];
    results.forEach((r, i) => {
      const want = ranks[i][0];
      const ids = Array.from({ length: r.length }, (_, j) => r.id(j));
      if (ids.some((id) => !id.startsWith(want))) mislabelled.push({ i, want, ids: ids.slice(0, 3) });
      if (want === 'b-' && ids.some((id) => r.item(ids.indexOf(id))?.author === 'b-creator_1')) mislabelled.push({ i, blocked: true });
    });
    await Promise.all(others);
    const firstIds = await first.then((r) => Array.from({ length: r.length }, (_, j) => r.id(j)));
    // close() with 200 calls in flight: every one settles.
    const inflight = Array.from({ length: 200 }, (_, k) => (k % 2 ? w.rank({ nowMs: T0 + 5000 + k }) : w.profileSummary(3)));
    const closing = w.close();
    const after = Array.from({ length: 50 }, () => w.next());
    const settled = await Promise.race([
      Promise.allSettled([...inflight, closing, ...after]),
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 10000)),
    ]);
    const bad = settled === 'timeout' ? ['timeout'] : settled.filter((s) => s.status === 'rejected' && !(s.reason instanceof RankerError && s.reason.code === 'closed')).map((s) => String(s.reason));
    const afterCodes = settled === 'timeout' ? [] : settled.slice(201).map((s) => s.status === 'rejected' && s.reason.code);
    return { ranks: results.length, mislabelled, firstIds, bad, afterCodes: [...new Set(afterCodes)] };
  });
  expect(out.ranks).toBeGreaterThan(400);
  expect(out.mislabelled).toEqual([]);
  expect(out.firstIds.length).toBe(12);
  expect(out.firstIds.every((id) => id.startsWith('a-'))).toBe(true);
  expect(out.bad).toEqual([]);
  expect(out.afterCodes).toEqual(['closed']);
  expect(problems).toEqual([]);
});
