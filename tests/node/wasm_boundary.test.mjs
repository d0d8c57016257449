// The raw Embind boundary (web/dist/reelrank_core.js), below the package:
// one long-lived handle with delete(), errors returned (not thrown) as
// "code: field: reason", results as copies, and no per-call leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const dist = new URL('../../web/dist/', import.meta.url);
const factory = createRequire(import.meta.url)(new URL('reelrank_core.js', dist).pathname);
const M = await factory({ wasmBinary: readFileSync(new URL('reelrank_core.wasm', dist)) });

const meta = (n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: `v${i}`, duration_ms: 10000, server_score: 0.5, tags: ['t'], e: 1 })));

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

test('results are copies, not views into the wasm heap', () => {
  const r = new M._Ranker('{"embedding_dim": 2}');
  const res = r._rank(meta(3), new Float32Array([1, 0, 0, 1, 0.5, 0.5]), '{"now_ms": 1}');
  for (const k of ['order', 'values', 'heads', 'seen']) assert.notEqual(res[k].buffer, M.HEAP8.buffer, k);
  assert.equal(res.heads.length, 3 * 8);
  const before = Array.from(res.values);
  M._malloc(64 << 20); // grow memory: views would detach, copies do not
  assert.deepEqual(Array.from(res.values), before);
  r.delete();
});

test('failing and succeeding calls do not leak wasm memory', () => {
  const r = new M._Ranker('{"embedding_dim": 2}');
  const big = 'x'.repeat(4096);
  const flat = new Float32Array(200 * 2).fill(0.25);
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      r._rank(meta(200), flat, '{"now_ms": 1}');
      r._rank(big, flat, '');
      r._observe(`e${i}`, big, 'like', 1, 0, 0);
      r._importProfile(big);
      r._setObjectiveWeights(big);
    }
  };
  run(200);
  const after1 = M.HEAP8.length;
  run(1000);
  assert.equal(M.HEAP8.length, after1);
  r.delete();
});
