// Node tests of the web/ package (reelrank): round trips, every error path,
// determinism, persistence logic (with the in-memory store; the IndexedDB
// store is covered in Chromium by tests/e2e/package-persistence.spec.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRanker, createRankerWorker, RankerError, Ranker, HEADS, EVENT_KINDS, memoryStore,
} from '../../web/index.js';

const DIM = 4;
const T0 = 1_700_000_000_000;

// A small deterministic catalog: 3 authors x 3 topics.
function catalog(n = 12) {
  const topics = ['cooking', 'cats', 'football'];
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = i % 3;
    const e = new Float32Array(DIM);
    e[t] = 1;
    e[3] = 0.1 * (i % 5);
    out.push({
      id: `v${i}`,
      author: `creator_${i % 4}`,
      tags: [topics[t]],
      category: topics[t],
      sound: `s${i % 2}`,
      duration_ms: 15000,
      server_score: 0.4 + 0.01 * i,
      embedding: e,
    });
  }
  return out;
}

const isCode = (code, field) => (e) => {
  assert.ok(e instanceof RankerError, `expected RankerError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  if (field) assert.match(e.message, field);
  return true;
};

// Plays a user who loves cooking: watches cooking to the end and likes it,
// swipes everything else away fast.
function playCookingLover(ranker, items, rounds = 3, idPrefix = 'e') {
  let t = T0;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    const { ranked } = ranker.rank(items, { nowMs: t, hourOfDay: 20 });
    for (const s of ranked.slice(0, 6)) {
      const item = items[s.index];
      ranker.observe({ eventId: `${idPrefix}${n++}`, itemId: item.id, kind: 'impression', timestampMs: (t += 100) });
      if (item.tags[0] === 'cooking') {
        ranker.observe({ eventId: `${idPrefix}${n++}`, itemId: item.id, kind: 'complete', timestampMs: (t += 15000) });
        ranker.observe({ eventId: `${idPrefix}${n++}`, itemId: item.id, kind: 'like', timestampMs: (t += 100) });
        ranker.observe({ eventId: `${idPrefix}${n++}`, itemId: item.id, kind: 'swipe_away', timestampMs: (t += 100), dwellMs: 15300, velocity: 0.5 });
      } else {
        ranker.observe({ eventId: `${idPrefix}${n++}`, itemId: item.id, kind: 'swipe_away', timestampMs: (t += 400), dwellMs: 400, velocity: 3 });
      }
    }
  }
  return t;
}

test('rank returns heads, contributions and ids in the caller\'s order', async () => {
  const ranker = await createRanker({ embeddingDim: DIM, seed: 7, persist: false });
  const items = catalog();
  const { ranked, rejected } = ranker.rank(items, { nowMs: T0, hourOfDay: 9 });
  assert.deepEqual(rejected, []);
  assert.equal(ranked.length, items.length);
  for (const r of ranked) {
    assert.equal(r.id, items[r.index].id);
    assert.deepEqual(Object.keys(r.heads), HEADS);
    for (const h of HEADS) assert.ok(r.heads[h] >= 0 && r.heads[h] <= 1, `${h} = ${r.heads[h]}`);
    assert.ok(Array.isArray(r.contributions));
    for (const c of r.contributions) {
      assert.equal(typeof c.kind, 'string');
      assert.equal(typeof c.label, 'string');
      assert.ok(Number.isFinite(c.value));
    }
    assert.equal(typeof r.seen, 'boolean');
  }
  assert.deepEqual(ranked.map((r) => r.index).sort((a, b) => a - b), items.map((_, i) => i));
  // The input is not modified.
  assert.ok(items[0].embedding instanceof Float32Array);
  await ranker.close();
});

test('learning from events moves the liked topic up', async () => {
  const ranker = await createRanker({ embeddingDim: DIM, seed: 3, persist: false });
  const items = catalog();
  const before = ranker.rank(items, { nowMs: T0, hourOfDay: 20 }).ranked;
  const t = playCookingLover(ranker, items);
  const after = ranker.rank(items, { nowMs: t + 60_000, hourOfDay: 20 }).ranked;
  const cookingRank = (list) => list.findIndex((r) => items[r.index].tags[0] === 'cooking');
  const mean = (list, topic) => {
    const v = list.filter((r) => items[r.index].tags[0] === topic).map((r) => r.value);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  assert.ok(mean(after, 'cooking') - mean(after, 'cats') > mean(before, 'cooking') - mean(before, 'cats'));
  const summary = ranker.profileSummary(5);
  assert.ok(summary.stats.events > 0);
  assert.ok(summary.topInterests.length <= 5);
  for (const i of summary.topInterests) assert.deepEqual(Object.keys(i), ['name', 'weight']);
  assert.deepEqual(Object.keys(summary.objectiveWeights), HEADS);
  assert.equal(summary.learningPaused, false);
  await ranker.close();
});

test('deterministic: same seed and calls give identical results and profiles', async () => {
  const run = async () => {
    const r = await createRanker({ embeddingDim: DIM, seed: 11, persist: false });
    const t = playCookingLover(r, catalog());
    const out = { ranked: r.rank(catalog(), { nowMs: t, hourOfDay: 8 }), profile: r.exportProfile() };
    await r.close();
    return out;
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.ranked, b.ranked);
  assert.equal(a.profile, b.profile);
});

test('profile round trip: export -> import gives the same ranking', async () => {
  const a = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  const t = playCookingLover(a, catalog());
  const saved = a.exportProfile();
  assert.equal(typeof saved, 'string');
  JSON.parse(saved);
  const b = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  b.importProfile(saved);
  assert.equal(b.exportProfile(), saved);
  const ctx = { nowMs: t + 1000, hourOfDay: 21 };
  assert.deepEqual(b.rank(catalog(), ctx).ranked.map((r) => r.value), a.rank(catalog(), ctx).ranked.map((r) => r.value));
  // reset forgets
  b.reset();
  const fresh = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  fresh.rank(catalog(), ctx);
  assert.equal(b.profileSummary().stats.events, 0);
  await Promise.all([a.close(), b.close(), fresh.close()]);
});

test('forget: removes one event; unknown ids are not_found', async () => {
  const items = catalog();
  const r = await createRanker({ embeddingDim: DIM, seed: 2, persist: false });
  const twin = await createRanker({ embeddingDim: DIM, seed: 2, persist: false });
  for (const x of [r, twin]) x.rank(items, { nowMs: T0 });
  for (const x of [r, twin]) x.observe({ eventId: 'i1', itemId: 'v0', kind: 'impression', timestampMs: T0 + 1 });
  r.observe({ eventId: 'like1', itemId: 'v0', kind: 'like', timestampMs: T0 + 2 });
  assert.notEqual(r.exportProfile(), twin.exportProfile());
  r.forget('like1');
  const ctx = { nowMs: T0 + 10, hourOfDay: 12 };
  assert.deepEqual(r.rank(items, ctx).ranked.map((x) => x.value), twin.rank(items, ctx).ranked.map((x) => x.value));
  assert.throws(() => r.forget('never-seen'), isCode('not_found'));
  assert.throws(() => r.forget(''), isCode('invalid_argument', /eventId/));
  await Promise.all([r.close(), twin.close()]);
});

test('observe: generates event ids, validates every field', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  r.rank(catalog(), { nowMs: T0 });
  const id = r.observe({ itemId: 'v1', kind: 'impression', timestampMs: T0 });
  assert.equal(typeof id, 'string');
  assert.ok(id.length > 0);
  assert.equal(r.observe({ eventId: 'x1', itemId: 'v1', kind: 'progress', timestampMs: T0 + 5, dwellMs: 3000 }), 'x1');
  assert.throws(() => r.observe(null), isCode('invalid_argument', /^event:/));
  assert.throws(() => r.observe({ kind: 'like' }), isCode('invalid_argument', /event\.itemId/));
  assert.throws(() => r.observe({ itemId: 'v1' }), isCode('invalid_argument', /event\.kind/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'wink', timestampMs: T0 }), isCode('invalid_argument', /event\.kind/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'like', eventId: '' }), isCode('invalid_argument', /event\.eventId/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'like', timestampMs: 'now' }), isCode('invalid_argument', /event\.timestampMs/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'swipe_away', dwellMs: Number.NaN }), isCode('invalid_argument', /event\.dwellMs/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'swipe_away', velocity: Infinity }), isCode('invalid_argument', /event\.velocity/));
  assert.throws(() => r.observe({ itemId: 'v1', kind: 'swipe_away', dwellMs: -5, timestampMs: T0 + 9 }), isCode('invalid_argument', /dwell/));
  assert.throws(() => r.observe({ eventId: 'x1', itemId: 'v1', kind: 'like', timestampMs: T0 + 9 }), isCode('invalid_argument', /event_id|eventId|duplicate/));
  assert.throws(() => r.observe({ itemId: 'nope', kind: 'like', timestampMs: T0 }), isCode('not_found', /^event\.itemId: /));
  for (const k of EVENT_KINDS) {
    r.observe({ itemId: 'v2', kind: k, timestampMs: T0 + 100, dwellMs: 100, velocity: 1 });
  }
  await r.close();
});

test('pauseLearning: events are accepted but change nothing', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  r.rank(catalog(), { nowMs: T0 });
  r.pauseLearning(true);
  assert.equal(r.learningPaused, true);
  const before = r.exportProfile();
  r.observe({ itemId: 'v0', kind: 'impression', timestampMs: T0 });
  r.observe({ itemId: 'v0', kind: 'like', timestampMs: T0 + 1 });
  assert.equal(r.exportProfile(), before);
  r.pauseLearning(false);
  assert.equal(r.profileSummary().learningPaused, false);
  assert.throws(() => r.pauseLearning('yes'), isCode('invalid_argument', /paused/));
  await r.close();
});

test('objective weights: user-adjustable only, all or nothing', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  r.setObjectiveWeights({ like: 2, share: 0 });
  const w = r.profileSummary().objectiveWeights;
  assert.equal(w.like, 2);
  assert.equal(w.share, 0);
  assert.throws(() => r.setObjectiveWeights({ negative: 3 }), isCode('invalid_argument', /negative/));
  assert.throws(() => r.setObjectiveWeights({ like: 1, comment: 99 }), isCode('invalid_argument', /comment/));
  assert.equal(r.profileSummary().objectiveWeights.like, 2, 'all or nothing');
  assert.throws(() => r.setObjectiveWeights({ bogus: 1 }), isCode('invalid_argument', /bogus/));
  assert.throws(() => r.setObjectiveWeights(null), isCode('invalid_argument', /weights/));
  await r.close();
});

test('rank: malformed candidates are rejected with reasons, the rest ranked', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const good = catalog(2);
  const { ranked, rejected } = r.rank([
    good[0],
    { ...good[1], id: 'short', embedding: [1, 2] },
    null,
    { ...good[1], id: 'dup' },
    { ...good[1], id: 'dup' },
    { ...good[1], id: 'tagsbad', tags: 'cats' },
    { ...good[1], id: 'mat', maturity: 'spicy' },
    { ...good[1], id: 'teen', maturity: 'teen' },
    good[1],
  ], { nowMs: T0 });
  assert.deepEqual(ranked.map((x) => x.id).sort(), ['dup', 'teen', 'v0', 'v1'].sort());
  const byIndex = Object.fromEntries(rejected.map((x) => [x.index, x]));
  assert.match(byIndex[1].message, /candidates\[1\]\.embedding: expected 4 floats, got 2/);
  assert.match(byIndex[2].message, /candidates\[2\]/);
  assert.match(byIndex[4].message, /candidates\[4\]\.id/);
  assert.match(byIndex[5].message, /candidates\[5\]\.tags/);
  assert.match(byIndex[6].message, /candidates\[6\]\.maturity/);
  assert.equal(byIndex[1].id, 'short');
  assert.ok(rejected.every((x) => x.code === 'invalid_argument'));
  assert.throws(() => r.rank('x'), isCode('invalid_argument', /^candidates: /));
  assert.throws(() => r.rank([], 5), isCode('invalid_argument', /^context/));
  assert.throws(() => r.rank([], { nowMs: 'x' }), isCode('invalid_argument', /context\.nowMs/));
  assert.throws(() => r.rank([], { hourOfDay: 24 }), isCode('invalid_argument', /context\.hourOfDay/));
  assert.throws(() => r.rank([], { sessionDepth: -1 }), isCode('invalid_argument', /context\.sessionDepth/));
  assert.throws(() => r.rank([], { surface: 'tv' }), isCode('invalid_argument', /context\.surface/));
  assert.deepEqual(r.rank([], { now_ms: T0, hour_of_day: 3, surface: 'search' }), { ranked: [], rejected: [], dropped: [], warnings: [] });
  await r.close();
});

test('profile round trip with non-ASCII ids, tags and creators', async () => {
  // Multi-byte UTF-8 (2, 3 and 4 bytes per character) in the profile text:
  // importProfile must hand the core every byte (its input buffer is first
  // sized for ASCII text).
  const items = catalog().map((c, i) => ({
    ...c,
    id: `vidéo-${i}-料理-🍳`,
    author: `créatrice_${i % 4}_😀`,
    tags: [`${c.tags[0]}-ñ`],
  }));
  const a = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  const t = playCookingLover(a, items);
  const saved = a.exportProfile();
  assert.match(saved, /料理|\\u6599/, 'the ids are in the profile');
  const b = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  b.importProfile(saved);
  assert.equal(b.exportProfile(), saved);
  const ctx = { nowMs: t + 1000, hourOfDay: 21 };
  assert.deepEqual(b.rank(items, ctx).ranked.map((r) => [r.id, r.value]), a.rank(items, ctx).ranked.map((r) => [r.id, r.value]));
  // A lone surrogate has no UTF-8 form: the text is refused as not
  // well-formed (the one rule for strings at the boundary), nothing changes.
  const lone = saved.replace('料理', '\ud800');
  if (lone !== saved) assert.throws(() => b.importProfile(lone), isCode('invalid_argument', /^profile: not well-formed/));
  assert.equal(b.exportProfile(), saved);
  await Promise.all([a.close(), b.close()]);
});

test('importProfile: corrupt, truncated, unknown version, other dimension', async () => {
  const a = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  playCookingLover(a, catalog(), 1);
  const good = a.exportProfile();
  const b = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  const before = b.exportProfile();
  assert.throws(() => b.importProfile(42), isCode('invalid_argument', /profile/));
  assert.throws(() => b.importProfile('{not json'), isCode('data_loss'));
  assert.throws(() => b.importProfile(good.slice(0, good.length >> 1)), isCode('data_loss'));
  const flipped = good.replace(/"events":(\d+)/, (m, n) => `"events":${Number(n) + 1}`);
  assert.notEqual(flipped, good);
  assert.throws(() => b.importProfile(flipped), isCode('data_loss', /checksum/));
  const doc = JSON.parse(good);
  doc.version = 999;
  assert.throws(() => b.importProfile(JSON.stringify(doc)), (e) => e instanceof RankerError && ['unimplemented', 'data_loss'].includes(e.code));
  assert.equal(b.exportProfile(), before, 'a failed import changes nothing');
  const wide = await createRanker({ embeddingDim: DIM + 1, persist: false });
  assert.throws(() => wide.importProfile(good), isCode('invalid_argument'));
  await Promise.all([a.close(), b.close(), wide.close()]);
});

test('createRanker: option errors name the field', async () => {
  const bad = [
    [{ embeddingDim: 0 }, /options\.embeddingDim/],
    [{ embeddingDim: 2.5 }, /options\.embeddingDim/],
    [{ seed: -1 }, /options\.seed/],
    [{ config: 'x' }, /options\.config/],
    [{ config: { profile: { max_features: -3 } } }, /config\.profile\.max_features/],
    [{ persist: 'yes' }, /options\.persist/],
    [{ persist: { key: '' } }, /options\.persist\.key/],
    [{ persist: { debounceMs: -1 } }, /options\.persist\.debounceMs/],
    [{ persist: { store: {} } }, /options\.persist\.store/],
    [{ onStorageEvent: 1 }, /options\.onStorageEvent/],
    [{ modelPack: 7 }, /modelPack/],
    [{ policy: [] }, /policy/],
  ];
  for (const [opts, field] of bad) {
    await assert.rejects(createRanker(opts), isCode('invalid_argument', field), JSON.stringify(opts));
  }
  await assert.rejects(createRanker(null), isCode('invalid_argument', /options/));
  await assert.rejects(createRanker({ baseUrl: new URL('./no-such-dir/', import.meta.url) }), isCode('unavailable', /no-such-dir/));
  await assert.rejects(createRankerWorker({}), isCode('unavailable', /Worker/));
  // config keys are honoured; explicit options win over them
  const r = await createRanker({ config: { embedding_dim: 8, seed: 4 }, persist: false });
  assert.equal(r.embeddingDim, 8);
  const s = await createRanker({ config: { embedding_dim: 8 }, embeddingDim: 3, persist: false });
  assert.equal(s.embeddingDim, 3);
  assert.ok(r instanceof Ranker);
  await Promise.all([r.close(), s.close()]);
});

test('closed rankers throw "closed" from every method', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  await r.close();
  await r.close(); // idempotent
  const calls = [
    () => r.rank([]), () => r.next(), () => r.observe({ itemId: 'a', kind: 'like' }), () => r.explain('a'),
    () => r.exportProfile(), () => r.importProfile('{}'), () => r.forget('a'), () => r.reset(),
    () => r.setObjectiveWeights({ like: 1 }), () => r.setPolicy({}), () => r.pauseLearning(true),
    () => r.profileSummary(), () => r.loadModelPack('{}'), () => r.learningPaused,
  ];
  for (const call of calls) assert.throws(call, isCode('closed'), call.toString());
});

test('setPolicy: user controls and operator rules drop items, with reasons', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const items = catalog();
  r.setPolicy({ user: { blockedCreators: ['creator_1'] } });
  let res = r.rank(items, { nowMs: T0 });
  assert.ok(res.ranked.every((x) => items[x.index].author !== 'creator_1'));
  const blocked = items.filter((c) => c.author === 'creator_1').map((c) => c.id);
  assert.deepEqual(res.dropped.map((d) => d.id), blocked);
  assert.ok(res.dropped.every((d) => d.source === 'user' && d.ruleId.length > 0));
  for (const x of res.ranked) {
    assert.ok(['allow', 'boost', 'demote', 'interstitial'].includes(x.action));
    assert.equal(typeof x.explored, 'boolean');
    assert.equal(typeof x.interstitial, 'boolean');
  }
  r.setPolicy({ rules: [{ id: 'no-cats', action: 'drop', match: { tags: ['cats'] }, reason: 'no cats here' }] });
  res = r.rank(items, { nowMs: T0 });
  assert.ok(res.ranked.every((x) => items[x.index].tags[0] !== 'cats' && items[x.index].author !== 'creator_1'));
  const cat = res.dropped.find((d) => items[d.index].tags[0] === 'cats' && items[d.index].author !== 'creator_1');
  assert.equal(cat.ruleId, 'no-cats');
  assert.equal(cat.source, 'operator');
  assert.throws(() => r.setPolicy({ rules: [{ id: 'x', action: 'delete', match: { tags: ['a'] } }] }), isCode('invalid_argument', /rules\[0\]/));
  assert.throws(() => r.setPolicy({ user: { blockedCreators: 'bob' } }), isCode('invalid_argument', /blocked_authors|blockedCreators/));
  assert.throws(() => r.setPolicy({ user: { blockedPeople: [] } }), isCode('invalid_argument', /policy\.user\.blockedPeople/));
  assert.throws(() => r.setPolicy({ rules: 'x' }), isCode('invalid_argument', /policy\.rules/));
  assert.throws(() => r.setPolicy([]), isCode('invalid_argument', /policy/));
  await r.close();
});

test('next: the best known item not yet shown, never a dropped one', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const items = catalog();
  assert.equal(r.next({ nowMs: T0 }), null, 'nothing ranked yet');
  r.setPolicy({ user: { blockedCreators: ['creator_0'] } });
  r.rank(items, { nowMs: T0 });
  const shown = new Set();
  for (let i = 0; i < 6; i++) {
    const n = r.next({ nowMs: T0 + i * 1000 });
    assert.ok(n, `next #${i}`);
    assert.ok(items.some((c) => c.id === n.id));
    assert.notEqual(items.find((c) => c.id === n.id).author, 'creator_0');
    assert.ok(!shown.has(n.id), 'not shown before');
    assert.deepEqual(Object.keys(n.heads), HEADS);
    assert.ok(Number.isFinite(n.value));
    assert.deepEqual(r.next({ nowMs: T0 + i * 1000 }), n, 'pure between calls');
    shown.add(n.id);
    r.observe({ itemId: n.id, kind: 'impression', timestampMs: T0 + i * 1000 });
  }
  await r.close();
});

test('explain: why an item got its place; unknown ids are not_found', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const items = catalog();
  r.setPolicy({ user: { blockedCreators: ['creator_2'] } });
  const { ranked, dropped } = r.rank(items, { nowMs: T0 });
  const e = r.explain(ranked[0].id);
  assert.equal(e.itemId, ranked[0].id);
  assert.equal(e.position, 0);
  assert.equal(typeof e.summary, 'string');
  assert.ok(Array.isArray(e.reasons));
  const d = r.explain(dropped[0].id);
  assert.equal(d.policy.action, 'drop');
  assert.throws(() => r.explain('zzz'), isCode('not_found'));
  assert.throws(() => r.explain(''), isCode('invalid_argument', /id/));
  await r.close();
});

test('persistence: user controls survive a restart', async () => {
  const store = memoryStore();
  const a = await persisted(store);
  a.setPolicy({ user: { blockedCreators: ['creator_3'], maturity: 'teen' } });
  await a.close();
  const b = await persisted(store);
  const res = b.rank(catalog(), { nowMs: T0 });
  assert.ok(res.ranked.every((x) => catalog()[x.index].author !== 'creator_3'));
  assert.ok(res.dropped.length > 0);
  await b.close();
});

test('loadModelPack: errors are values; the current pack round-trips', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  assert.throws(() => r.loadModelPack('{broken'), (e) => e instanceof RankerError && e.code !== 'internal');
  await r.close();
});

// ---- persistence (in-memory store: same contract as IndexedDB) -------------

async function persisted(store, events = [], extra = {}) {
  const r = await createRanker({ embeddingDim: DIM, seed: 9, persist: { store, debounceMs: 5 }, onStorageEvent: (e) => events.push(e), ...extra });
  return r;
}

test('persistence: fresh, debounced save, flush, restore', async () => {
  const store = memoryStore();
  const events = [];
  const a = await persisted(store, events);
  assert.deepEqual(events, [{ type: 'fresh' }]);
  assert.deepEqual(a.storage, { type: 'fresh' });
  const t = playCookingLover(a, catalog(), 1);
  a.setObjectiveWeights({ like: 3 });
  await a.flush();
  const saves = events.filter((e) => e.type === 'saved');
  assert.equal(saves.length, 1, 'many changes, one debounced save');
  assert.equal(store.data[store.data.head].profile, a.exportProfile());
  const expected = a.rank(catalog(), { nowMs: t, hourOfDay: 1 }).ranked;
  await a.close();

  const evB = [];
  const b = await persisted(store, evB);
  assert.equal(evB[0].type, 'restored');
  assert.equal(evB[0].source, 'current');
  assert.deepEqual(b.rank(catalog(), { nowMs: t, hourOfDay: 1 }).ranked, expected);
  assert.equal(b.profileSummary().objectiveWeights.like, 3, 'settings are restored');
  await b.close();
});

test('persistence: the previous version stays as the backup', async () => {
  const store = memoryStore();
  const a = await persisted(store);
  a.rank(catalog(), { nowMs: T0 });
  a.observe({ itemId: 'v0', kind: 'impression', timestampMs: T0 });
  await a.flush();
  const first = a.exportProfile();
  const firstSlot = store.data.head;
  a.observe({ itemId: 'v0', kind: 'like', timestampMs: T0 + 1 });
  await a.flush();
  assert.notEqual(store.data.head, firstSlot);
  assert.equal(store.data[firstSlot].profile, first);
  assert.ok(store.data[store.data.head].generation > store.data[firstSlot].generation);
  await a.close();
});

test('persistence: corrupt current -> backup used and app told; both bad -> fresh', async () => {
  const store = memoryStore();
  const a = await persisted(store);
  a.rank(catalog(), { nowMs: T0 });
  a.observe({ itemId: 'v0', kind: 'impression', timestampMs: T0 });
  await a.flush();
  const backupProfile = a.exportProfile();
  a.observe({ itemId: 'v0', kind: 'like', timestampMs: T0 + 1 });
  await a.close();
  const cur = store.data.head;

  const cases = [
    ['checksum', (r) => { r.profile = r.profile.replace('"events":', '"events":1'); r.length = r.profile.length; }, 'corrupt'],
    ['truncated', (r) => { r.profile = r.profile.slice(0, 100); }, 'truncated'],
    ['unknown envelope version', (r) => { r.version = 99; }, 'unknown_version'],
    ['garbage', (r) => { for (const k of Object.keys(r)) delete r[k]; r.junk = true; }, 'corrupt'],
  ];
  for (const [name, damage, reason] of cases) {
    const copy = memoryStore();
    Object.assign(copy.data, structuredClone(store.data));
    damage(copy.data[cur]);
    const events = [];
    const b = await persisted(copy, events);
    assert.equal(events[0].type, 'recovered', name);
    assert.equal(events[0].reason, reason, name);
    assert.equal(b.exportProfile(), backupProfile, name);
    await b.flush();
    assert.equal(copy.data[copy.data.head].profile, backupProfile, `${name}: the good version is current again`);
    await b.close();
  }

  const both = memoryStore();
  Object.assign(both.data, structuredClone(store.data));
  both.data.a.profile = 'x';
  both.data.b = 'garbage';
  const events = [];
  const c = await persisted(both, events);
  assert.equal(events[0].type, 'reset');
  assert.equal(c.profileSummary().stats.events, 0);
  await c.close();
});

test('persistence: a failing store is reported, flush rejects, data kept dirty', async () => {
  const store = memoryStore();
  let fail = true;
  const flaky = { ...store, write: (slot, rec) => (fail ? Promise.reject(new Error('quota exceeded')) : store.write(slot, rec)) };
  const events = [];
  const r = await persisted(flaky, events);
  r.rank(catalog(), { nowMs: T0 });
  r.observe({ itemId: 'v0', kind: 'impression', timestampMs: T0 });
  await assert.rejects(r.flush(), isCode('storage', /quota exceeded/));
  assert.ok(events.some((e) => e.type === 'error' && e.op === 'save'));
  fail = false;
  await r.flush();
  assert.equal(store.data[store.data.head].profile, r.exportProfile());
  await r.close();
});

test('persistence: close() saves what is pending', async () => {
  const store = memoryStore();
  const r = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 60_000 } });
  r.rank(catalog(), { nowMs: T0 });
  r.observe({ itemId: 'v3', kind: 'like', timestampMs: T0 });
  const profile = r.exportProfile();
  await r.close();
  assert.equal(store.data[store.data.head].profile, profile);
});
