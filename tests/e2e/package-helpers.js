// Shared bits of the package specs (tests/e2e/package-*.spec.js). Items are
// built inside the page so the same catalog is used on every thread.

/** Source of a function defined in the page: items(n, dim) -> candidates. */
export const ITEMS_SRC = `
  globalThis.items = (n = 12, dim = 8) => {
    const topics = ['cooking', 'cats', 'football'];
    const out = [];
    for (let i = 0; i < n; i++) {
      const e = new Float32Array(dim);
      e[i % 3] = 1; e[dim - 1] = 0.1 * (i % 5);
      out.push({ id: 'v' + i, author: 'creator_' + (i % 4), tags: [topics[i % 3]], category: topics[i % 3],
                 duration_ms: 15000, server_score: 0.4 + 0.01 * (i % 50), embedding: e });
    }
    return out;
  };
  globalThis.T0 = 1700000000000;
`;

/** Opens the blank fixture page and collects console errors / failed requests. */
export async function openBlank(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto('/demo/blank.html');
  await page.evaluate(ITEMS_SRC);
  return problems;
}

/**
 * In the page: creates a ranker with IndexedDB persistence on (as
 * globalThis.ranker) and records its storage events in
 * globalThis.storageEvents. Returns the events so far and ranker.storage.
 */
export async function createPersistent(page, { dbName, key, seed, debounceMs }) {
  return page.evaluate(async ({ dbName, key, seed, debounceMs }) => {
    const { createRanker } = await import('/web/index.js');
    globalThis.storageEvents = [];
    globalThis.ranker = await createRanker({
      embeddingDim: 8, seed,
      persist: { dbName, key, debounceMs },
      onStorageEvent: (e) => globalThis.storageEvents.push(e),
    });
    return { events: globalThis.storageEvents.slice(), storage: globalThis.ranker.storage };
  }, { dbName, key, seed, debounceMs });
}

/**
 * In the page: ranks items(), then an impression and a like (likeDelayMs
 * later) on `n` items from event number `from`. Returns the exported profile.
 */
export async function learnLikes(page, from, n, { hourOfDay, likeDelayMs }) {
  return page.evaluate(({ from, n, hourOfDay, likeDelayMs }) => {
    const r = globalThis.ranker;
    const list = globalThis.items();
    r.rank(list, { nowMs: T0, hourOfDay });
    for (let i = from; i < from + n; i++) {
      const id = list[i % list.length].id;
      r.observe({ eventId: 'imp' + i, itemId: id, kind: 'impression', timestampMs: T0 + i * 1000 });
      r.observe({ eventId: 'like' + i, itemId: id, kind: 'like', timestampMs: T0 + i * 1000 + likeDelayMs });
    }
    return r.exportProfile();
  }, { from, n, hourOfDay, likeDelayMs });
}
