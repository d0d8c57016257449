// Consumer checks: the package used as an embedder would, outside the demo.
//  1. a plain HTML page with an inline <script type="module"> importing
//     web/index.js (no bundler);
//  2. a Vite app (tests/consumer/vite) built with Vite from node_modules into
//     build/consumer-vite/, main thread + Web Worker.
// Both are served by a throwaway static server started here.
import { test, expect } from '@playwright/test';
import http from 'node:http';
import path from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MOUNTS = {
  '/web/': path.join(root, 'web'),
  '/consumer/': path.join(root, 'tests/consumer'),
  '/vite-app/': path.join(root, 'build/consumer-vite'),
};
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

let server;
let origin;

test.beforeAll(async () => {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'tests/consumer/vite/vite.config.js'), logLevel: 'error' });
  server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const prefix = Object.keys(MOUNTS).find((p) => url.pathname.startsWith(p));
    const file = prefix && path.resolve(MOUNTS[prefix], '.' + decodeURIComponent(url.pathname.slice(prefix.length - 1)));
    try {
      if (!file || !file.startsWith(MOUNTS[prefix]) || !(await stat(file)).isFile()) throw new Error('404');
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  return problems;
}

test('plain HTML page with <script type="module"> ranks', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`${origin}/consumer/plain/index.html`);
  const out = page.locator('#out');
  await expect(out).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  expect(JSON.parse(await out.textContent())).toEqual({ order: ['b', 'a'], rejected: ['c'], error: 'not_found' });
  expect(problems).toEqual([]);
});

test('Vite app build ranks on the main thread and in a worker', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`${origin}/vite-app/index.html`);
  const out = page.locator('#out');
  await expect(out).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  const result = JSON.parse(await out.textContent());
  expect(result.order).toEqual(['b', 'c', 'a']);
  expect(result.workerOrder).toEqual(result.order);
  expect(result.same).toBe(true);
  // The module files were emitted as hashed assets by Vite.
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.reload();
  await expect(out).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  expect(requested.some((u) => /\/vite-app\/assets\/reelrank_core-[\w-]+\.wasm$/.test(u))).toBe(true);
  expect(requested.some((u) => u.includes('/web/'))).toBe(false);
  expect(problems).toEqual([]);
});
