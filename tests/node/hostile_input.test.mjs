// Hostile and careless input through the public JS API (issue 20): every
// failure is a RankerError naming the field, nothing is lost, and the
// library leaves its host process alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRanker, RankerError, memoryStore } from '../../web/index.js';

const DIM = 4;

function cand(i, extra = {}) {
  const e = new Float32Array(DIM);
  e[i % DIM] = 1;
  return {
    id: `v${i}`, author: `a${i % 3}`, tags: [`t${i % 3}`], category: `t${i % 3}`,
    sound: 's', duration_ms: 15000, server_score: 0.4 + 0.01 * i, embedding: e, ...extra,
  };
}

// A user who finishes and likes topic t0 and swipes the rest away.
function learn(r, rounds = 80) {
  let t = Date.now() - rounds * 60_000;
  for (let k = 0; k < rounds; k++) {
    r.setCandidates([0, 1, 2, 3, 4, 5].map((i) => cand(i, { id: `r${k}-${i}` })));
    r.rank({ nowMs: t });
    const item = r.next({ nowMs: t });
    r.observe({ itemId: item.id, kind: 'impression', timestampMs: t });
    if (item.category === 't0') {
      r.observe({ itemId: item.id, kind: 'complete', timestampMs: t + 15000 });
      r.observe({ itemId: item.id, kind: 'like', timestampMs: t + 15000 });
    } else {
      r.observe({ itemId: item.id, kind: 'swipe_away', dwellMs: 800, velocity: 2, timestampMs: t + 800 });
    }
    t += 60_000;
  }
}

const ranker = (opts = {}) => createRanker({ persist: false, embeddingDim: DIM, ...opts });

function throwsInvalid(fn, field) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof RankerError, `${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, 'invalid_argument');
    assert.ok(e.message.startsWith(`${field}: `), e.message);
    return true;
  });
}

test('embeddings that are not arrays of numbers reject their candidate only, naming the field', async () => {
  const r = await ranker();
  const bad = [
    ['embedding[0]', [1n, 2n, 3n, 4n]],
    ['embedding[1]', [0, Symbol('x'), 0, 0]],
    ['embedding[2]', [0, 0, '1', 0]],
    ['embedding', new BigInt64Array(DIM)],
    ['embedding', '0123'],
    ['embedding', new DataView(new ArrayBuffer(16))],
    ['embedding', { length: DIM, 0: 1, 1: 2, 2: 3, 3: 4 }],
  ];
  const batch = [cand(0), ...bad.map(([, emb], k) => cand(k + 1, { embedding: emb })), cand(9, { embedding: new Float64Array(DIM) })];
  const res = r.setCandidates(batch);
  assert.equal(res.accepted, 2);
  assert.deepEqual(res.rejected.map((x) => x.index), bad.map((_, k) => k + 1));
  res.rejected.forEach((x, k) => assert.ok(x.message.startsWith(`candidates[${k + 1}].${bad[k][0]}: `), x.message));
  const ranked = r.rank(batch).ranked.map((x) => x.id).sort();
  assert.deepEqual(ranked, ['v0', 'v9']);
});

test('values JSON cannot write (BigInt, cycles, a throwing toJSON) are RankerErrors naming the argument', async () => {
  const r = await ranker();
  const cycle = {};
  cycle.self = cycle;
  const before = r.exportProfile();
  throwsInvalid(() => r.setPolicy({ rules: [{ id: 'x', action: 'drop', priority: 1n }] }), 'policy');
  throwsInvalid(() => r.setPolicy({ rules: [cycle] }), 'policy');
  throwsInvalid(() => r.setPolicy({ user: { blockedCreators: [1n] } }), 'policy.user');
  throwsInvalid(() => r.setPolicy({ user: { toJSON() { throw new Error('boom'); } } }), 'policy.user');
  throwsInvalid(() => r.setObjectiveWeights({ like: 2n }), 'weights');
  throwsInvalid(() => r.setObjectiveWeights(cycle), 'weights');
  throwsInvalid(() => r.loadModelPack(cycle), 'modelPack');
  throwsInvalid(() => r.loadModelPack({ heads: 1n }), 'modelPack');
  assert.equal(r.exportProfile(), before);
  await assert.rejects(() => ranker({ config: { seed: 1n } }), (e) => e instanceof RankerError && e.message.startsWith('options.config: '));
  await assert.rejects(() => ranker({ config: cycle }), (e) => e instanceof RankerError && e.code === 'invalid_argument');
});

test('one rule for strings: a lone surrogate is rejected naming the field; paired ones round-trip', async () => {
  const r = await ranker();
  const res = r.setCandidates([
    cand(0, { id: 'a\uD800' }), cand(1, { id: 'a\uDBFF' }), cand(2, { id: 'x\uD83D\uDE00' }),
    cand(3, { author: '\uDC00' }), cand(4, { tags: ['ok', 'b\uD800'] }), cand(5, { caption: 'c\uDFFF' }),
  ]);
  assert.equal(res.accepted, 1);
  const msgs = res.rejected.map((x) => x.message);
  assert.ok(msgs[0].startsWith('candidates[0].id: not well-formed'), msgs[0]);
  assert.ok(msgs[1].startsWith('candidates[1].id: not well-formed'), msgs[1]); // no "duplicate id"
  assert.ok(msgs[2].startsWith('candidates[3].author: '), msgs[2]);
  assert.ok(msgs[3].startsWith('candidates[4].tags[1]: '), msgs[3]);
  assert.ok(msgs[4].startsWith('candidates[5].caption: '), msgs[4]);
  assert.equal(r.rank().id(0), 'x\uD83D\uDE00');
  assert.equal(r.next().id, 'x\uD83D\uDE00');
  assert.equal(typeof r.observe({ itemId: 'x\uD83D\uDE00', kind: 'like' }), 'string');
  throwsInvalid(() => r.observe({ itemId: 'x\uD800', kind: 'like' }), 'event.itemId');
  throwsInvalid(() => r.observe({ eventId: 'e\uDC00', itemId: 'x\uD83D\uDE00', kind: 'like' }), 'event.eventId');
  throwsInvalid(() => r.explain('x\uD800'), 'id');
  throwsInvalid(() => r.forget('\uD800'), 'eventId');
  throwsInvalid(() => r.importProfile(r.exportProfile() + '\uD800'), 'profile');
  throwsInvalid(() => r.setPolicy({ user: { blockedKeywords: ['spoiler\uD800'] } }), 'policy.user');
  throwsInvalid(() => r.loadModelPack('{"heads":"\uD800"}'), 'modelPack');
});

test('a fresh ranker bounds its first event by the device clock (one far-future event cannot expire what it learns)', async () => {
  const r = await ranker();
  r.setCandidates([cand(0), cand(1), cand(2)]);
  throwsInvalid(() => r.observe({ itemId: 'v0', kind: 'complete', timestampMs: 1e15 }), 'event.timestampMs');
  assert.equal(r.profileSummary().stats.events, 0);
  r.observe({ itemId: 'v0', kind: 'like' });
  r.observe({ itemId: 'v0', kind: 'complete' });
  assert.equal(r.profileSummary().stats.events, 2);
});

test('the wasm glue installs no process-wide handlers, so the host keeps control of its process', async () => {
  const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
  const r = await ranker();
  r.rank([cand(0)]);
  assert.deepEqual([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')], before);
});

test('user controls with toJSON are saved as plain data; nothing throws from the save timer', async () => {
  const store = memoryStore();
  const events = [];
  const r = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 }, onStorageEvent: (e) => events.push(e) });
  const user = { blockedCreators: ['a1'], toJSON() { return { blockedCreators: this.blockedCreators, blockedTags: ['t2'] }; } };
  r.setPolicy({ user });
  await new Promise((resolve) => setTimeout(resolve, 20));
  await r.flush();
  const saved = await store.load();
  const record = saved[saved.head];
  assert.deepEqual(record.settings.user, { blockedCreators: ['a1'], blockedTags: ['t2'] });
  assert.ok(events.some((e) => e.type === 'saved'), JSON.stringify(events));
  assert.ok(!events.some((e) => e.type === 'error'), JSON.stringify(events));
  // A storage-event handler that throws is reported, not thrown from a timer.
  const errors = [];
  const orig = console.error;
  console.error = (e) => errors.push(e);
  try {
    const r2 = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 }, onStorageEvent: () => { throw new Error('app bug'); } });
    r2.setCandidates([cand(0)]);
    r2.observe({ itemId: 'v0', kind: 'like' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await r2.close();
  } finally {
    console.error = orig;
  }
  assert.ok(errors.some((e) => e?.message === 'app bug'));
  await r.close();
});

test('minor: profileSummary(2**31) lists every interest; a control named constructor is an unknown field', async () => {
  const r = await ranker();
  learn(r);
  const all = r.profileSummary(1000).topInterests;
  assert.ok(all.length > 0);
  assert.deepEqual(r.profileSummary(2 ** 31).topInterests, all);
  assert.deepEqual(r.profileSummary(Number.MAX_SAFE_INTEGER).topInterests, all);
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const user = JSON.parse(`{"${key}": 1}`);
    throwsInvalid(() => r.setPolicy({ user }), `policy.user.${key}`);
  }
});

test('a context getter that registers another batch mid-rank cannot mislabel the result', async () => {
  const r = await ranker();
  const A = [0, 1, 2, 3].map((i) => cand(i, { id: `a${i}` }));
  const B = [0, 1, 2, 3].map((i) => cand(i, { id: `b${i}`, server_score: 0.9 - 0.1 * i }));
  r.setCandidates(A);
  const sneaky = { get nowMs() { r.setCandidates(B); return Date.now(); } };
  const got = r.rank(sneaky);
  const ids = Array.from({ length: got.length }, (_, i) => got.id(i));
  assert.deepEqual(ids.map((id) => id[0]), ['b', 'b', 'b', 'b']);
  const again = r.rank({ nowMs: Date.now() });
  assert.deepEqual(Array.from({ length: again.length }, (_, i) => again.id(i)), ids);
  // One-shot: a getter that ranks another one-shot batch inside.
  const nested = { get nowMs() { r.rank(B); return Date.now(); } };
  assert.deepEqual(r.rank(A, nested).ranked.map((x) => x.id).sort(), ['a0', 'a1', 'a2', 'a3']);
});

test('profiles too deep or too large are refused before parsing; on restore the backup is used, never a throw', async () => {
  const a = await ranker();
  learn(a, 20);
  const good = a.exportProfile();
  const deep = good.replace(/}$/, `,"x":${'['.repeat(10000)}${']'.repeat(10000)}}`);
  assert.throws(() => a.importProfile(deep), (e) => e instanceof RankerError && e.code === 'data_loss' && /^profile: nested deeper/.test(e.message));
  const huge = `{"format":"reelrank-profile","pad":"${'x'.repeat(64 << 20)}"}`;
  assert.throws(() => a.importProfile(huge), (e) => e instanceof RankerError && e.code === 'invalid_argument' && /^profile: more than \d+ bytes/.test(e.message));
  assert.equal(a.exportProfile(), good);
  for (const bad of [deep, huge]) {
    const store = memoryStore();
    const rec = (generation, profile) => ({ format: 'reelrank-store', version: 1, generation, savedAt: 1, length: profile.length, profile, settings: {} });
    await store.write('b', rec(1, good));
    await store.write('a', rec(2, bad));
    const events = [];
    const r = await createRanker({ embeddingDim: DIM, persist: { store, debounceMs: 0 }, onStorageEvent: (e) => events.push(e) });
    assert.equal(r.storage.type, 'recovered', JSON.stringify(r.storage));
    assert.equal(r.storage.source, 'backup');
    assert.equal(r.exportProfile(), good);
    assert.ok(events.some((e) => e.type === 'recovered'));
    await r.close();
  }
});

test('strings over their byte limit never reach the string table; a batch past its budget skips the rest, never a RangeError', async () => {
  const r = await ranker();
  const big = 'x'.repeat(10 << 20);
  const batch = [cand(0), ...Array.from({ length: 60 }, (_, i) => cand(i + 1, { caption: big })), cand(61, { id: 'y'.repeat(1 << 20) }), cand(62, { tags: ['t', big] })];
  const res = r.setCandidates(batch);
  assert.equal(res.accepted, 1);
  assert.equal(res.rejected.length, 62);
  assert.ok(res.rejected[0].message.startsWith('candidates[1].caption: at least 10485760 bytes, limit 16384'), res.rejected[0].message);
  assert.ok(res.rejected[60].message.startsWith('candidates[61].id: '), res.rejected[60].message);
  assert.equal(res.rejected[60].id, undefined);
  assert.ok(res.rejected[61].message.startsWith('candidates[62].tags[1]: '), res.rejected[61].message);
  assert.equal(r.rank().id(0), 'v0');
  // 6,000 candidates of about 16 K units each: past the 64 Mi-unit budget
  // the rest are rejected, the first ones are ranked.
  const caption = 'c'.repeat(16000);
  const many = Array.from({ length: 6000 }, (_, i) => cand(i, { id: `m${i}`, caption, server_score: 0.5 }));
  const out = r.setCandidates(many);
  assert.ok(out.accepted > 3000 && out.accepted < 6000, String(out.accepted));
  assert.ok(out.rejected.every((x) => x.message.includes("the batch's strings exceed")), out.rejected[0]?.message);
  assert.equal(out.rejected[0].index, out.accepted);
});

test('fields reelrank does not read are reported once per name, with what was likely meant', async () => {
  const r = await ranker();
  const batch = [0, 1, 2].map((i) => {
    const { author, tags, ...rest } = cand(i);
    return { ...rest, creator: author, hashtags: tags, title: 'x' };
  });
  batch.push(cand(3, { durationMs: 1 }));
  const res = r.setCandidates(batch);
  assert.equal(res.accepted, 4);
  assert.deepEqual(res.warnings.map((w) => [w.field, w.count, w.index]), [['creator', 3, 0], ['hashtags', 3, 0], ['title', 3, 0], ['durationMs', 1, 3]]);
  assert.equal(res.warnings[0].message, "candidates[0].creator: unknown field, ignored in 3 candidates (did you mean 'author'?)");
  assert.match(res.warnings[1].message, /did you mean 'tags'/);
  assert.deepEqual(r.setCandidates([cand(0), cand(1)]).warnings, []);
  assert.deepEqual(r.rank([cand(0, { colour: 'red' })]).warnings.map((w) => w.field), ['colour']);
});

test('next() says where its item is in the registered batch (or -1 for an earlier batch)', async () => {
  const r = await ranker();
  const A = [0, 1, 2].map((i) => cand(i, { id: `a${i}`, server_score: 0.2 + 0.1 * i }));
  r.setCandidates(A);
  r.rank({ nowMs: Date.now() });
  const a = r.next();
  assert.equal(A[a.batchIndex].id, a.id);
  const B = [cand(0, { id: 'b0', server_score: 0.01 }), cand(1, { id: 'bad', duration_ms: -1 })];
  r.setCandidates(B);
  r.rank({ nowMs: Date.now() });
  r.observe({ itemId: a.id, kind: 'impression' });
  const next = r.next();
  assert.equal(next.batchIndex, next.id === 'b0' ? 0 : -1);
});
