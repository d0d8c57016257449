// setPersonalization(false): the non-personalized feed the EU DSA (Art. 38)
// asks very large platforms to offer, through the package's public API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRanker, memoryStore } from '../../web/index.js';

const DIM = 4;
const T0 = 1_700_000_000_000;
const TOPICS = ['cooking', 'cats', 'football', 'music'];

// 40 items, 4 topics, 5 creators, server scores spread over (lo, hi).
function catalog(prefix = 'v', lo = 0.05, hi = 0.5) {
  return Array.from({ length: 40 }, (_, i) => {
    const e = new Float32Array(DIM);
    e[i % 4] = 1;
    return {
      id: `${prefix}${i}`, author: `creator_${i % 5}`, tags: [TOPICS[i % 4]], category: TOPICS[i % 4],
      sound: `s${i % 3}`, duration_ms: 15000, server_score: lo + (hi - lo) * (((i * 17) % 40) / 40), embedding: e,
    };
  });
}

// A user who finishes every cooking video and swipes the rest away.
function learn(r, rounds) {
  let t = T0;
  for (let k = 0; k < rounds; k++) {
    r.setCandidates(catalog(`r${k}-`));
    r.rank({ nowMs: t, hourOfDay: 20 });
    const item = r.next({ nowMs: t, hourOfDay: 20 });
    r.observe({ itemId: item.id, kind: 'impression', timestampMs: t });
    if (item.category === 'cooking') r.observe({ itemId: item.id, kind: 'complete', timestampMs: t + 15000 });
    else r.observe({ itemId: item.id, kind: 'swipe_away', dwellMs: 700, velocity: 2, timestampMs: t + 700 });
    t += 30_000;
  }
  return t;
}

const ids = (batch) => Array.from({ length: batch.length }, (_, i) => batch.id(i));

test('off: the server order under the policy and the user\'s blocks; nothing learned; on again: as before', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const t = learn(r, 60);
  r.setPolicy({ user: { blockedCreators: ['creator_1'] }, rules: [{ id: 'no-cats', action: 'drop', match: { tags: ['cats'] } }] });
  // Above every item the learning rounds left in the known pool, so that
  // next() walks this batch first.
  const items = catalog('x', 0.5, 0.95);
  r.setCandidates(items);
  const ctx = { nowMs: t, hourOfDay: 20 };
  const personal = ids(r.rank(ctx));
  const server = items.filter((c) => c.author !== 'creator_1' && c.category !== 'cats')
    .sort((a, b) => b.server_score - a.server_score).map((c) => c.id);
  assert.notDeepEqual(personal, server, 'the learned profile reorders the feed');
  const profile = r.exportProfile();

  r.setPersonalization(false);
  assert.equal(r.personalization, false);
  assert.equal(r.profileSummary().personalization, false);
  assert.deepEqual(ids(r.rank(ctx)), server);
  for (let k = 0; k < 10; k++) {
    const item = r.next(ctx);
    assert.equal(item.id, server[k], `next() #${k} follows the server order`);
    r.observe({ itemId: item.id, kind: 'impression', timestampMs: t + k });
    r.observe({ itemId: item.id, kind: k % 2 ? 'like' : 'complete', timestampMs: t + k + 1 });
  }
  assert.equal(r.exportProfile(), profile, 'the profile is byte-identical');

  r.setPersonalization(true);
  assert.deepEqual(ids(r.rank(ctx)), personal);
  assert.equal(r.exportProfile(), profile);
  assert.throws(() => r.setPersonalization('no'), (e) => e.code === 'invalid_argument' && /^on: /.test(e.message));
});

test('the switch is saved with the user\'s settings and restored at the next start', async () => {
  const store = memoryStore();
  const a = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 } });
  learn(a, 5);
  a.setPersonalization(false);
  await a.flush();
  await a.close();
  const b = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 } });
  assert.equal(b.personalization, false);
  b.setPersonalization(true);
  await b.flush();
  await b.close();
  const c = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 } });
  assert.equal(c.personalization, true);
  await c.close();
});
