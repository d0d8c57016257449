// The size check: the shipped module (wasm + glue, gzip -9) stays within the
// budget written in web/size-budget.json. Prints the sections of the wasm so
// a failure says where the bytes went.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../../web/dist/', import.meta.url);
const gz = (b) => gzipSync(b, { level: 9 }).length;
const SECTIONS = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'elem', 'code', 'data', 'datacount'];

// Sizes of the sections of a wasm binary: [{name, raw, gzip}].
function sections(wasm) {
  const out = [];
  let p = 8;
  const leb = () => {
    let r = 0, s = 0, x;
    do { x = wasm[p++]; r += (x & 127) * 2 ** s; s += 7; } while (x & 128);
    return r;
  };
  while (p < wasm.length) {
    const id = wasm[p++];
    const n = leb();
    out.push({ name: SECTIONS[id] ?? `id${id}`, raw: n, gzip: gz(wasm.subarray(p, p + n)) });
    p += n;
  }
  return out;
}

test('wasm + glue, gzipped, is within the budget in web/size-budget.json', () => {
  const budget = JSON.parse(readFileSync(new URL('../../web/size-budget.json', import.meta.url), 'utf8')).gzip_bytes;
  const wasm = readFileSync(new URL('reelrank_core.wasm', dist));
  const glue = readFileSync(new URL('reelrank_core.js', dist));
  const total = gz(wasm) + gz(glue);
  const table = sections(wasm).map((s) => `${s.name} ${s.raw} raw, ${s.gzip} gz`).join('; ');
  console.log(`size: wasm ${wasm.length} raw / ${gz(wasm)} gz, glue ${glue.length} raw / ${gz(glue)} gz, total ${total} gz (budget ${budget}); sections: ${table}`);
  assert.ok(Number.isInteger(budget) && budget > 0);
  assert.ok(total <= budget, `wasm + glue gzipped is ${total} B, over the budget of ${budget} B (${table})`);
});
