// Node tests of the registered-batch path of the web/ package:
// setCandidates(candidates) once, then rank(context) -> RankedBatch (typed
// columns, items built on demand), against the one-shot rank(candidates,
// context).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRanker, RankerError, RankedBatch, HEADS } from '../../web/index.js';

const DIM = 4;
const T0 = 1_700_000_000_000;

function catalog(n = 30, prefix = 'v') {
  const topics = ['cooking', 'cats', 'football', 'café', '猫'];
  return Array.from({ length: n }, (_, i) => {
    const e = new Float32Array(DIM);
    e[i % 3] = 1;
    e[3] = 0.1 * (i % 5);
    return {
      id: `${prefix}${i}`,
      author: `creator_${i % 4}`,
      tags: [topics[i % 5], `t${i % 7}`],
      category: topics[i % 3],
      sound: `s${i % 2}`,
      caption: i % 6 === 0 ? 'überraschung 🎉' : 'clip',
      duration_ms: 5000 + 1000 * (i % 20),
      server_score: 0.3 + 0.02 * i,
      embedding: i % 4 === 3 ? undefined : e,
      ...(i % 9 === 0 ? { safety: { violence: 0.1 } } : {}),
    };
  });
}

const isCode = (code, field) => (e) => {
  assert.ok(e instanceof RankerError, `expected RankerError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  if (field) assert.match(e.message, field);
  return true;
};

async function learned(seed = 3) {
  const r = await createRanker({ embeddingDim: DIM, seed, persist: false });
  const items = catalog();
  let t = T0;
  for (let round = 0; round < 3; round++) {
    const { ranked } = r.rank(items, { nowMs: t, hourOfDay: 20 });
    for (const s of ranked.slice(0, 5)) {
      r.observe({ itemId: s.id, kind: 'impression', timestampMs: (t += 100) });
      const like = s.id.endsWith('3') || s.id.endsWith('6');
      r.observe({ itemId: s.id, kind: like ? 'like' : 'swipe_away', timestampMs: (t += 2000), dwellMs: 1900, velocity: 1 });
    }
  }
  return { r, t };
}

test('rank(context) on a registered batch = one-shot rank(candidates, context)', async () => {
  const { r, t } = await learned();
  const items = catalog();
  const ctx = { nowMs: t + 1000, hourOfDay: 21 };
  const one = r.rank(items, ctx);
  const set = r.setCandidates(items);
  assert.deepEqual(set, { accepted: items.length, rejected: [], warnings: [] });
  const b = r.rank(ctx);
  assert.ok(b instanceof RankedBatch);
  assert.equal(b.length, one.ranked.length);
  assert.ok(b.order instanceof Int32Array && b.values instanceof Float64Array && b.heads instanceof Float32Array);
  assert.equal(b.heads.length, b.length * HEADS.length);
  assert.deepEqual(b.ranked, one.ranked);
  assert.deepEqual(b.rejected, one.rejected);
  assert.deepEqual(b.dropped, one.dropped);
  for (let i = 0; i < b.length; i++) {
    assert.equal(b.id(i), one.ranked[i].id);
    assert.equal(b.order[i], one.ranked[i].index);
    assert.equal(b.values[i], one.ranked[i].value);
    assert.equal(b.seen(i), one.ranked[i].seen);
    assert.deepEqual(b.item(i), one.ranked[i]);
  }
  assert.equal(b.item(b.length), undefined);
  assert.ok(one.ranked.some((x) => x.contributions.length > 0), 'explanations are on by default');
  // Ranking again gives the same answer and leaves the earlier result intact.
  const before = Array.from(b.values);
  const again = r.rank(ctx);
  assert.deepEqual(Array.from(again.values), Array.from(b.values));
  r.rank({ nowMs: t + 9e6, hourOfDay: 3 });
  assert.deepEqual(Array.from(b.values), before);
  await r.close();
});

test('explain off: no contributions, every other column as with explain on', async () => {
  const items = catalog();
  const ctx = { nowMs: T0, hourOfDay: 9 };
  const on = await createRanker({ embeddingDim: DIM, seed: 5, persist: false });
  const off = await createRanker({ embeddingDim: DIM, seed: 5, persist: false, config: { explain: false } });
  on.setCandidates(items);
  off.setCandidates(items);
  const a = on.rank(ctx);
  const b = off.rank(ctx);
  assert.ok(a.ranked.some((x) => x.contributions.length > 0));
  assert.equal(b.length, a.length);
  assert.deepEqual(Array.from(b.order), Array.from(a.order));
  assert.deepEqual(Array.from(b.values), Array.from(a.values));
  assert.deepEqual(Array.from(b.heads), Array.from(a.heads));
  for (let i = 0; i < b.length; i++) {
    const x = b.item(i);
    assert.deepEqual(x.contributions, []);
    assert.deepEqual({ ...x, contributions: [] }, { ...a.item(i), contributions: [] });
  }
  // The explain-off buffer carries no contribution columns (9 bytes per item).
  assert.ok(off._rankRaw(0, ctx).buffer.byteLength < on._rankRaw(0, ctx).buffer.byteLength - 8 * b.length);
  await on.close();
  await off.close();
});

test('one-shot rank leaves the registered batch alone; observe works on it', async () => {
  const r = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  r.setCandidates(catalog(10, 'a'));
  const other = r.rank(catalog(5, 'b'), { nowMs: T0 });
  assert.ok(other.ranked.every((x) => x.id.startsWith('b')));
  const b = r.rank({ nowMs: T0 });
  assert.equal(b.length, 10);
  assert.ok(b.ranked.every((x) => x.id.startsWith('a')));
  r.observe({ itemId: b.id(0), kind: 'like', timestampMs: T0 + 1 });
  assert.throws(() => r.observe({ itemId: 'nope', kind: 'like' }), isCode('not_found'));
  await r.close();
});

test('setCandidates: per-candidate errors name the field; the rest are ranked', async () => {
  const r = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  const good = catalog(3);
  const batch = [
    good[0],
    { ...good[1], id: 'short', embedding: [1, 2] },
    null,
    { ...good[1], id: 'dup' },
    { ...good[1], id: 'dup' },
    { ...good[1], id: 'tagsbad', tags: 'cats' },
    { ...good[1], id: 'tagbad', tags: ['ok', 7] },
    { ...good[1], id: 'mat', maturity: 'spicy' },
    { ...good[1], id: 'dur', duration_ms: -1 },
    { ...good[1], id: 'nan', server_score: NaN },
    { ...good[1], id: 'score', server_score: 3 },
    { ...good[1], id: 'auth', author: 42 },
    { ...good[1], id: 'saf', safety: { violence: 'high' } },
    { ...good[1], id: 'inf', embedding: [1, 0, Infinity, 0] },
    { ...good[1], id: 7 },
    [1, 2],
    { ...good[1], id: '' },
    good[1],
  ];
  const set = r.setCandidates(batch);
  const byIndex = Object.fromEntries(set.rejected.map((x) => [x.index, x]));
  const expect = {
    1: /^candidates\[1\]\.embedding: expected 4 floats, got 2$/,
    2: /^candidates\[2\]: must be an object$/,
    4: /^candidates\[4\]\.id: duplicate id 'dup'$/,
    5: /^candidates\[5\]\.tags: must be an array of strings$/,
    6: /^candidates\[6\]\.tags\[1\]: must be a string$/,
    7: /^candidates\[7\]\.maturity: /,
    8: /^candidates\[8\]\.duration_ms: must be in \[0, /,
    9: /^candidates\[9\]\.server_score: must be a finite number$/,
    10: /^candidates\[10\]\.server_score: must be a number in \[0, 1\]$/,
    11: /^candidates\[11\]\.author: must be a string$/,
    12: /^candidates\[12\]\.safety\.violence: must be a number$/,
    13: /^candidates\[13\]\.embedding\[2\]: must be finite$/,
    14: /^candidates\[14\]\.id: must be a string$/,
    15: /^candidates\[15\]: must be an object$/,
    16: /^candidates\[16\]\.id: must not be empty$/,
  };
  assert.deepEqual(set.rejected.map((x) => x.index), Object.keys(expect).map(Number));
  for (const [i, re] of Object.entries(expect)) {
    assert.match(byIndex[i].message, re);
    assert.equal(byIndex[i].code, 'invalid_argument');
  }
  assert.equal(byIndex[1].id, 'short');
  assert.equal(byIndex[4].id, 'dup');
  assert.equal(byIndex[2].id, undefined);
  assert.equal(set.accepted, batch.length - set.rejected.length);
  const b = r.rank({ nowMs: T0 });
  assert.deepEqual(b.ranked.map((x) => x.index).sort((x, y) => x - y), [0, 3, 17]);
  assert.deepEqual(b.rejected, set.rejected);
  await r.close();
});

test('non-ASCII strings survive the packed batch (ids, tags, labels)', async () => {
  const r = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  const items = catalog(10).map((c, i) => ({ ...c, id: `vidéo-${i}-🎬`, tags: [i % 2 ? 'café' : '猫'] }));
  r.setCandidates(items);
  const b = r.rank({ nowMs: T0 });
  assert.deepEqual(b.ranked.map((x) => x.id).sort(), items.map((c) => c.id).sort());
  // Likes the 'café' items, swipes the '猫' ones away.
  let t = T0;
  for (let k = 0; k < 40; k++) {
    const c = items[k % items.length];
    r.observe({ itemId: c.id, kind: 'impression', timestampMs: (t += 100) });
    if (k % 2) {
      r.observe({ itemId: c.id, kind: 'complete', timestampMs: (t += 9000) });
      r.observe({ itemId: c.id, kind: 'like', timestampMs: (t += 100) });
    } else {
      r.observe({ itemId: c.id, kind: 'swipe_away', timestampMs: (t += 300), dwellMs: 300, velocity: 3 });
    }
  }
  const again = r.rank({ nowMs: t + 2 });
  const tags = again.ranked.flatMap((x) => x.contributions.filter((c) => c.kind === 'tag').map((c) => c.label));
  assert.ok(tags.length > 0, 'tag contributions after learning');
  assert.ok(tags.every((l) => l === '#café' || l === '#猫'), tags.join(', '));
  assert.equal(r.explain(b.id(0)).itemId, b.id(0));
  await r.close();
});

test('rank() without a registered batch, bad arguments, clear and close', async () => {
  const r = await createRanker({ embeddingDim: DIM, seed: 1, persist: false });
  assert.throws(() => r.rank(), isCode('failed_precondition', /setCandidates/));
  assert.throws(() => r.rank({ nowMs: T0 }), isCode('failed_precondition'));
  assert.throws(() => r.rank('x'), isCode('invalid_argument', /^candidates: /));
  assert.throws(() => r.setCandidates('x'), isCode('invalid_argument', /^candidates: /));
  assert.throws(() => r.setCandidates({ length: 1 }), isCode('invalid_argument', /^candidates: /));
  r.setCandidates(catalog(4));
  assert.throws(() => r.rank({ hourOfDay: 24 }), isCode('invalid_argument', /context\.hourOfDay/));
  assert.throws(() => r.rank({ surface: 'tv' }), isCode('invalid_argument', /context\.surface/));
  assert.equal(r.rank({ now_ms: T0, hour_of_day: 3, surface: 'search', session_depth: 2 }).length, 4);
  assert.deepEqual(r.setCandidates([]), { accepted: 0, rejected: [], warnings: [] });
  const empty = r.rank({ nowMs: T0 });
  assert.equal(empty.length, 0);
  assert.deepEqual(empty.ranked, []);
  r.clearCandidates();
  assert.throws(() => r.rank({ nowMs: T0 }), isCode('failed_precondition'));
  await r.close();
  assert.throws(() => r.setCandidates([]), isCode('closed'));
  assert.throws(() => r.rank({ nowMs: T0 }), isCode('closed'));
});

test('policy drops and rule ids come through the registered path', async () => {
  const r = await createRanker({
    embeddingDim: DIM, seed: 1, persist: false,
    policy: { rules: [{ id: 'no-cats', action: 'drop', match: { tags: ['cats'] } }, { id: 'boost-football', action: 'boost', multiplier: 2, match: { tags: ['football'] } }] },
  });
  const items = catalog(15);
  r.setCandidates(items);
  const b = r.rank({ nowMs: T0 });
  const one = r.rank(items, { nowMs: T0 });
  assert.ok(b.dropped.length > 0);
  assert.ok(b.dropped.every((d) => d.ruleId === 'no-cats' && items[d.index].tags.includes('cats') && d.id === items[d.index].id));
  const boosted = b.ranked.filter((x) => x.ruleId === 'boost-football');
  assert.ok(boosted.length > 0 && boosted.every((x) => x.action === 'boost' && x.policyMultiplier === 2));
  assert.deepEqual(b.ranked, one.ranked);
  assert.deepEqual(b.dropped, one.dropped);
  await r.close();
});

test('an item of the registered batch can be observed before any rank', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const cands = catalog(10, 'pre');
  r.setCandidates(cands);
  r.observe({ itemId: 'pre3', kind: 'impression', timestampMs: T0 });
  r.observe({ itemId: 'pre3', kind: 'swipe_away', timestampMs: T0 + 900, dwellMs: 900 });
  assert.equal(r.profileSummary().stats.views, 1);
  const feed = r.rank({ nowMs: T0 + 1000 });
  assert.equal(feed.length, 10);
  r.close?.();
});
