// Node tests of policy input through the web/ package: all-or-nothing
// setPolicy({rules, user}), integer ranges, byte limits of candidates and
// events as the core reports them, Unicode keyword matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRanker, RankerError } from '../../web/index.js';

const DIM = 4;
const T0 = 1_700_000_000_000;

const item = (id, extra = {}) => ({ id, author: 'a', duration_ms: 15000, server_score: 0.5, ...extra });

const isCode = (code, field) => (e) => {
  assert.ok(e instanceof RankerError, `expected RankerError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  if (field) assert.match(e.message, field);
  return true;
};

const ids = (res) => res.ranked.map((x) => x.id).sort();

test('setPolicy({rules, user}) is all or nothing', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const items = [item('x', { tags: ['x'] }), item('y', { tags: ['y'] }), item('z', { author: 'carol' })];
  r.setPolicy({ rules: [{ id: 'no-x', action: 'drop', match: { tags: ['x'] } }] });
  assert.deepEqual(ids(r.rank(items, { nowMs: T0 })), ['y', 'z']);
  // Valid rules, invalid user (a maturity that wrapped as int32 to "mature").
  assert.throws(
    () => r.setPolicy({ rules: [{ id: 'no-y', action: 'drop', match: { tags: ['y'] } }], user: { maturity: 2 ** 32 + 2 } }),
    isCode('invalid_argument', /max_maturity/),
  );
  assert.deepEqual(ids(r.rank(items, { nowMs: T0 })), ['y', 'z'], 'the rules were not replaced');
  // Invalid rules (a priority that wrapped as int32), valid user.
  assert.throws(
    () => r.setPolicy({ rules: [{ id: 'b', action: 'boost', priority: 2 ** 31, match: { tags: ['y'] } }], user: { blockedCreators: ['carol'] } }),
    isCode('invalid_argument', /rules\[0\] \(id 'b'\)\.priority/),
  );
  assert.deepEqual(ids(r.rank(items, { nowMs: T0 })), ['y', 'z'], 'the controls were not replaced');
  r.setPolicy({ rules: [{ id: 'no-y', action: 'drop', match: { tags: ['y'] } }], user: { blockedCreators: ['carol'] } });
  assert.deepEqual(ids(r.rank(items, { nowMs: T0 })), ['x']);
  await r.close();
});

test('the core names the field and the limit of an oversized candidate or event', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  const res = r.rank([item('a'), item('b', { caption: 'x'.repeat(20 * 1024 * 1024) }), item('c')], { nowMs: T0 });
  assert.deepEqual(ids(res), ['a', 'c']);
  assert.equal(res.rejected.length, 1);
  assert.equal(res.rejected[0].index, 1);
  // Refused in JS before packing (more UTF-16 units than the limit has bytes)...
  assert.equal(res.rejected[0].message, 'candidates[1].caption: at least 20971520 bytes, limit 16384');
  // ... or by the core, which counts the UTF-8 bytes.
  const wide = r.rank([item('a'), item('b', { caption: '\u00e9'.repeat(10000) })], { nowMs: T0 });
  assert.equal(wide.rejected[0].message, 'candidates[1].caption: 20000 bytes, limit 16384');
  assert.throws(() => r.observe({ eventId: 'e'.repeat(1 << 20), itemId: 'a', kind: 'like', timestampMs: T0 }),
    isCode('invalid_argument', /^event\.eventId: 1048576 bytes, limit 256$/));
  // One far-future event is refused; nothing learned is lost.
  r.observe({ itemId: 'a', kind: 'impression', timestampMs: T0 });
  const before = r.exportProfile();
  assert.throws(() => r.observe({ itemId: 'a', kind: 'like', timestampMs: 1e15 }),
    isCode('invalid_argument', /^event\.timestampMs: /));
  assert.equal(r.exportProfile(), before);
  // A photo post (duration 0) is a candidate.
  assert.deepEqual(ids(r.rank([item('photo', { duration_ms: 0 })], { nowMs: T0 })), ['photo']);
  await r.close();
});

test('keywords and hashtags match Unicode text: punctuation, case folding, normalization', async () => {
  const r = await createRanker({ embeddingDim: DIM, persist: false });
  r.setPolicy({ user: { blockedKeywords: ['spoiler', 'straße'], blockedHashtags: ['#CAFÉ'] } });
  const items = [
    item('quotes', { caption: '“spoiler”' }),
    item('dash', { caption: 'no—spoiler…' }),
    item('nbsp', { caption: 'big\u00a0spoiler' }),
    item('cjk', { caption: '剧透spoiler。' }),
    item('emoji', { caption: 'spoiler🔥' }),
    item('spanish', { caption: '¿spoiler…?' }),
    item('wide', { caption: 'ＳＰＯＩＬＥＲ' }),
    item('ss', { caption: 'STRASSE' }),
    item('tag', { tags: ['cafe\u0301'] }),
    item('keep', { caption: 'spoilers are fine', tags: ['cafe'] }),
  ];
  const res = r.rank(items, { nowMs: T0 });
  assert.deepEqual(ids(res), ['keep']);
  const byId = Object.fromEntries(res.dropped.map((d) => [d.id, d.ruleId]));
  assert.equal(byId.quotes, 'user:blocked_keyword:spoiler');
  assert.equal(byId.ss, 'user:blocked_keyword:straße');
  assert.equal(byId.tag, 'user:blocked_tag:café');
  await r.close();
});
