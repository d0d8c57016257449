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

// The topic of a catalog() item, from its id (prefix + index).
const topicOf = (id) => TOPICS[Number(/(\d+)$/.exec(id)[1]) % 4];

// A user who finishes every cooking video and swipes the rest away.
function learn(r, rounds) {
  let t = T0;
  for (let k = 0; k < rounds; k++) {
    r.setCandidates(catalog(`r${k}-`));
    r.rank({ nowMs: t, hourOfDay: 20 });
    const item = r.next({ nowMs: t, hourOfDay: 20 });
    r.observe({ itemId: item.id, kind: 'impression', timestampMs: t });
    if (topicOf(item.id) === 'cooking') r.observe({ itemId: item.id, kind: 'complete', timestampMs: t + 15000 });
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

// The native test (tests/core/topic_controls_test.cpp, 10 topics) checks
// "at least half fewer"; with 4 topics the diversity stage re-admits part of
// a "less" topic (measured 0.25 -> 0.16 on 2026-12-08), so here only the
// direction is asserted, and the shares are printed.
test('topic controls: "less" lowers a topic\'s share of the next 50, never to zero; "more" raises it; explained and exported', async () => {
  // Pages of 20 (4 topics x 5) every 10 swipes; a user with no taste.
  const session = async (topics, seed) => {
    const r = await createRanker({ embeddingDim: DIM, persist: false, seed });
    if (topics) r.setPolicy({ user: { topics } });
    let t = T0;
    let hits = 0;
    for (let k = 0; k < 50; k++) {
      if (k % 10 === 0) {
        const page = catalog(`s${seed}p${k}-`).slice(0, 20).map((c, i) => ({ ...c, server_score: 0.05 + 0.9 * (((i * 7 + seed * 3 + k) % 20) / 20) }));
        r.setCandidates(page);
        r.rank({ nowMs: t, hourOfDay: 20 });
      }
      const item = r.next({ nowMs: t, hourOfDay: 20 });
      if (topicOf(item.id) === 'cats') hits++;
      r.observe({ itemId: item.id, kind: 'impression', timestampMs: t });
      r.observe({ itemId: item.id, kind: 'swipe_away', dwellMs: 3000, velocity: 1, timestampMs: t + 3000 });
      t += 5000;
    }
    const out = { share: hits / 50, profile: r.exportProfile(), r };
    return out;
  };
  let normal = 0, less = 0, more = 0;
  for (let seed = 1; seed <= 6; seed++) {
    normal += (await session(null, seed)).share / 6;
    less += (await session({ cats: 'less' }, seed)).share / 6;
    more += (await session({ cats: 'more' }, seed)).share / 6;
  }
  console.log(`share of cats in the next 50 (6 sessions): normal ${normal.toFixed(3)}, less ${less.toFixed(3)}, more ${more.toFixed(3)}`);
  assert.ok(normal > 0);
  assert.ok(less < normal * 0.8, `less ${less} vs normal ${normal}`);
  assert.ok(less > 0, 'less never removes the topic');
  assert.ok(more > normal, `more ${more} vs normal ${normal}`);
  // Explained, and kept with the profile.
  const { r, profile } = await session({ cats: 'less', music: 'more', cooking: 'normal' }, 9);
  const batch = r.rank({ nowMs: T0 + 1e6, hourOfDay: 20 });
  for (let i = 0; i < batch.length; i++) {
    const id = batch.id(i);
    const topic = topicOf(id);
    if (topic !== 'cats' && topic !== 'music') continue;
    const why = r.explain(id);
    assert.equal(why.policy.reason, topic === 'cats' ? 'you asked for less cats' : 'you asked for more music');
  }
  const other = await createRanker({ embeddingDim: DIM, persist: false });
  other.importProfile(profile);
  assert.match(other.exportProfile(), /"topic_levels":\{"cats":"less","music":"more"\}/);
  assert.throws(() => r.setPolicy({ user: { topics: { cats: 'lots' } } }), (e) => e.code === 'invalid_argument' && /topic_levels\.cats/.test(e.message));
});

test('exportProfile carries the objective weights and the blocks: a fresh ranker importing it has both', async () => {
  const a = await createRanker({ embeddingDim: DIM, persist: false });
  learn(a, 5);
  a.setObjectiveWeights({ like: 3, share: 0 });
  a.setPolicy({ user: { blockedCreators: ['creator_2'], topics: { cats: 'less' } } });
  const b = await createRanker({ embeddingDim: DIM, persist: false });
  b.importProfile(a.exportProfile());
  const w = b.profileSummary().objectiveWeights;
  assert.equal(w.like, 3);
  assert.equal(w.share, 0);
  b.setCandidates(catalog('y'));
  const batch = b.rank({ nowMs: T0 + 1e6 });
  assert.ok(batch.dropped.some((d) => d.id.startsWith('y')), 'the block came along');
  assert.equal(b.exportProfile(), a.exportProfile());
});

test('refreshFeed() starts over as if new but keeps follows, controls and weights; reset() forgets follows', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const t = learn(r, 30);
  r.setObjectiveWeights({ like: 2 });
  r.setPolicy({ user: { blockedCreators: ['creator_4'] } });
  const items = catalog('z', 0.3, 0.6);
  r.setCandidates(items);
  r.rank({ nowMs: t });
  r.observe({ itemId: 'z3', kind: 'follow', timestampMs: t });  // creator_3
  r.refreshFeed();
  const s = r.profileSummary();
  assert.equal(s.stats.events, 0);
  assert.deepEqual(s.topInterests, []);
  assert.equal(s.objectiveWeights.like, 2);
  const batch = r.rank({ nowMs: t + 1 });
  assert.ok(batch.dropped.some((d) => d.id === 'z4'), 'the block stays');
  const why = r.explain('z8'); // creator_3 as well
  assert.equal(why.policy.reason, "it's by a creator you follow");
  assert.match(r.exportProfile(), /"follows":\[\{"author":"creator_3"/);
  r.reset();
  assert.doesNotMatch(r.exportProfile(), /"follows":\[\{/);
});
