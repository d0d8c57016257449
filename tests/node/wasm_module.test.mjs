// Node tests of the wasm module through the web/ package entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRanker, RankerError } from '../../web/index.js';

function candidate(id, serverScore, extra = {}) {
  return { id, duration_ms: 15000, server_score: serverScore, tags: ['t'], ...extra };
}

test('ranks by server score with an empty profile', async () => {
  const ranker = await createRanker({ embeddingDim: 4, seed: 7 });
  const emb = new Float32Array([0.1, 0.2, 0.3, 0.4]);
  const { ranked, rejected } = ranker.rank([
    candidate('a', 0.2),
    candidate('b', 0.9, { embedding: emb }),
    candidate('c', 0.5),
  ]);
  assert.deepEqual(rejected, []);
  assert.deepEqual(ranked.map((r) => r.id), ['b', 'c', 'a']);
  assert.ok(ranked[0].value > ranked[1].value && ranked[1].value > ranked[2].value);
  ranker.close();
});

test('skips malformed candidates with a reason and ranks the rest', async () => {
  const ranker = await createRanker({ embeddingDim: 4 });
  const { ranked, rejected } = ranker.rank([
    candidate('a', 0.4),
    candidate('bad-dim', 0.9, { embedding: [1, 2] }),
    candidate('', 0.9),
    candidate('nan', 0.9, { embedding: [0, Number.NaN, 0, 0] }),
    candidate('c', 0.6),
  ]);
  assert.deepEqual(ranked.map((r) => r.id), ['c', 'a']);
  assert.deepEqual(rejected.map((r) => r.index), [1, 2, 3]);
  assert.match(rejected[0].message, /candidates\[1\]\.embedding: expected 4 floats, got 2/);
  assert.match(rejected[1].message, /candidates\[2\]\.id: must not be empty/);
  assert.match(rejected[2].message, /candidates\[3\]\.embedding\[/);
  assert.ok(rejected.every((r) => r.code === 'invalid_argument'));
  ranker.close();
});

test('errors are RankerError with a code naming the field', async () => {
  const ranker = await createRanker({ embeddingDim: 4 });
  assert.throws(() => ranker.rank('nope'), (e) => e instanceof RankerError && e.code === 'invalid_argument' && /candidates/.test(e.message));
  ranker.close();
  assert.throws(() => ranker.rank([]), (e) => e instanceof RankerError && e.code === 'closed');
  await assert.rejects(createRanker({ embeddingDim: 0 }), (e) => e instanceof RankerError && /embeddingDim/.test(e.message));
});
