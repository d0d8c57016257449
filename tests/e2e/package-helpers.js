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
