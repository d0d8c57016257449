// Zero-dependency static server for the Chromium benchmark, on 127.0.0.1.
// Serves the repo's web/, tests/bench/, node_modules/@tensorflow/ and the
// bench-only module (build/bench-module/) with
// cross-origin isolation headers (COOP/COEP), so performance.now() has fine
// resolution in the page.
//
// Caching: every file is sent with validators (ETag from size + mtime,
// Last-Modified) and `Cache-Control: no-cache`, so a browser may store it but
// must revalidate on every use; a matching If-None-Match / If-Modified-Since
// gets an empty 304. That is what a returning visitor sees from a server that
// serves unversioned file names: one round trip per file, no body, and the
// stored response (with any compiled code Chromium attached to it: the V8 code
// cache for scripts, the wasm code cache for a module compiled by
// compileStreaming) is reused. A fresh browser context has an empty cache, so
// the cold figures are unaffected.
//
//   node tests/bench/server.mjs [port]        (also importable: startServer)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const ALLOWED = ['/web/', '/tests/bench/', '/node_modules/@tensorflow/', '/build/bench-module/'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

// `mounts` maps extra URL prefixes ("/x/") to directories (e.g. another copy
// of web/ to compare builds).
export function startServer(port = 0, mounts = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const mount = Object.keys(mounts).find((m) => path.startsWith(m));
    const root = mount ? resolve(mounts[mount]) : ROOT;
    const file = mount ? resolve(root, '.' + path.slice(mount.length - 1)) : resolve(ROOT, '.' + path);
    const ok = (mount !== undefined || ALLOWED.some((p) => path.startsWith(p))) && file.startsWith(root + sep);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-cache',
    };
    if (!ok) {
      res.writeHead(path === '/favicon.ico' ? 204 : 404, headers).end();
      return;
    }
    try {
      const st = await stat(file);
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const lastModified = new Date(Math.floor(st.mtimeMs / 1000) * 1000).toUTCString();
      const validators = { ETag: etag, 'Last-Modified': lastModified };
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      const fresh = inm !== undefined
        ? inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
        : ims !== undefined && Date.parse(ims) >= Date.parse(lastModified);
      if (fresh) {
        res.writeHead(304, { ...headers, ...validators }).end();
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, ...validators, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startServer(Number(process.argv[2] ?? 8199));
  console.log(`http://127.0.0.1:${s.address().port}/tests/bench/page/bench.html`);
}
