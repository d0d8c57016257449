// Compile-only type test of web/index.d.ts (tsc --noEmit, run by tests/run.sh).
// Lines marked @ts-expect-error must fail to type-check.
import {
  createRanker, createRankerWorker, memoryStore, RankerError, HEADS, EVENT_KINDS,
  RankedBatch,
  type Candidate, type RankResult, type StorageEvent, type Ranker, type WorkerRanker, type ProfileSummary,
  type CandidateBatch, type RankedItem,
} from 'reelrank';

async function main(): Promise<void> {
  const events: StorageEvent[] = [];
  const ranker: Ranker = await createRanker({
    embeddingDim: 32,
    seed: 1,
    config: { profile: { max_features: 1024 } },
    persist: { dbName: 'app', key: 'user-1', debounceMs: 250 },
    baseUrl: new URL('./dist/', 'https://example.com/'),
    onStorageEvent: (e) => {
      events.push(e);
      if (e.type === 'recovered') console.log(e.reason, e.source);
      if (e.type === 'error') console.log(e.op, e.message);
    },
  });
  const candidates: Candidate[] = [
    { id: 'v1', duration_ms: 15000, tags: ['cooking'], embedding: new Float32Array(32), server_score: 0.7 },
    { id: 'v2', duration_ms: 9000, maturity: 'teen', safety: { violence: 0.1 } },
  ];
  const result: RankResult = ranker.rank(candidates, { nowMs: Date.now(), surface: 'for_you' });
  const top = result.ranked[0];
  const like: number = top.heads.like;
  const label: string = top.contributions[0].label;
  // Registered batch: set once, rank(context) after every swipe.
  const set: CandidateBatch = ranker.setCandidates(candidates);
  console.log(set.accepted, set.rejected[0]?.message);
  const batch: RankedBatch = ranker.rank({ nowMs: Date.now() });
  const firstId: string = batch.id(0);
  const order: Int32Array = batch.order;
  const values: Float64Array = batch.values;
  const heads: Float32Array = batch.heads;
  const item: RankedItem | undefined = batch.item(0);
  const all: RankedItem[] = batch.ranked;
  console.log(firstId, order[0], values[0], heads[0], item?.heads.like, all.length, batch.length, batch.seen(0), batch.dropped, batch instanceof RankedBatch);
  const again: RankedBatch = ranker.rank();
  console.log(again.rejected.length);
  ranker.clearCandidates();
  const eventId: string = ranker.observe({ itemId: top.id, kind: 'swipe_away', dwellMs: 400, velocity: 2.5 });
  ranker.forget(eventId);
  ranker.setObjectiveWeights({ like: 2, share: 0 });
  ranker.setPolicy({ user: { blockedCreators: ['x'], maturity: 'teen', notInterestedTopics: ['cats', { topic: 'dogs', atMs: 1 }] } });
  ranker.setPolicy({ rules: [{ id: 'v', action: 'drop', match: { labels: ['violence'] } }] });
  ranker.pauseLearning(true);
  ranker.setPersonalization(false);
  ranker.refreshFeed();
  const personalized: boolean = ranker.personalization && ranker.profileSummary().personalization;
  void personalized;
  const summary: ProfileSummary = ranker.profileSummary(5);
  const n: number = summary.stats.events + summary.topInterests.length + like + label.length;
  const saved: string = ranker.exportProfile();
  ranker.importProfile(saved);
  const next = ranker.next();
  if (next !== null) console.log(next.id, next.heads.finish, next.action, next.interstitial);
  for (const d of result.dropped) console.log(d.ruleId, d.source === 'user', d.reason);
  const why = ranker.explain(top.id);
  console.log(why.summary, why.reasons[0]?.text, why.policy.action, top.explored, top.preDiversityRank);
  await ranker.flush();
  await ranker.close();

  const w: WorkerRanker = await createRankerWorker({ embeddingDim: 32, persist: false });
  const wr: RankResult = await w.rank(candidates);
  const wset: CandidateBatch = await w.setCandidates(candidates);
  const wb: RankedBatch = await w.rank({ nowMs: 1 });
  console.log(wset.accepted, wb.id(0));
  await w.clearCandidates();
  const id: string = await w.observe({ itemId: wr.ranked[0].id, kind: 'like' });
  await w.close();

  const mem = await createRanker({ persist: { store: memoryStore() } });
  await mem.close();

  try {
    ranker.rank(candidates);
  } catch (e) {
    if (e instanceof RankerError && e.code === 'closed') console.log(e.message, n, id);
  }
  console.log(HEADS[0], EVENT_KINDS.length, events.length);

  // @ts-expect-error: unknown event kind
  ranker.observe({ itemId: 'v1', kind: 'wink' });
  // @ts-expect-error: candidates need an id and a duration
  ranker.rank([{ tags: [] }]);
  // @ts-expect-error: negative is not user-adjustable
  ranker.setObjectiveWeights({ negative: 1 });
  // @ts-expect-error: RankedBatch has no such member
  batch.bogus;
  // @ts-expect-error: the registered-batch result is not assignable to a one-shot call's argument
  ranker.rank(batch);
  // @ts-expect-error: worker methods are async
  const sync: RankResult = w.rank(candidates);
  // @ts-expect-error: persist must be a boolean or options
  await createRanker({ persist: 'yes' });
  console.log(sync);
}

void main();
