#include "reelrank/ranker.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "learner.h"
#include "limits_check.h"
#include "lite_json.h"
#include "pipeline_ranker.h"
#include "prepared.h"
#include "reelrank/dense_kernel.h"
#include "reelrank/key_hash.h"
#include "reelrank/limits.h"
#include "reelrank/model_pack.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/profile.h"
#include "scorer.h"
#include "serial.h"
#include "time_range.h"
#include "utf8.h"

namespace reelrank {

namespace {
using json = nlohmann::json;
constexpr int kProfileVersion = 2;  // see ExportProfile
constexpr const char* kProfileFormat = "reelrank-profile";
}  // namespace

const char* ContributionKindName(ContributionKind kind) {
  switch (kind) {
    case ContributionKind::kBias:
      return "bias";
    case ContributionKind::kPrior:
      return "prior";
    case ContributionKind::kTag:
      return "tag";
    case ContributionKind::kAuthor:
      return "author";
    case ContributionKind::kSound:
      return "sound";
    case ContributionKind::kCategory:
      return "category";
    case ContributionKind::kDuration:
      return "duration";
    case ContributionKind::kCross:
      return "cross";
    case ContributionKind::kInterestLong:
      return "interest_long";
    case ContributionKind::kInterestSession:
      return "interest_session";
    case ContributionKind::kNotInterested:
      return "not_interested";
    case ContributionKind::kSeen:
      return "seen";
  }
  return "unknown";
}

struct LogEntry {
  Event event;
  uint64_t event_key = 0;
  std::shared_ptr<const ItemSnapshot> item;
};

struct Ranker::Impl {
  RankerConfig config;
  Status config_status;
  bool paused = false;
  // Personalization on; when off, ranking reads `no_profile` instead.
  bool personalized = true;
  const Profile no_profile{};
  ModelPack pack = DefaultModelPack();
  Profile profile;     // current learned state
  Profile checkpoint;  // state before log.front()
  std::deque<LogEntry> log;
  // Known-items pool (not learned state): id key -> latest snapshot, and
  // what it was last written from (prepared batch serial, position, hour;
  // batch 0 = nothing reusable): a batch is immutable, so the same source
  // means the same snapshot and Rank does not write it again.
  struct PoolEntry {
    std::shared_ptr<ItemSnapshot> snap;
    uint64_t batch = 0;
    int batch_index = -1;
    int hour = -1;
  };
  std::unordered_map<uint64_t, PoolEntry, KeyHash> pool;
  // Bumped whenever a pool entry is added or (re)assigned; evictions also
  // counted on their own.
  uint64_t pool_epoch = 0;
  uint64_t pool_evictions = 0;
  // The pool entries (their `snap` members) of the prepared batch ranked
  // last, by batch position (null: not looked up). Valid for that batch and
  // hour while pool_epoch == epoch: then every one is current and no lookup
  // is needed. Any eviction while it is built invalidates it (batch 0).
  struct PoolIndex {
    uint64_t batch = 0;
    int hour = -1;
    uint64_t epoch = 0;
    std::vector<const std::shared_ptr<ItemSnapshot>*> slot;
  } pool_index;
  std::deque<uint64_t> pool_order;  // insertion order, for FIFO eviction
  // Rank scratch: Rank(candidates) prepares into it.
  PreparedBatch::Data scratch_batch;
  ScoreCache score_cache;  // per-Rank memo of feature weights
  // RankPrepared scratch (reused): per scored item, its snapshot (held for
  // the call), candidate index, explicit negatives and the dense kernel's
  // inputs and outputs.
  struct RankScratch {
    std::vector<std::shared_ptr<ItemSnapshot>> snaps;
    std::vector<int> index;
    std::vector<double> author_negative, tag_negative;
    std::vector<double> prior_logit;  // PriorLogit(server_score)
    std::vector<const float*> rows;
    std::vector<float> prior, sparse, sparse_personal, value, p, cos_long,
        cos_session;
    ScoreWeights weights;
    // Pass 3: per item its final value and penalties, then the items in
    // value order (sorted as small keys; the results are built in order).
    struct Key {
      double value;
      int k;
    };
    std::vector<Key> order;
    std::vector<uint8_t> seen;
    std::vector<double> negative_penalty;
    // Per scored item: offset of its feature ids (ScoreCache::GetById) in
    // `feature_ids`, -1 when it has none (looked up by key instead).
    std::vector<int> ids_at;
    std::vector<uint32_t> feature_ids;
  } rank_scratch;
  // Pipeline stages (policy, fatigue, explore, diversity) and feed state.
  FeedStage feed;
  bool next_mode = false;  // Rank() called by Next()
  // The clamped now_ms of the latest Rank / Next (Observe's clock bound).
  bool has_rank_clock = false;
  int64_t rank_clock_ms = 0;

  void Apply(Profile* p, const LogEntry& le) const {
    ApplyEvent(p, pack, config, le.event, le.item);
  }
  // The pool's snapshot for `key` (added, evicting the oldest, when new),
  // to be written from (batch, batch_index, hour), or already written from
  // them (`*current` true; then it must not be written). A snapshot the log
  // or the open view shares is replaced, never rewritten. batch 0: always
  // to be written.
  // `*where` (optional): the entry's snap member, or null when the call
  // evicted entries.
  std::shared_ptr<ItemSnapshot> PoolSlot(
      uint64_t key, uint64_t batch, int batch_index, int hour, bool* current,
      const std::shared_ptr<ItemSnapshot>** where = nullptr);
  RankResult RankPrepared(const PreparedBatch::Data& d, const Context& context);
  // Profile export / import (see ExportProfile).
  std::string PayloadV2() const;
  Status ImportV1(const json& payload);
  Status ImportV2(std::string_view payload_text);
  Status CheckDim(int64_t dim) const;
  Status Commit(Profile cp, std::deque<LogEntry> new_log,
                const std::string& feed_state);
};

std::shared_ptr<ItemSnapshot> Ranker::Impl::PoolSlot(
    uint64_t key, uint64_t batch, int batch_index, int hour, bool* current,
    const std::shared_ptr<ItemSnapshot>** where) {
  auto it = pool.find(key);
  if (it != pool.end()) {
    PoolEntry& e = it->second;
    *current = batch != 0 && e.batch == batch && e.batch_index == batch_index &&
               e.hour == hour;
    if (where) *where = &e.snap;
    if (!*current) {
      ++pool_epoch;
      // Rewrite in place unless the log or the open view shares it.
      if (e.snap.use_count() != 1) e.snap = std::make_shared<ItemSnapshot>();
      e.batch = batch;
      e.batch_index = batch_index;
      e.hour = hour;
    }
    return e.snap;
  }
  *current = false;
  ++pool_epoch;
  auto snap = std::make_shared<ItemSnapshot>();
  auto added = pool.emplace(key, PoolEntry{snap, batch, batch_index, hour});
  if (where) *where = &added.first->second.snap;
  pool_order.push_back(key);
  while (static_cast<int>(pool.size()) > config.profile.max_known_items) {
    pool.erase(pool_order.front());
    pool_order.pop_front();
    ++pool_evictions;
    if (where) *where = nullptr;
  }
  return snap;
}

Ranker::Ranker(const RankerConfig& config) : impl_(new Impl) {
  impl_->config_status = ValidateConfig(config);
  impl_->config = impl_->config_status.ok() ? config : RankerConfig{};
  impl_->feed.Configure(impl_->config.pipeline, impl_->config.seed,
                        impl_->config.profile.max_known_items);
}
Ranker::~Ranker() = default;

Result<std::unique_ptr<Ranker>> Ranker::Create(const RankerConfig& config) {
  Status s = ValidateConfig(config);
  if (!s.ok()) return s;
  return std::unique_ptr<Ranker>(new Ranker(config));
}

const RankerConfig& Ranker::config() const { return impl_->config; }
const Status& Ranker::config_status() const { return impl_->config_status; }

PreparedBatch Ranker::Prepare(std::vector<Candidate> candidates) const {
  std::unique_ptr<PreparedBatch::Data> d(new PreparedBatch::Data);
  d->owned = std::move(candidates);
  d->candidates = &d->owned;
  PrepareData(impl_->config.embedding_dim, /*precompute=*/true, d.get());
  return PreparedBatch(std::move(d));
}

RankResult Ranker::Rank(const std::vector<Candidate>& candidates,
                        const Context& context) {
  // Prepare (into reused scratch, borrowing the candidates) + rank.
  PreparedBatch::Data& d = impl_->scratch_batch;
  d.candidates = &candidates;
  PrepareData(impl_->config.embedding_dim, /*precompute=*/false, &d);
  RankResult result = impl_->RankPrepared(d, context);
  d.candidates = &d.owned;
  return result;
}

RankResult Ranker::Rank(const PreparedBatch& batch, const Context& context) {
  const PreparedBatch::Data& b = *batch.data_;
  if (b.embedding_dim == impl_->config.embedding_dim) {
    return impl_->RankPrepared(b, context);
  }
  return Rank(*b.candidates, context);  // validated for another dimension
}

void Ranker::Register(const PreparedBatch& batch) {
  const PreparedBatch::Data& d = *batch.data_;
  if (d.embedding_dim != impl_->config.embedding_dim) return;
  for (size_t i = 0; i < d.items.size() && i < d.valid.size(); ++i) {
    if (!d.valid[i]) continue;
    const PreparedItem& item = d.items[i];
    if (impl_->pool.count(item.snap.item_key)) continue;
    // Hour -1: no Rank wrote it, so the first Rank of it writes it again.
    bool current = false;
    std::shared_ptr<ItemSnapshot> snap = impl_->PoolSlot(
        item.snap.item_key, item.batch, item.batch_index, -1, &current);
    *snap = item.snap;
  }
}

RankResult Ranker::Impl::RankPrepared(const PreparedBatch::Data& d,
                                      const Context& context) {
  Impl& m = *this;
  const RankerConfig& cfg = m.config;
  const std::vector<Candidate>& candidates = *d.candidates;
  const int64_t now_ms =
      std::clamp(context.now_ms, -kMaxAbsTimeMs, kMaxAbsTimeMs);
  m.has_rank_clock = true;
  m.rank_clock_ms = now_ms;
  RankResult result;
  const size_t n = candidates.size();
  result.ranked.reserve(n);
  result.rejected = d.rejected;
  const Profile& p = m.personalized ? m.profile : m.no_profile;
  const int dim = cfg.embedding_dim;
  const bool pre = !d.items.empty();
  m.feed.Begin(candidates, d.valid, pre ? &d.items : nullptr,
               context);  // policy stage
  m.score_cache.Reset(p, m.pack, cfg, now_ms);
  RankScratch& r = m.rank_scratch;
  r.snaps.clear();
  r.index.clear();
  r.author_negative.clear();
  r.tag_negative.clear();
  r.prior_logit.clear();
  r.rows.clear();
  r.prior.clear();
  r.sparse.clear();
  r.sparse_personal.clear();
  r.ids_at.clear();
  r.feature_ids.clear();
  if (pre) m.score_cache.BeginIds(d.feature_keys.size());
  // 1. Per item: snapshot, sparse logit sums, explicit negatives.
  const int hour = std::clamp(context.hour_of_day, 0, 23);
  Impl::PoolIndex& pi = m.pool_index;
  const uint64_t evictions_before = m.pool_evictions;
  const bool indexed = pre && d.serial != 0;
  const bool reuse = indexed && pi.batch == d.serial && pi.hour == hour &&
                     pi.epoch == m.pool_epoch && pi.slot.size() == n;
  if (indexed && !reuse) {
    pi.batch = d.serial;
    pi.hour = hour;
    pi.slot.assign(n, nullptr);
  }
  SparseSums ss;
  for (size_t i = 0; i < n; ++i) {
    if (!d.valid[i] || m.feed.dropped(i)) continue;
    const Candidate& c = candidates[i];
    std::shared_ptr<ItemSnapshot> snap;
    bool current = false;
    const uint32_t* ids = nullptr;
    if (pre) {
      const PreparedItem& item = d.items[i];
      // An eviction in this call may have removed an indexed entry.
      if (reuse && pi.slot[i] && m.pool_evictions == evictions_before) {
        snap = *pi.slot[i];  // current: written from this item and hour
      } else {
        const std::shared_ptr<ItemSnapshot>* where = nullptr;
        snap = m.PoolSlot(item.snap.item_key, item.batch, item.batch_index,
                          hour, &current, &where);
        if (!current) SnapshotAt(c, item, context.hour_of_day, snap.get());
        if (indexed) pi.slot[i] = where;
      }
      const size_t at = r.feature_ids.size();
      if (AppendFeatureIdsAt(d, item, hour, &r.feature_ids)) {
        r.ids_at.push_back(static_cast<int>(at));
        ids = &r.feature_ids[at];
      } else {
        r.ids_at.push_back(-1);
      }
    } else {
      snap = m.PoolSlot(FeatureKey(c.id), 0, -1, hour, &current);
      BuildItemSnapshot(c, context.hour_of_day, snap.get());
      r.ids_at.push_back(-1);
    }
    SumSparse(*snap, &m.score_cache, &ss, ids);
    m.feed.Evidence(i, p, *snap);
    r.index.push_back(static_cast<int>(i));
    r.author_negative.push_back(ss.author_negative);
    r.tag_negative.push_back(ss.tag_negative);
    r.prior_logit.push_back(PriorLogit(snap->server_score));
    r.prior.push_back(static_cast<float>(r.prior_logit.back()));
    for (int h = 0; h < kNumHeads; ++h) {
      r.sparse.push_back(static_cast<float>(ss.global[h]));
      r.sparse_personal.push_back(static_cast<float>(ss.personal[h]));
    }
    r.snaps.push_back(std::move(snap));
  }
  if (indexed) {
    pi.epoch = m.pool_epoch;
    if (m.pool_evictions != evictions_before) pi.batch = 0;
  }
  // The snapshots are held in r.snaps: their embeddings stay put.
  const size_t count = r.snaps.size();
  for (const auto& snap : r.snaps) {
    r.rows.push_back(static_cast<int>(snap->embedding.size()) == dim
                         ? snap->embedding.data()
                         : nullptr);
  }
  // 2. The dense part of every item at once.
  r.value.resize(count);
  r.p.resize(count * kNumHeads);
  r.cos_long.resize(count);
  r.cos_session.resize(count);
  MakeScoreWeights(p, m.pack, cfg, now_ms, nullptr, &r.weights);
  DenseBatchOutput dense_out;
  dense_out.value = r.value.data();
  dense_out.p = r.p.data();
  dense_out.cos_long = r.cos_long.data();
  dense_out.cos_session = r.cos_session.data();
  ScoreBatch(static_cast<int>(count), dim, r.rows.data(), r.prior.data(),
             r.sparse.data(), r.sparse_personal.data(), r.weights, dense_out);
  // Not personalized: the server's order (the policy multiplier applies in
  // Finish).
  if (!m.personalized) {
    for (size_t k = 0; k < count; ++k) r.value[k] = r.snaps[k]->server_score;
  }
  // 3. Per item: value and penalties; then, in value order (stable: ties
  // keep candidate order), the result with its explanation.
  r.order.resize(count);
  r.seen.resize(count);
  r.negative_penalty.resize(count);
  for (size_t k = 0; k < count; ++k) {
    const bool seen = p.Seen(r.snaps[k]->item_key);
    const double seen_pen = seen ? cfg.seen_penalty : 0.0;
    const double neg_pen =
        cfg.negative_penalty *
        (r.author_negative[k] + cfg.tag_negative_share * r.tag_negative[k]);
    r.seen[k] = seen ? 1 : 0;
    r.negative_penalty[k] = neg_pen;
    r.order[k] = {r.value[k] - (seen_pen + neg_pen), static_cast<int>(k)};
  }
  std::stable_sort(r.order.begin(), r.order.end(),
                   [](const RankScratch::Key& a, const RankScratch::Key& b) {
                     return a.value > b.value;
                   });
  result.ranked.reserve(count);  // built in place, each while in cache
  for (size_t j = 0; j < count; ++j) {
    const size_t k = static_cast<size_t>(r.order[j].k);
    const ItemSnapshot& snap = *r.snaps[k];
    const float* ph = &r.p[k * kNumHeads];
    ScoredCandidate& out = result.ranked.emplace_back();
    out.index = r.index[k];
    for (int h = 0; h < kNumHeads; ++h) out.heads[h] = ph[h];
    out.seen = r.seen[k] != 0;
    const double seen_pen = out.seen ? cfg.seen_penalty : 0.0;
    const double neg_pen = r.negative_penalty[k];
    out.value = r.order[j].value;
    if (cfg.explain && !m.personalized) {
      out.contributions[0] = Contribution{
          ContributionKind::kPrior, 0, static_cast<float>(snap.server_score)};
      out.num_contributions = 1;
    } else if (cfg.explain) {
      // First-order attribution of every term (scorer.h).
      const int nf = std::min<int>(static_cast<int>(snap.features.size()),
                                   kMaxItemFeatures);
      const FeatureWeights* fw[kMaxItemFeatures];
      for (int f = 0; f < nf; ++f) {
        // Present since pass 1: Get() only looks it up.
        const uint64_t key = snap.features[f].key;
        fw[f] = r.ids_at[k] >= 0 ? &m.score_cache.GetById(
                                       r.feature_ids[r.ids_at[k] + f], key)
                                 : &m.score_cache.Get(key);
      }
      Attribution attr;
      Attribute(snap, ph, r.prior_logit[k], r.cos_long[k], r.cos_session[k],
                r.weights, cfg, fw, &attr);
      Contribution* best = out.contributions.data();
      int num = 0;
      auto offer = [&](ContributionKind kind, int index, double v) {
        if (v == 0.0 || !std::isfinite(v)) return;
        const float fv = static_cast<float>(v);
        int pos = num;
        if (num < kMaxContributions) {
          ++num;
        } else if (std::fabs(fv) <=
                   std::fabs(best[kMaxContributions - 1].value)) {
          return;
        } else {
          pos = kMaxContributions - 1;
        }
        while (pos > 0 && std::fabs(best[pos - 1].value) < std::fabs(fv)) {
          best[pos] = best[pos - 1];
          --pos;
        }
        best[pos] = Contribution{kind, index, fv};
      };
      offer(ContributionKind::kPrior, 0, attr.prior);
      offer(ContributionKind::kInterestLong, 0, attr.interest_long);
      offer(ContributionKind::kInterestSession, 0, attr.interest_session);
      for (int f = 0; f < nf; ++f) {
        const ItemFeature& it = snap.features[f];
        ContributionKind kind = ContributionKind::kCross;
        int index = 0;
        switch (it.kind) {
          case FeatureKind::kTag:
            kind = ContributionKind::kTag;
            index = it.index;
            break;
          case FeatureKind::kAuthor:
            kind = ContributionKind::kAuthor;
            break;
          case FeatureKind::kSound:
            kind = ContributionKind::kSound;
            break;
          case FeatureKind::kCategory:
            kind = ContributionKind::kCategory;
            break;
          case FeatureKind::kDuration:
            kind = ContributionKind::kDuration;
            break;
          case FeatureKind::kCatDur:
            index = 0;
            break;
          case FeatureKind::kCatHour:
            index = 1;
            break;
        }
        offer(kind, index, attr.feature[f]);
      }
      offer(ContributionKind::kNotInterested, 0, -neg_pen);
      offer(ContributionKind::kSeen, 0, -seen_pen);
      out.num_contributions = num;
    }
  }
  r.snaps.clear();  // release: PoolSlot rewrites unshared snapshots in place
  // Explore + diversify (and the policy multiplier) -> the feed order.
  m.feed.Finish(candidates, context, p, m.next_mode, &result);
  return result;
}

Status Ranker::Observe(const Event& e) {
  Impl& m = *impl_;
  const int kind = static_cast<int>(e.kind);
  if (kind < 0 || kind >= kNumEventKinds) {
    return Status::Invalid("event.kind",
                           "unknown event kind " + std::to_string(kind));
  }
  if (e.event_id.empty())
    return Status::Invalid("event.event_id", "must not be empty");
  if (e.item_id.empty())
    return Status::Invalid("event.item_id", "must not be empty");
  Status limit = CheckBytes(e.event_id, Limits::kIdBytes, "event.event_id");
  if (limit.ok())
    limit = CheckBytes(e.item_id, Limits::kIdBytes, "event.item_id");
  if (!limit.ok()) return limit;
  if (!IsValidUtf8(e.event_id))
    return Status::Invalid("event.event_id", "must be valid UTF-8");
  if (!IsValidUtf8(e.item_id))
    return Status::Invalid("event.item_id", "must be valid UTF-8");
  if (e.dwell_ms < 0) {
    return Status::Invalid("event.dwell_ms",
                           "must be >= 0, got " + std::to_string(e.dwell_ms));
  }
  if (!std::isfinite(e.velocity) || e.velocity < 0.0f) {
    return Status::Invalid("event.velocity", "must be a finite number >= 0");
  }
  if (!TimeInRange(e.timestamp_ms)) {
    return Status::Invalid(
        "event.timestamp_ms",
        "must be within +-1e15 ms, got " + std::to_string(e.timestamp_ms));
  }
  const uint64_t event_key = FeatureKey(e.event_id);
  for (const LogEntry& le : m.log) {
    if (le.event_key == event_key && le.event.event_id == e.event_id) {
      return Status::Invalid("event.event_id", "duplicate '" + e.event_id +
                                                   "' (already observed)");
    }
  }
  const uint64_t item_key = FeatureKey(e.item_id);
  std::shared_ptr<const ItemSnapshot> snap;
  auto it = m.pool.find(item_key);
  if (it != m.pool.end()) {
    snap = it->second.snap;
  } else if (m.profile.has_view && m.profile.view.item_key == item_key) {
    snap = m.profile.view_item;
  }
  if (!snap) {
    return Status(StatusCode::kNotFound,
                  "event.item_id: unknown item '" + e.item_id +
                      "' (never ranked, or evicted from the known-items pool)");
  }
  {
    // The clock may move at most Limits::kEventLeadMs past the later of the
    // latest accepted event and the latest Rank / Next.
    std::optional<int64_t> clock;
    if (m.profile.events > 0) clock = m.profile.last_event_ms;
    if (m.has_rank_clock)
      clock = std::max(clock.value_or(m.rank_clock_ms), m.rank_clock_ms);
    if (clock) {
      if (e.timestamp_ms > *clock + Limits::kEventLeadMs) {
        return Status::Invalid(
            "event.timestamp_ms",
            std::to_string(e.timestamp_ms) + " is " +
                std::to_string((e.timestamp_ms - *clock) / 1000) +
                " s ahead of the ranker's clock " + std::to_string(*clock) +
                " (the latest event, or a Rank / Next / SetClock now_ms); at "
                "most " +
                std::to_string(Limits::kEventLeadMs / 1000) +
                " s ahead is accepted");
      }
    }
  }
  const bool learn = !m.paused && m.personalized;
  m.feed.OnEvent(e, learn);  // feed history, feedback fatigue
  if (!learn) return Status::Ok();
  LogEntry le{e, event_key, std::move(snap)};
  m.Apply(&m.profile, le);
  m.log.push_back(std::move(le));
  while (static_cast<int>(m.log.size()) > m.config.profile.max_event_log) {
    m.Apply(&m.checkpoint, m.log.front());
    m.log.pop_front();
  }
  return Status::Ok();
}

// Profile format. Version 2 (written): the payload's floats and bulk
// integers are base64 of little-endian binary and every logged item is
// stored once ("items"; log events refer to it by index). Version 1 (decimal
// floats, one item copy per event) is still read. Both: the checksum is
// FNV-1a-64 of the payload's canonical compact JSON (nlohmann dump), which is
// exactly how the writer lays it out, so the common case hashes the raw
// payload bytes without re-serializing.
std::string Ranker::Impl::PayloadV2() const {
  std::string out;
  out.reserve(64 * 1024);
  out.append("{\"checkpoint\":");
  serial::ProfileToV2(checkpoint, &out);
  out.append(",\"embedding_dim\":");
  out.append(std::to_string(config.embedding_dim));
  // The feed state is nlohmann's compact dump already (canonical).
  out.append(",\"feed\":");
  out.append(feed.pipeline().StateToJson());
  // Items, each stored once: by pointer, then by equal content.
  std::unordered_map<const ItemSnapshot*, size_t> index_of;
  std::unordered_map<uint64_t, std::vector<size_t>, KeyHash> by_key;
  std::vector<const ItemSnapshot*> items;
  std::vector<size_t> entry_item;
  entry_item.reserve(log.size());
  auto same = [](const ItemSnapshot& a, const ItemSnapshot& b) {
    if (a.item_key != b.item_key || a.duration_ms != b.duration_ms ||
        a.hour != b.hour || a.names != b.names ||
        a.features.size() != b.features.size() ||
        a.embedding.size() != b.embedding.size() ||
        std::memcmp(&a.server_score, &b.server_score, sizeof(double)) != 0) {
      return false;
    }
    for (size_t i = 0; i < a.features.size(); ++i) {
      const ItemFeature &f = a.features[i], &g = b.features[i];
      if (f.kind != g.kind || f.index != g.index ||
          f.name_begin != g.name_begin || f.name_len != g.name_len) {
        return false;
      }
    }
    return a.embedding.empty() ||
           std::memcmp(a.embedding.data(), b.embedding.data(),
                       a.embedding.size() * sizeof(float)) == 0;
  };
  for (const LogEntry& le : log) {
    const ItemSnapshot* snap = le.item.get();
    auto it = index_of.find(snap);
    if (it == index_of.end()) {
      size_t idx = items.size();
      for (size_t k : by_key[snap->item_key]) {
        if (same(*items[k], *snap)) {
          idx = k;
          break;
        }
      }
      if (idx == items.size()) {
        items.push_back(snap);
        by_key[snap->item_key].push_back(idx);
      }
      it = index_of.emplace(snap, idx).first;
    }
    entry_item.push_back(it->second);
  }
  out.append(",\"items\":[");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    serial::SnapshotToV2(*items[i], &out);
  }
  out.append("],\"log\":[");
  size_t i = 0;
  for (const LogEntry& le : log) {
    if (i) out.push_back(',');
    serial::EventToV2(le.event, entry_item[i++], &out);
  }
  // The user's objective weights (nlohmann writes them, so the bytes are
  // the canonical form the checksum is taken over).
  json weights = json::object();
  for (int h = 0; h < kNumHeads; ++h) {
    const Head head = static_cast<Head>(h);
    if (Ranker::IsUserAdjustable(head)) {
      weights[HeadName(head)] = config.objective_weights[h];
    }
  }
  out.append("],\"objective_weights\":");
  out.append(weights.dump());
  out.append("}");
  return out;
}

std::string Ranker::ExportProfile() const {
  const std::string payload = impl_->PayloadV2();
  std::string out;
  out.reserve(payload.size() + 96);
  out.append("{\"checksum\":\"");
  out.append(serial::Hex64(Fnv1a64(payload)));
  out.append("\",\"format\":\"");
  out.append(kProfileFormat);
  out.append("\",\"payload\":");
  out.append(payload);
  out.append(",\"version\":");
  out.append(std::to_string(kProfileVersion));
  out.push_back('}');
  return out;
}

namespace {

// The payload text of a profile in the exact layout ExportProfile writes
// (version 2), or an empty view. `sum` receives the checksum field.
std::string_view CanonicalV2Payload(const std::string& text,
                                    std::string_view* sum) {
  static const char kHead[] = "{\"checksum\":\"";
  static const char kMid[] = "\",\"format\":\"reelrank-profile\",\"payload\":";
  static const char kTail[] = ",\"version\":2}";
  const size_t head = sizeof(kHead) - 1, mid = sizeof(kMid) - 1,
               tail = sizeof(kTail) - 1;
  const std::string_view t(text);
  if (t.size() < head + 16 + mid + tail + 2 || t.substr(0, head) != kHead ||
      t.substr(head + 16, mid) != kMid || t.substr(t.size() - tail) != kTail) {
    return {};
  }
  *sum = t.substr(head, 16);
  const size_t begin = head + 16 + mid;
  return t.substr(begin, t.size() - tail - begin);
}

}  // namespace

void Ranker::SetClock(int64_t now_ms) {
  impl_->has_rank_clock = true;
  impl_->rank_clock_ms = std::clamp(now_ms, -kMaxAbsTimeMs, kMaxAbsTimeMs);
}

size_t Ranker::profile_bytes_limit() const {
  const RankerConfig& c = impl_->config;
  const size_t dim = static_cast<size_t>(c.embedding_dim);
  const auto n = [](int v) { return static_cast<size_t>(std::max(v, 0)); };
  return Limits::kProfileBaseBytes +
         n(c.profile.max_features) * Limits::kProfileBytesPerFeature +
         n(c.profile.max_seen_items) * Limits::kProfileBytesPerSeenItem +
         n(c.profile.max_event_log) *
             (Limits::kProfileBytesPerLogEntry + 16 * dim) +
         (n(c.pipeline.history_size) + n(c.pipeline.fatigue.max_entries)) *
             (Limits::kProfileBytesPerFeedEntry + 16 * dim);
}

Status Ranker::ImportProfile(const std::string& text) {
  const size_t limit = profile_bytes_limit();
  if (text.size() > limit) {
    return Status::Invalid(
        "profile",
        std::to_string(text.size()) + " bytes, limit " + std::to_string(limit));
  }
  if (!lite::DepthWithin(text, Limits::kProfileDepth)) {
    return Status(StatusCode::kDataLoss,
                  "profile: nested deeper than " +
                      std::to_string(Limits::kProfileDepth) + " levels");
  }
  std::string_view sum;
  const std::string_view raw = CanonicalV2Payload(text, &sum);
  if (!raw.empty()) {
    // Fast path: checksum the payload bytes as they are and read them with
    // the light parser (no nlohmann DOM, no re-serialization).
    if (serial::Hex64(Fnv1a64(raw)) == sum) return impl_->ImportV2(raw);
    // Not the canonical bytes of this checksum: compare the canonical form.
    json payload = json::parse(raw.begin(), raw.end(), nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) {
      return Status(StatusCode::kDataLoss,
                    "profile: malformed or truncated JSON");
    }
    const std::string ptext =
        payload.dump(-1, ' ', false, json::error_handler_t::replace);
    if (serial::Hex64(Fnv1a64(ptext)) != sum) {
      return Status(StatusCode::kDataLoss,
                    "profile.checksum: mismatch (corrupt profile)");
    }
    return impl_->ImportV2(ptext);
  }
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    return Status(StatusCode::kDataLoss,
                  "profile: malformed or truncated JSON");
  }
  auto fmt = root.find("format");
  if (fmt == root.end() || !fmt->is_string() ||
      fmt->get<std::string>() != kProfileFormat) {
    return Status(StatusCode::kDataLoss,
                  "profile.format: expected \"reelrank-profile\"");
  }
  auto ver = root.find("version");
  if (ver == root.end() || !ver->is_number_integer()) {
    return Status(StatusCode::kDataLoss,
                  "profile.version: expected an integer");
  }
  const int64_t version = ver->get<int64_t>();
  if (version != 1 && version != kProfileVersion) {
    return Status(StatusCode::kUnimplemented,
                  "profile.version: unsupported version " + ver->dump() +
                      " (this build reads 1 and 2)");
  }
  auto sum_it = root.find("checksum");
  auto payload = root.find("payload");
  if (sum_it == root.end() || !sum_it->is_string() || payload == root.end() ||
      !payload->is_object()) {
    return Status(StatusCode::kDataLoss,
                  "profile: missing checksum or payload");
  }
  const std::string ptext =
      payload->dump(-1, ' ', false, json::error_handler_t::replace);
  if (serial::Hex64(Fnv1a64(ptext)) != sum_it->get<std::string>()) {
    return Status(StatusCode::kDataLoss,
                  "profile.checksum: mismatch (corrupt profile)");
  }
  if (version == 1) return impl_->ImportV1(*payload);
  return impl_->ImportV2(ptext);
}

namespace {

// The event of a log entry is consistent with its item and in range.
bool ConsistentEntry(const Event& e, const ItemSnapshot& item) {
  return !e.event_id.empty() && item.item_key == FeatureKey(e.item_id) &&
         e.dwell_ms >= 0 && e.velocity >= 0 && TimeInRange(e.timestamp_ms);
}

}  // namespace

Status Ranker::Impl::CheckDim(int64_t dim) const {
  if (dim != config.embedding_dim) {
    return Status::Invalid("profile.payload.embedding_dim",
                           "profile has " + std::to_string(dim) +
                               ", ranker has " +
                               std::to_string(config.embedding_dim));
  }
  return Status::Ok();
}

// Replaces the learned state with a validated one (the log replayed onto
// the checkpoint) and the feed state. Pipeline::StateFromJson changes nothing
// unless the whole state is valid, so it is applied first, once: on error
// nothing has changed.
Status Ranker::Impl::Commit(Profile cp, std::deque<LogEntry> new_log,
                            const std::string& feed_state) {
  if (!feed_state.empty()) {
    Status fs = feed.pipeline().StateFromJson(feed_state);
    if (!fs.ok()) {
      return Status(StatusCode::kDataLoss, "profile.payload." + fs.message());
    }
  }
  while (static_cast<int>(new_log.size()) > config.profile.max_event_log) {
    Apply(&cp, new_log.front());
    new_log.pop_front();
  }
  Profile current = cp;
  for (const LogEntry& le : new_log) Apply(&current, le);
  checkpoint = std::move(cp);
  profile = std::move(current);
  log = std::move(new_log);
  return Status::Ok();
}

// Version 2 payload text (checksum verified); all or nothing.
namespace {

// Reads {head: weight} (user-adjustable heads, each in [0, 5]) over
// `*weights`; errors name `path`.<head>. Nothing changes on error.
Status ParseObjectiveWeights(const std::string& text, const std::string& path,
                             std::array<double, kNumHeads>* weights) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid(path, "expected a JSON object");
  }
  std::array<double, kNumHeads> w = *weights;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string field = path + "." + it.key();
    Result<Head> h = ParseHead(it.key(), field);
    if (!h.ok()) return h.status();
    if (!Ranker::IsUserAdjustable(h.value()))
      return Status::Invalid(field, "not user-adjustable");
    if (!it->is_number()) return Status::Invalid(field, "expected a number");
    const double v = it->get<double>();
    if (!(v >= 0.0 && v <= 5.0))
      return Status::Invalid(field, "must be in [0, 5]");
    w[static_cast<int>(h.value())] = v;
  }
  *weights = w;
  return Status::Ok();
}

}  // namespace

Status Ranker::Impl::ImportV2(std::string_view text) {
  lite::Doc doc;
  if (!doc.Parse(text) || doc.node(0).type != lite::Type::kObject) {
    return Status(StatusCode::kDataLoss,
                  "profile: malformed or truncated JSON");
  }
  serial::Reader r("profile.payload");
  serial::V2Reader v(doc, &r);
  const uint32_t root = 0;
  std::string feed_state;  // pipeline state, applied last (all or nothing)
  if (const uint32_t f = doc.Find(root, "feed"); f != lite::Doc::kNone) {
    feed_state = std::string(doc.node(f).text);
  }
  const int64_t dim = v.Int(root, "embedding_dim", "");
  if (!r.ok()) return r.status();
  Status ds = CheckDim(dim);
  if (!ds.ok()) return ds;
  const int d = config.embedding_dim;
  Profile cp;
  const uint32_t cj = v.Field(root, "checkpoint", "");
  if (cj != lite::Doc::kNone)
    serial::ProfileFromV2(&v, cj, ".checkpoint", d, &cp);
  std::vector<std::shared_ptr<const ItemSnapshot>> items;
  const uint32_t ij = v.Arr(root, "items", "");
  if (ij != lite::Doc::kNone) {
    items.reserve(doc.node(ij).size);
    uint32_t c = ij + 1;
    for (uint32_t i = 0; i < doc.node(ij).size && r.ok();
         ++i, c = doc.Next(c)) {
      auto item = std::make_shared<ItemSnapshot>();
      serial::SnapshotFromV2(&v, c, ".items[" + std::to_string(i) + "]", d,
                             item.get());
      items.push_back(std::move(item));
    }
  }
  std::deque<LogEntry> new_log;
  const uint32_t lj = v.Arr(root, "log", "");
  if (lj != lite::Doc::kNone) {
    uint32_t c = lj + 1;
    for (uint32_t i = 0; i < doc.node(lj).size && r.ok();
         ++i, c = doc.Next(c)) {
      const std::string path = ".log[" + std::to_string(i) + "]";
      LogEntry le;
      int64_t index = -1;
      serial::EventFromV2(&v, c, path, &le.event, &index);
      if (!r.ok()) break;
      if (index < 0 || index >= static_cast<int64_t>(items.size())) {
        r.Fail(path + ".item", "no such item");
        break;
      }
      le.item = items[static_cast<size_t>(index)];
      if (!ConsistentEntry(le.event, *le.item)) {
        r.Fail(path, "inconsistent event");
        break;
      }
      le.event_key = FeatureKey(le.event.event_id);
      new_log.push_back(std::move(le));
    }
  }
  if (!r.ok()) return r.status();
  // Optional (profiles saved before they carried them keep the current ones).
  std::array<double, kNumHeads> weights = config.objective_weights;
  if (const uint32_t w = doc.Find(root, "objective_weights");
      w != lite::Doc::kNone) {
    Status ws =
        ParseObjectiveWeights(std::string(doc.node(w).text),
                              "profile.payload.objective_weights", &weights);
    if (!ws.ok()) return ws;
  }
  Status cs = Commit(std::move(cp), std::move(new_log), feed_state);
  if (cs.ok()) config.objective_weights = weights;
  return cs;
}

// Version 1 payload (checksum verified); all or nothing.
Status Ranker::Impl::ImportV1(const json& payload) {
  std::string feed_state;  // pipeline state, applied last (all or nothing)
  if (auto f = payload.find("feed"); f != payload.end()) {
    feed_state = f->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  serial::Reader r("profile.payload");
  const int64_t dim = r.Int(payload, "embedding_dim", "");
  if (!r.ok()) return r.status();
  Status ds = CheckDim(dim);
  if (!ds.ok()) return ds;
  const int d = config.embedding_dim;
  Profile cp;
  if (const json* cj = r.Field(payload, "checkpoint", "")) {
    serial::ProfileFromJsonValue(*cj, ".checkpoint", d, &r, &cp);
  }
  std::deque<LogEntry> new_log;
  if (const json* lj = r.Arr(payload, "log", "")) {
    for (size_t i = 0; i < lj->size() && r.ok(); ++i) {
      const std::string path = ".log[" + std::to_string(i) + "]";
      LogEntry le;
      auto item = std::make_shared<ItemSnapshot>();
      if (const json* ej = r.Field((*lj)[i], "event", path)) {
        serial::EventFromJson(*ej, path + ".event", &r, &le.event);
      }
      if (const json* ij = r.Field((*lj)[i], "item", path)) {
        serial::SnapshotFromJson(*ij, path + ".item", d, &r, item.get());
      }
      if (!r.ok()) break;
      if (!ConsistentEntry(le.event, *item)) {
        r.Fail(path, "inconsistent event");
        break;
      }
      le.event_key = FeatureKey(le.event.event_id);
      le.item = std::move(item);
      new_log.push_back(std::move(le));
    }
  }
  if (!r.ok()) return r.status();
  return Commit(std::move(cp), std::move(new_log), feed_state);
}

void Ranker::Reset() {
  impl_->profile = Profile{};
  impl_->checkpoint = Profile{};
  impl_->log.clear();
  impl_->feed.Reset();
}

void Ranker::RefreshFeed() {
  auto follows = impl_->feed.pipeline().follows();
  Reset();
  impl_->feed.pipeline().SetFollows(std::move(follows));
}

Status Ranker::Forget(const std::string& event_id) {
  Impl& m = *impl_;
  Status limit = CheckBytes(event_id, Limits::kIdBytes, "forget.event_id");
  if (!limit.ok()) return limit;
  const uint64_t key = FeatureKey(event_id);
  auto it = std::find_if(m.log.begin(), m.log.end(), [&](const LogEntry& le) {
    return le.event_key == key && le.event.event_id == event_id;
  });
  if (it == m.log.end()) {
    if (m.checkpoint.events > 0) {
      return Status(
          StatusCode::kFailedPrecondition,
          "forget: event '" + event_id +
              "' is not in the recent-event log (the last " +
              std::to_string(m.log.size()) +
              " events); it is older than the log or was never observed");
    }
    return Status(StatusCode::kNotFound,
                  "forget: no observed event '" + event_id + "'");
  }
  m.log.erase(it);
  Profile rebuilt = m.checkpoint;
  for (const LogEntry& le : m.log) m.Apply(&rebuilt, le);
  m.profile = std::move(rebuilt);
  m.feed.Forget(event_id);
  return Status::Ok();
}

void Ranker::PauseLearning(bool paused) { impl_->paused = paused; }

void Ranker::SetPersonalization(bool on) {
  impl_->personalized = on;
  impl_->feed.SetPersonal(on);
}
bool Ranker::personalization() const { return impl_->personalized; }
bool Ranker::learning_paused() const { return impl_->paused; }

bool Ranker::IsUserAdjustable(Head head) {
  return head != Head::kContinue && head != Head::kNegative;
}

Status Ranker::SetObjectiveWeight(Head head, double weight) {
  const int h = static_cast<int>(head);
  if (h < 0 || h >= kNumHeads)
    return Status::Invalid("objective_weights", "unknown head");
  const std::string field = std::string("objective_weights.") + HeadName(head);
  if (!IsUserAdjustable(head))
    return Status::Invalid(field, "not user-adjustable");
  if (!(weight >= 0.0 && weight <= 5.0))
    return Status::Invalid(field, "must be in [0, 5]");
  impl_->config.objective_weights[h] = weight;
  return Status::Ok();
}

Status Ranker::SetObjectiveWeights(const std::string& text) {
  std::array<double, kNumHeads> w = impl_->config.objective_weights;
  Status s = ParseObjectiveWeights(text, "objective_weights", &w);
  if (s.ok()) impl_->config.objective_weights = w;
  return s;
}

Status Ranker::LoadModelPack(const std::string& text) {
  Result<ModelPack> p = ParseModelPack(text);
  if (!p.ok()) return p.status();
  impl_->pack = std::move(p).value();
  return Status::Ok();
}

std::string Ranker::ModelPackJson() const {
  return ModelPackToJson(impl_->pack);
}

std::vector<Interest> Ranker::TopInterests(int k) const {
  std::vector<Interest> out;
  if (k <= 0) return out;
  const Profile& p = impl_->profile;
  for (const auto& kv : p.features.Sorted()) {
    const FeatureEntry& e = *kv.second;
    const FeatureKind kind = e.name.compare(0, 7, "author:") == 0
                                 ? FeatureKind::kAuthor
                                 : FeatureKind::kTag;
    const double w =
        EntryValueEffect(p, e, kind, impl_->config, p.last_event_ms);
    if (w == 0.0) continue;
    out.push_back({e.name, w, e.sightings});
  }
  std::sort(out.begin(), out.end(), [](const Interest& a, const Interest& b) {
    if (std::fabs(a.weight) != std::fabs(b.weight))
      return std::fabs(a.weight) > std::fabs(b.weight);
    return a.name < b.name;
  });
  if (static_cast<int>(out.size()) > k) out.resize(k);
  return out;
}

ProfileStats Ranker::Stats() const {
  ProfileStats s;
  const Profile& p = impl_->profile;
  s.features = static_cast<int>(p.features.size());
  s.seen_items = static_cast<int>(p.seen_order.size());
  s.event_log = static_cast<int>(impl_->log.size());
  s.known_items = static_cast<int>(impl_->pool.size());
  s.events = p.events;
  s.views = p.views;
  s.personal_weight = Gates(p, impl_->config.learner);
  return s;
}

Status Ranker::SetPolicy(const std::string& json_text) {
  return impl_->feed.SetPolicy(json_text);
}

std::string Ranker::PolicyJson() const { return impl_->feed.policy_json(); }

Status Ranker::SetUserControls(const std::string& json_text) {
  return impl_->feed.pipeline().policy_engine().SetUserControlsJson(json_text);
}

Status Ranker::SetPolicyAndControls(const std::string& policy_json,
                                    const std::string& controls_json) {
  // The controls are parsed first; SetPolicy applies the policy only when it
  // is valid; then applying the parsed controls cannot fail.
  Result<UserControls> controls = ParseUserControls(controls_json);
  if (!controls.ok()) return controls.status();
  Status s = impl_->feed.SetPolicy(policy_json);
  if (!s.ok()) return s;
  impl_->feed.pipeline().policy_engine().SetUserControls(controls.value());
  return Status::Ok();
}

std::string Ranker::UserControlsJson() const {
  return UserControlsToJson(
      impl_->feed.pipeline().policy_engine().user_controls());
}

NextItem Ranker::Next(const Context& context) {
  Impl& m = *impl_;
  NextItem out;
  // The known, not yet shown candidates, kept prepared (validated when they
  // were first ranked): no copy, no validation per call.
  // Also when not personalized: the feed does not repeat what was shown.
  const PreparedBatch::Data* pool =
      m.feed.NextPool(m.profile, m.config.embedding_dim);
  if (!pool) return out;
  m.next_mode = true;
  m.feed.set_next_mode(true);
  RankResult r = m.RankPrepared(*pool, context);
  m.feed.set_next_mode(false);
  m.next_mode = false;
  if (r.ranked.empty()) return out;
  out.found = true;
  out.scored = std::move(r.ranked[0]);
  const size_t won = static_cast<size_t>(out.scored.index);
  out.id = (*pool->candidates)[won].id;
  // Ranking the pool may have written so many items into the known-items
  // pool that the winner, written early in the pass, was evicted again: an
  // item Next returns must stay observable, so it is written back last.
  if (pool->items.size() > won) {
    const PreparedItem& item = pool->items[won];
    if (m.pool.count(item.snap.item_key) == 0) {
      bool current = false;
      std::shared_ptr<ItemSnapshot> snap =
          m.PoolSlot(item.snap.item_key, item.batch, item.batch_index,
                     std::clamp(context.hour_of_day, 0, 23), &current);
      SnapshotAt((*pool->candidates)[won], item, context.hour_of_day,
                 snap.get());
    }
  }
  out.scored.index = -1;
  return out;
}

Result<Explanation> Ranker::Explain(const std::string& id) const {
  Status limit = CheckBytes(id, Limits::kIdBytes, "explain.id");
  if (!limit.ok()) return limit;
  return impl_->feed.Explain(id);
}

}  // namespace reelrank
