// The raw Embind boundary (web/dist/reelrank_core.js), below the package:
// one long-lived handle with delete(), errors returned (not thrown) as
// "code: field: reason", packed batches checked against their layout,
// results copied out in one slice, and no per-call leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { packCandidates, RankedBatch } from '../../web/ranker.js';

const dist = new URL('../../web/dist/', import.meta.url);
const factory = createRequire(import.meta.url)(new URL('reelrank_core.js', dist).pathname);
const M = await factory({ wasmBinary: readFileSync(new URL('reelrank_core.wasm', dist)) });

// A packed batch of n candidates (web/ranker.js packCandidates, the only
// writer of the layout in wasm/marshal.h), copied into the handle's input
// buffer and registered in slot 0.
const cands = (n) => Array.from({ length: n }, (_, i) => ({
  id: `v${i}`, duration_ms: 10000, server_score: 0.5, tags: ['t'], embedding: new Float32Array([1, i % 2]),
}));
function register(r, candidates) {
  const p = packCandidates(candidates, 2);
  M.HEAPU8.set(new Uint8Array(p.buffer, 0, p.bytes), r._inputBuffer(p.bytes));
  return r._setCandidates(0, p.bytes);
}

test('the public surface is one class with underscore methods', () => {
  const names = Object.keys(M).filter((k) => /^_[A-Z]/.test(k));
  assert.deepEqual(names, ['_Ranker']);
  const r = new M._Ranker('{"embedding_dim": 2}');
  assert.equal(r._initError(), null);
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(r)).filter((k) => k.startsWith('_'));
  assert.ok(methods.length >= 15);
  r.delete();
  assert.throws(() => r._embeddingDim(), /deleted/);
});

test('config errors come back from _initError, not as a throw', () => {
  for (const [json, field] of [['{"embedding_dim": 0}', /config\.embedding_dim/], ['{not json', /config/], ['[1]', /config/]]) {
    const r = new M._Ranker(json);
    const e = r._initError();
    assert.ok(e instanceof Error);
    assert.match(e.message, /^invalid_argument: /);
    assert.match(e.message, field);
    r.delete();
  }
});

test('rank results are copied out of the wasm heap in one slice', () => {
  const r = new M._Ranker('{"embedding_dim": 2}');
  assert.deepEqual(register(r, cands(3)), []);
  const ptr = r._rankKept(0, 1, 12, -1, -1);
  const n = M.HEAP32[ptr >> 2];
  assert.equal(n, 3);
  const copy = M.HEAPU8.slice(ptr, ptr + M.HEAP32[(ptr >> 2) + 3]).buffer;
  const res = new RankedBatch(copy, packCandidates(cands(3), 2).info, []);
  for (const k of ['order', 'values', 'heads']) assert.notEqual(res[k].buffer, M.HEAP8.buffer, k);
  assert.equal(res.heads.length, 3 * 8);
  assert.deepEqual(Array.from(res.order).sort(), [0, 1, 2]);
  const before = Array.from(res.values);
  M._malloc(64 << 20); // grow memory: views would detach, copies do not
  assert.deepEqual(Array.from(res.values), before);
  r.delete();
});

test('a packed batch that breaks the layout is refused, not read past its end', () => {
  const r = new M._Ranker('{"embedding_dim": 2}');
  const p = packCandidates(cands(4), 2);
  M.HEAPU8.set(new Uint8Array(p.buffer, 0, p.bytes), r._inputBuffer(p.bytes));
  for (const bytes of [0, 16, p.bytes - 1]) {
    const e = r._setCandidates(0, bytes);
    assert.ok(e instanceof Error, `bytes=${bytes}`);
    assert.match(e.message, /^internal: candidates: /);
  }
  assert.ok(r._setCandidates(0, 1 << 30) instanceof Error, 'larger than the input buffer');
  assert.ok(r._importProfileInput(1 << 30) instanceof Error, 'profile larger than the input buffer');
  assert.ok(r._setCandidates(5, p.bytes) instanceof Error, 'bad slot');
  assert.deepEqual(r._setCandidates(0, p.bytes), []);
  r.delete();
});

test('failing and succeeding calls do not leak wasm memory', () => {
  const r = new M._Ranker('{"embedding_dim": 2}');
  const big = 'x'.repeat(4096);
  const batch = cands(200);
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      register(r, batch);
      r._rankKept(0, 1, 12, -1, -1);
      r._setCandidates(0, 16);
      r._observe(`e${i}`, big, 'like', 1, 0, 0);
      M.HEAPU8.set(new TextEncoder().encode(big), r._inputBuffer(big.length));
      r._importProfileInput(big.length);
      r._setObjectiveWeights(big);
    }
  };
  run(200);
  const after1 = M.HEAP8.length;
  run(1000);
  assert.equal(M.HEAP8.length, after1);
  r.delete();
});
