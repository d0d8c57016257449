// The registered-batch path in real Chromium: setCandidates(candidates) once,
// then rank(context) -> RankedBatch, on the main thread and in a worker
// (packed batch transferred in, result columns transferred back), equal to
// the one-shot rank(candidates, context).
import { test, expect } from '@playwright/test';
import { openBlank } from './package-helpers.js';

test('setCandidates + rank(context) = one-shot rank, main thread and worker', async ({ page }) => {
  const problems = await openBlank(page);
  const out = await page.evaluate(async () => {
    const { createRanker, createRankerWorker, RankedBatch, RankerError } = await import('/web/index.js');
    const list = globalThis.items(40);
    list[3] = { ...list[3], tags: 'oops' };
    const run = async (r) => {
      const ctx = { nowMs: T0, hourOfDay: 9 };
      const one = await r.rank(list, ctx);
      const set = await r.setCandidates(list);
      const batch = await r.rank(ctx);
      const first = batch.id(0);
      await r.observe({ itemId: first, kind: 'like', timestampMs: T0 + 10 });
      const after = await r.rank({ nowMs: T0 + 20, hourOfDay: 9 });
      return {
        isBatch: batch instanceof RankedBatch,
        typed: batch.order instanceof Int32Array && batch.values instanceof Float64Array && batch.heads instanceof Float32Array,
        same: JSON.stringify(batch.ranked) === JSON.stringify(one.ranked) && JSON.stringify(batch.rejected) === JSON.stringify(one.rejected),
        set, first, length: batch.length, item0: batch.item(0), after: Array.from(after.values),
      };
    };
    const main = await createRanker({ embeddingDim: 8, seed: 5, persist: false });
    const worker = await createRankerWorker({ embeddingDim: 8, seed: 5, persist: false });
    const a = await run(main);
    const b = await run(worker);
    let noBatch = null;
    await worker.clearCandidates();
    try { await worker.rank({ nowMs: T0 }); } catch (e) { noBatch = { isRankerError: e instanceof RankerError, code: e.code }; }
    await worker.close();
    await main.close();
    return { a, b, noBatch, intact: list.every((c) => c.embedding instanceof Float32Array && c.embedding.length === 8) };
  });
  for (const r of [out.a, out.b]) {
    expect(r.isBatch).toBe(true);
    expect(r.typed).toBe(true);
    expect(r.same).toBe(true);
    expect(r.length).toBe(39);
    expect(r.set.accepted).toBe(39);
    expect(r.set.rejected).toEqual([{ index: 3, id: 'v3', code: 'invalid_argument', message: 'candidates[3].tags: must be an array of strings' }]);
  }
  expect(out.b.item0).toEqual(out.a.item0);
  expect(out.b.after).toEqual(out.a.after);
  expect(out.noBatch).toEqual({ isRankerError: true, code: 'failed_precondition' });
  expect(out.intact).toBe(true);
  expect(problems).toEqual([]);
});
