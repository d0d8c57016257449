// The demo's candidate server. Zero dependencies.
//
// Serves the feed page and GET /api/candidates?cursor=&n=. It accepts nothing
// but cursor and count: any other parameter, any request body and any method
// other than GET/HEAD is rejected, so the server never receives profile or
// event data. Usage:
//   node demo/server.mjs [--port N] [--host H] [--catalog generated|kuairec|DIR]
// --catalog: `generated` (the deterministic catalog of catalog.mjs), a
// directory holding KuaiRec's CSV files, or `kuairec` (= ../shared/data/kuairec
// relative to the repo root). Without the flag the KuaiRec catalog is used
// when that folder exists, else the generated one.
//
// Endpoints (GET only, no bodies):
//   /api/candidates?cursor=&n=   a page of the catalog (cursor wraps around)
//   /api/catalog                 which catalog, its credit and its categories
//   /api/trends?category=        trending hashtags and sounds of a category,
//                                from the catalog's public aggregate counters
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { generateCatalog } from './catalog.mjs';
import { loadKuaiRec, isKuaiRecDir, KUAIREC_CREDIT } from './kuairec.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.PORT ?? 8080));
const host = arg('host', '127.0.0.1');

function loadCatalog(choice) {
  const kuairecDefault = path.resolve(root, '..', 'shared', 'data', 'kuairec');
  if (choice === undefined) choice = existsSync(kuairecDefault) ? 'kuairec' : 'generated';
  if (choice === 'generated') {
    return { name: 'generated', credit: null, items: generateCatalog() };
  }
  const dir = choice === 'kuairec' ? kuairecDefault : path.resolve(choice);
  if (!isKuaiRecDir(dir)) {
    console.error(`--catalog ${choice}: ${dir} has no kuairec_caption_category.csv + item_categories.csv`);
    process.exit(2);
  }
  return { name: 'kuairec', credit: KUAIREC_CREDIT, items: loadKuaiRec(dir) };
}

const { name: catalogName, credit, items: catalog } = loadCatalog(arg('catalog', process.env.REELRANK_CATALOG));

// Categories with their item counts, most items first.
const categories = (() => {
  const counts = new Map();
  for (const it of catalog) counts.set(it.category, (counts.get(it.category) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name, items]) => ({ name, items }));
})();

// Trends per category, computed once from aggregate public counters: an
// item's engagement score is likes + 3 shares + 2 comments per 1000 views,
// damped by age; a hashtag or sound trends by the sum over its items.
const trends = (() => {
  const newest = Math.max(...catalog.map((it) => it.created_at));
  const byCategory = new Map();
  for (const it of catalog) {
    const e = it.engagement ?? { views: 1, likes: 0, shares: 0, comments: 0 };
    const ageDays = (newest - it.created_at) / 86400e3;
    const score = (e.likes + 3 * e.shares + 2 * e.comments) * Math.exp(-ageDays / 30);
    if (!byCategory.has(it.category)) byCategory.set(it.category, { tags: new Map(), sounds: new Map() });
    const t = byCategory.get(it.category);
    const bump = (map, key) => {
      const cur = map.get(key) ?? { score: 0, videos: 0, views: 0 };
      cur.score += score;
      cur.videos += 1;
      cur.views += e.views;
      map.set(key, cur);
    };
    for (const h of it.tags) if (h.toLowerCase() !== it.category.toLowerCase()) bump(t.tags, h);
    bump(t.sounds, it.sound);
  }
  const top = (map) => [...map].filter(([, v]) => v.videos >= 2).sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).slice(0, 10)
    .map(([name, v]) => ({ name, score: Math.round(v.score), videos: v.videos, views: v.views }));
  const out = new Map();
  for (const [cat, t] of byCategory) out.set(cat, { hashtags: top(t.tags), sounds: top(t.sounds) });
  return out;
})();

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.d.ts': 'text/plain; charset=utf-8',
};

// Only these folders are served, and nothing outside them.
const STATIC = { '/demo/': path.join(root, 'demo'), '/web/': path.join(root, 'web') };

const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(body);
}

function sendJson(res, status, obj) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(obj));
}

function candidates(url, res) {
  for (const key of url.searchParams.keys()) {
    if (key !== 'cursor' && key !== 'n') {
      return sendJson(res, 400, { error: `unknown parameter '${key}': only cursor and n are accepted` });
    }
  }
  const cursor = Number(url.searchParams.get('cursor') ?? 0);
  const n = Number(url.searchParams.get('n') ?? 50);
  if (!Number.isInteger(cursor) || cursor < 0) return sendJson(res, 400, { error: 'cursor: must be a non-negative integer' });
  if (!Number.isInteger(n) || n < 1 || n > 500) return sendJson(res, 400, { error: 'n: must be an integer in [1, 500]' });
  const start = cursor % catalog.length;
  const items = [];
  for (let i = 0; i < n; i++) items.push(catalog[(start + i) % catalog.length]);
  sendJson(res, 200, { items, next_cursor: cursor + n, total: catalog.length });
}

function onlyParams(url, res, allowed) {
  for (const key of url.searchParams.keys()) {
    if (!allowed.includes(key)) {
      sendJson(res, 400, { error: `unknown parameter '${key}': only ${allowed.join(', ') || 'none'} accepted` });
      return false;
    }
  }
  return true;
}

function catalogInfo(url, res) {
  if (!onlyParams(url, res, [])) return;
  sendJson(res, 200, { catalog: catalogName, total: catalog.length, credit, categories });
}

function trending(url, res) {
  if (!onlyParams(url, res, ['category'])) return;
  const category = url.searchParams.get('category');
  if (!category || !trends.has(category)) {
    return sendJson(res, 400, { error: 'category: must be one of the names listed by /api/catalog' });
  }
  sendJson(res, 200, { category, ...trends.get(category), basis: 'aggregate public counters of the catalog' });
}

async function serveStatic(pathname, res) {
  const prefix = Object.keys(STATIC).find((p) => pathname.startsWith(p));
  if (!prefix) return sendJson(res, 404, { error: 'not found' });
  const dir = STATIC[prefix];
  const file = path.resolve(dir, '.' + decodeURIComponent(pathname.slice(prefix.length - 1)));
  if (!file.startsWith(dir + path.sep)) return sendJson(res, 404, { error: 'not found' });
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    const ext = file.endsWith('.d.ts') ? '.d.ts' : path.extname(file);
    send(res, 200, TYPES[ext] ?? 'application/octet-stream', await readFile(file));
  } catch {
    sendJson(res, 404, { error: 'not found' });
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host ?? 'localhost'}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendJson(res, 405, { error: `method ${req.method} not allowed: this server only hands out candidates` });
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding']) {
    return sendJson(res, 400, { error: 'request bodies are not accepted' });
  }
  if (url.pathname === '/api/candidates') return candidates(url, res);
  if (url.pathname === '/api/catalog') return catalogInfo(url, res);
  if (url.pathname === '/api/trends') return trending(url, res);
  if (url.pathname !== '/api/candidates' && url.search && !url.pathname.startsWith('/web/') && !url.pathname.startsWith('/demo/')) {
    return sendJson(res, 400, { error: 'query parameters are not accepted here' });
  }
  if (url.pathname === '/' || url.pathname === '/index.html') return serveStatic('/demo/index.html', res);
  return serveStatic(url.pathname, res);
});

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES') {
    const why = e.code === 'EADDRINUSE' ? 'is already in use (is another demo running?)' : 'cannot be opened by this user';
    console.error(`reelrank demo: port ${port} on ${host} ${why}. Pick another: PORT=8081 demo/run.sh`);
  } else {
    console.error(`reelrank demo: ${e.message}`);
  }
  process.exit(1);
});

server.listen(port, host, () => {
  console.log(`reelrank demo: http://${host}:${port}/  (catalog: ${catalogName}, ${catalog.length} items)`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
