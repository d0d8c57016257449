// Shared helpers of the feed-*.spec.js Playwright specs: open the demo with
// the test hook, drive it like a user (keyboard, wheel), and watch every
// request and every CSP violation the page causes.
import { expect } from '@playwright/test';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

// Labels the demo policy drops (demo/app.js DEMO_POLICY); the catalog marks
// items with them.
export const DROPPED_LABELS = ['violence', 'gore', 'adult', 'sexual', 'scam', 'fraud', 'hate', 'self_harm', 'dangerous_acts'];

/**
 * Records every request and CSP violation of `page`. Call before goto.
 * `check()` asserts the privacy contract on everything recorded so far.
 */
export async function watchPage(page, baseURL) {
  const origin = new URL(baseURL).origin;
  const requests = [];
  const problems = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('request', (r) => {
    requests.push({ url: r.url(), method: r.method(), body: r.postData(), headers: r.headers(), type: r.resourceType() });
  });
  page.on('console', (m) => {
    const t = m.text();
    if (m.type() === 'error' || /Content[- ]Security[- ]Policy/i.test(t)) problems.push(`console ${m.type()}: ${t}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });

  async function check(categories) {
    const violations = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
    expect(violations, 'CSP violations').toEqual([]);
    expect(problems, 'console errors, page errors, HTTP errors').toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    for (const r of requests) {
      const u = new URL(r.url);
      if (u.protocol === 'data:' || u.protocol === 'blob:') continue;
      expect(u.origin, `third-party request ${r.url}`).toBe(origin);
      expect(r.method, `${r.method} ${r.url}`).toBe('GET');
      expect(r.body ?? null, `body of ${r.url}`).toBeNull();
      const params = [...u.searchParams];
      if (u.pathname === '/api/candidates') {
        expect(params.map(([k]) => k).sort(), r.url).toEqual(['cursor', 'n']);
        for (const [, v] of params) expect(v, r.url).toMatch(/^\d+$/);
      } else if (u.pathname === '/api/trends') {
        expect(params.map(([k]) => k), r.url).toEqual(['category']);
        if (categories) expect(categories, r.url).toContain(params[0][1]);
      } else {
        expect(params, `query on ${r.url}`).toEqual([]);
        expect(u.pathname, r.url).toMatch(/^\/($|demo\/[\w.-]+$|web\/[\w./-]+$|api\/catalog$)/);
      }
      // No header carries anything the page made up (cookies, custom headers).
      expect(Object.keys(r.headers).filter((h) => /^(cookie|authorization|x-)/i.test(h)), r.url).toEqual([]);
    }
    return requests;
  }
  return { requests, problems, check };
}

/** Opens the demo with the test hook and waits until the first item plays. */
export async function openFeed(page, { speed = 1, path = '/' } = {}) {
  await page.goto(`${path}#debug&speed=${speed}`);
  await expect(page.locator('#status')).toHaveAttribute('data-state', /ready|error/, { timeout: 30_000 });
  await expect(page.locator('#status')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#card')).toBeVisible();
  await page.locator('#feed').focus();
}

export async function shownCount(page) {
  return Number(await page.locator('#card').getAttribute('data-shown'));
}

/** Swipes to the next item with the keyboard (or the wheel) and waits for it. */
export async function swipe(page, how = 'key') {
  const before = await shownCount(page);
  if (how === 'wheel') {
    const box = await page.locator('#feed').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(150);  // a new wheel gesture, not inertia of the last one
    await page.mouse.wheel(0, 400);
  } else {
    await page.keyboard.press('ArrowDown');
  }
  await expect.poll(() => shownCount(page), { timeout: 5_000 }).toBeGreaterThan(before);
}

export async function current(page) {
  return page.evaluate(() => window.__reelrank.current);
}

export async function shown(page) {
  return page.evaluate(() => window.__reelrank.shown);
}

export async function summary(page) {
  return page.evaluate(() => window.__reelrank.summary());
}

/** Watches the current item until it has looped `loops` times. */
export async function watchUntilLooped(page, loops = 1) {
  await expect(page.locator('#card')).toHaveAttribute('data-state', 'playing');
  await expect.poll(async () => Number(await page.locator('#card').getAttribute('data-loops')), { timeout: 20_000, intervals: [50, 100, 200] })
    .toBeGreaterThanOrEqual(loops);
}
