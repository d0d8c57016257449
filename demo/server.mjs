// The demo's candidate server. Zero dependencies.
//
// Serves the feed page and GET /api/candidates?cursor=&n=. It accepts nothing
// but cursor and count: any other parameter, any request body and any method
// other than GET/HEAD is rejected, so the server never receives profile or
// event data. Usage: node demo/server.mjs [--port N] [--host H]
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCatalog } from './catalog.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = Number(arg('port', process.env.PORT ?? 8080));
const host = arg('host', '127.0.0.1');
const catalog = generateCatalog();

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
  if (url.pathname !== '/api/candidates' && url.search && !url.pathname.startsWith('/web/') && !url.pathname.startsWith('/demo/')) {
    return sendJson(res, 400, { error: 'query parameters are not accepted here' });
  }
  if (url.pathname === '/' || url.pathname === '/index.html') return serveStatic('/demo/index.html', res);
  return serveStatic(url.pathname, res);
});

server.listen(port, host, () => {
  console.log(`reelrank demo: http://${host}:${port}/`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
