#include "pipeline_ranker.h"

#include <algorithm>
#include <utility>

#include "reelrank/feature_table.h"

namespace reelrank {

void FeedStage::Configure(const PipelineConfig& config, uint64_t seed,
                          int max_known_items) {
  config_ = configured_ = config;
  seed_ = seed;
  max_known_ = std::max(max_known_items, 1);
  pipeline_.set_config(config);
  if (policy_json_.empty()) policy_json_ = DefaultPolicyJson();
}

void FeedStage::SetPersonal(bool personal) {
  config_ = configured_;
  if (!personal) {
    config_.fatigue.enabled = false;
    config_.explore.enabled = false;
    config_.diversity.enabled = false;
  }
  pipeline_.set_config(config_);
}

Status FeedStage::SetPolicy(const std::string& json) {
  Status s = pipeline_.policy_engine().SetPolicyJson(json);
  if (s.ok()) policy_json_ = json;
  return s;
}

void FeedStage::Begin(const std::vector<Candidate>& candidates,
                      const std::vector<uint8_t>& valid,
                      const std::vector<PreparedItem>* match,
                      const Context& context) {
  const size_t n = candidates.size();
  // Slots move only here, never while the pool itself is being ranked.
  if (&candidates != &pool_.owned) Compact();
  match_ = match;
  // The uncertainty (from the evidence) is only used by exploration, which
  // only runs for the feed order.
  need_evidence_ =
      config_.explore.enabled && (next_mode_ || config_.rank_feed_order);
  if (need_evidence_ && ++memo_gen_ == 0) {
    for (MemoSlot& m : memo_) m.gen = 0;
    memo_gen_ = 1;
  }
  memo_used_ = 0;
  decisions_.resize(n);
  dropped_.assign(n, 0);
  evidence_.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    if (i >= valid.size() || !valid[i]) {
      decisions_[i] = PolicyDecision{};
      continue;
    }
    const PolicyMatchInput* in =
        match && i < match->size() ? &(*match)[i].policy : nullptr;
    pipeline_.DecideInto(candidates[i], in, context.now_ms, &decisions_[i]);
    dropped_[i] = decisions_[i].dropped() ? 1 : 0;
  }
}

double FeedStage::Sightings(const Profile& profile, uint64_t key) {
  if (memo_used_ * 2 >= memo_.size()) {
    // Grow (and forget: the memo is only a cache).
    const size_t size = std::max<size_t>(256, memo_.size() * 2);
    memo_.assign(size, MemoSlot{});
    memo_gen_ = 1;
    memo_used_ = 0;
  }
  const size_t mask = memo_.size() - 1;
  size_t at = static_cast<size_t>(key ^ (key >> 29)) & mask;
  while (memo_[at].gen == memo_gen_) {
    if (memo_[at].key == key) return memo_[at].sightings;
    at = (at + 1) & mask;
  }
  const FeatureEntry* entry = profile.features.Find(key);
  MemoSlot& m = memo_[at];
  m.key = key;
  m.gen = memo_gen_;
  m.sightings = entry ? static_cast<double>(entry->sightings) : 0.0;
  ++memo_used_;
  return m.sightings;
}

void FeedStage::Evidence(size_t i, const Profile& profile,
                         const ItemSnapshot& snap) {
  if (i >= evidence_.size() || !need_evidence_) return;
  double e = 0.0;
  for (const ItemFeature& f : snap.features) {
    if (f.kind != FeatureKind::kTag && f.kind != FeatureKind::kAuthor &&
        f.kind != FeatureKind::kSound && f.kind != FeatureKind::kCategory) {
      continue;
    }
    e += Sightings(profile, f.key);
  }
  evidence_[i] = e;
}

int FeedStage::Find(const std::string& id) const {
  auto it = slot_of_.find(FeatureKey(id));
  if (it == slot_of_.end()) return -1;
  return pool_.owned[it->second].id == id ? it->second : -1;
}

void FeedStage::Evict(size_t slot) {
  Known& k = known_[slot];
  if (!k.live) return;
  slot_of_.erase(k.key);
  k = Known{};
  pool_.owned[slot] = Candidate{};
  pool_.items[slot] = PreparedItem{};
  pool_.valid[slot] = 0;
  --live_;
}

void FeedStage::Compact() {
  const size_t n = known_.size();
  if (n - live_ < std::max<size_t>(64, live_)) return;
  size_t to = 0;
  for (size_t from = 0; from < n; ++from) {
    if (!known_[from].live) continue;
    if (to != from) {
      known_[to] = std::move(known_[from]);
      pool_.owned[to] = std::move(pool_.owned[from]);
      pool_.items[to] = std::move(pool_.items[from]);
      slot_of_[known_[to].key] = static_cast<int>(to);
    }
    ++to;
  }
  known_.resize(to);
  pool_.owned.resize(to);
  pool_.items.resize(to);
  pool_.valid.assign(to, 0);
  oldest_ = 0;
}

int FeedStage::Remember(const std::vector<Candidate>& candidates, size_t i) {
  if (&candidates == &pool_.owned) {
    // Ranking the pool itself (Next): already remembered, unchanged.
    return i < known_.size() && known_[i].live ? static_cast<int>(i) : -1;
  }
  const Candidate& c = candidates[i];
  const PreparedItem* prep =
      match_ && i < match_->size() ? &(*match_)[i] : nullptr;
  const bool sourced = prep && prep->batch != 0;
  if (sourced && prep->batch == hint_batch_ && i < hint_slot_.size()) {
    // Where this batch's item went last time (checked: slots move).
    const int s = hint_slot_[i];
    if (s >= 0 && static_cast<size_t>(s) < known_.size() && known_[s].live &&
        known_[s].batch == prep->batch &&
        known_[s].batch_index == prep->batch_index) {
      return s;
    }
  }
  const int slot = RememberSlow(c, prep);
  if (sourced) {
    if (prep->batch != hint_batch_) {
      hint_batch_ = prep->batch;
      hint_slot_.assign(match_->size(), -1);
    }
    if (i < hint_slot_.size()) hint_slot_[i] = slot;
  }
  return slot;
}

int FeedStage::RememberSlow(const Candidate& c, const PreparedItem* prep) {
  const uint64_t key = prep ? prep->snap.item_key : FeatureKey(c.id);
  auto it = slot_of_.find(key);
  if (it != slot_of_.end()) {
    const size_t slot = static_cast<size_t>(it->second);
    Known& k = known_[slot];
    if (prep && prep->batch != 0 && k.batch == prep->batch &&
        k.batch_index == prep->batch_index) {
      return static_cast<int>(slot);  // the same candidate
    }
    pool_.owned[slot] = c;
    if (prep) {
      pool_.items[slot] = *prep;
      k.prepared = true;
      k.batch = prep->batch;
      k.batch_index = prep->batch_index;
    } else {
      k.prepared = false;
      k.batch = 0;
      k.batch_index = -1;
    }
    return static_cast<int>(slot);
  }
  const size_t slot = known_.size();
  known_.emplace_back();
  Known& k = known_.back();
  k.key = key;
  k.live = true;
  pool_.owned.push_back(c);
  if (prep) {
    pool_.items.push_back(*prep);
    k.prepared = true;
    k.batch = prep->batch;
    k.batch_index = prep->batch_index;
  } else {
    pool_.items.emplace_back();
  }
  pool_.valid.push_back(0);
  slot_of_[key] = static_cast<int>(slot);
  ++live_;
  while (static_cast<int>(live_) > max_known_) {
    while (oldest_ < known_.size() && !known_[oldest_].live) ++oldest_;
    Evict(oldest_);
  }
  return known_[slot].live ? static_cast<int>(slot) : -1;
}

const PreparedBatch::Data* FeedStage::NextPool(const Profile& profile,
                                               int embedding_dim) {
  Compact();
  pool_.candidates = &pool_.owned;
  pool_.embedding_dim = embedding_dim;
  pool_.rejected.clear();
  pool_.valid.assign(known_.size(), 0);
  bool any = false;
  for (size_t s = 0; s < known_.size(); ++s) {
    Known& k = known_[s];
    if (!k.live || k.shown_paused || profile.Seen(k.key)) continue;
    if (!k.prepared) {
      PrepareItem(pool_.owned[s], &pool_.items[s]);
      k.prepared = true;
    }
    pool_.valid[s] = 1;
    any = true;
  }
  return any ? &pool_ : nullptr;
}

namespace {
uint64_t Mix(uint64_t x) {
  SplitMix64 m(x);
  return m.Next();
}
}  // namespace

void FeedStage::Finish(const std::vector<Candidate>& candidates,
                       const Context& /*context*/, const Profile& profile,
                       bool next_mode, RankResult* result) {
  const size_t n = candidates.size();
  // Dropped candidates: listed with their reason, remembered for Explain.
  for (size_t i = 0; i < n && i < dropped_.size(); ++i) {
    if (!dropped_[i]) continue;
    const PolicyDecision& d = decisions_[i];
    result->dropped.push_back(
        {static_cast<int>(i), d.rule_id, d.source, d.reason});
    const int slot = Remember(candidates, i);
    if (slot >= 0) {
      Known& k = known_[slot];
      k.has_explain = true;
      // k.explain = ExplainInput{} with policy = d, reusing the policy's
      // storage.
      PolicyDecision policy = std::move(k.explain.policy);
      k.explain = ExplainInput{};
      k.explain.policy = std::move(policy);
      k.explain.policy = d;
      k.num_contributions = 0;
    }
  }
  // Stage items from the scored candidates.
  std::vector<ScoredCandidate> scored = std::move(result->ranked);
  std::vector<int> by_index(n, -1);
  std::vector<StageItem> items;
  items.reserve(scored.size());
  for (size_t j = 0; j < scored.size(); ++j) {
    const ScoredCandidate& s = scored[j];
    const size_t i = static_cast<size_t>(s.index);
    if (i >= n || dropped(i)) continue;  // defensive: never returned
    if (next_mode && s.seen) continue;
    by_index[i] = static_cast<int>(j);
    StageItem st;
    st.index = s.index;
    st.score = s.value;
    st.uncertainty =
        UncertaintyFromSightings(evidence_[i], config_.explore.prior_sigma);
    st.policy = std::move(decisions_[i]);  // Begin() refills them
    items.push_back(std::move(st));
  }
  // One generator per call, derived from the seed and the state, so the same
  // profile, feed history and input give the same order.
  SplitMix64 rng(Mix(
      seed_ ^ Mix(static_cast<uint64_t>(profile.events)) ^
      Mix(0x5eedULL + pipeline_.history().size()) ^
      Mix(0xfeedULL + static_cast<uint64_t>(pipeline_.since_last_explore()))));
  // The feed as positions into `items` (next_mode: the one item in `feed`).
  std::vector<int> at;
  std::vector<StageItem> feed;
  if (next_mode) {
    // One item: one exploration step and one diversity step.
    StageItem chosen;
    if (pipeline_.Next(candidates, items, static_cast<double>(profile.events),
                       rng, &chosen) >= 0) {
      feed.push_back(std::move(chosen));
      at.push_back(0);
    }
  } else if (config_.rank_feed_order) {
    at = pipeline_.OrderPositions(candidates, &items,
                                  static_cast<double>(profile.events), rng);
  } else {
    at = pipeline_.PreparePositions(&items);
  }
  std::vector<StageItem>& from = next_mode ? feed : items;
  result->ranked.clear();
  result->ranked.reserve(at.size());
  for (size_t p = 0; p < at.size(); ++p) {
    StageItem& st = from[at[p]];
    result->ranked.push_back(std::move(scored[by_index[st.index]]));
    ScoredCandidate& out = result->ranked.back();
    out.value = st.value;
    out.action = st.policy.action;
    out.rule_id = st.policy.rule_id;
    out.policy_multiplier = st.policy.multiplier;
    out.interstitial = st.policy.interstitial;
    out.explored = st.explored;
    out.pre_diversity_rank = st.diversity.from;
    const Candidate& c = candidates[st.index];
    const int slot = Remember(candidates, static_cast<size_t>(st.index));
    if (slot >= 0) {
      Known& k = known_[slot];
      k.has_explain = true;
      ExplainInput& e = k.explain;
      e.value = st.value;
      e.position = static_cast<int>(p);
      e.policy = std::move(st.policy);
      e.explored = st.explored;
      e.has_diversity = true;
      e.diversity = std::move(st.diversity);
      k.num_contributions =
          std::min(std::max(out.num_contributions, 0), kMaxContributions);
      k.contributions = out.contributions;
      ReasonViews(out.contributions.data(), k.num_contributions, c, profile,
                  &k.views);
    }
  }
}

void FeedStage::OnEvent(const Event& e, bool learn) {
  const int slot = Find(e.item_id);
  if (slot < 0) return;
  if (!learn) {  // paused: nothing is learned; the feed still moves on
    if (e.kind == EventKind::kImpression) known_[slot].shown_paused = true;
    return;
  }
  const Known& k = known_[slot];
  const Candidate& c = pool_.owned[slot];
  if (e.kind == EventKind::kImpression) {
    pipeline_.RecordShown(c, k.has_explain && k.explain.explored, e.event_id);
  } else if (e.kind == EventKind::kNotInterested ||
             e.kind == EventKind::kReport) {
    pipeline_.RecordNegative(c, e.timestamp_ms, e.event_id);
  } else if (e.kind == EventKind::kFollow) {
    pipeline_.RecordFollow(c, e.event_id);
  }
}

void FeedStage::Reset() {
  pipeline_.ResetFeed();
  for (Known& k : known_) k.shown_paused = false;
}

Result<Explanation> FeedStage::Explain(const std::string& id) const {
  const int slot = Find(id);
  if (slot < 0 || !known_[slot].has_explain) {
    return Status(StatusCode::kNotFound,
                  "explain: unknown item '" + id +
                      "' (never ranked, or no longer remembered)");
  }
  const Known& k = known_[slot];
  ExplainInput in = k.explain;
  in.item_id = id;
  in.reasons = ReasonsFrom(k.contributions.data(), k.num_contributions, k.views,
                           pool_.owned[slot]);
  return BuildExplanation(in);
}

void ReasonViews(const Contribution* contributions, int num, const Candidate& c,
                 const Profile& profile,
                 std::array<int, kMaxContributions>* views) {
  static const uint64_t kTagPrefix = Fnv1a64("tag:");
  static const uint64_t kAuthorPrefix = Fnv1a64("author:");
  static const uint64_t kCategoryPrefix = Fnv1a64("category:");
  auto count = [&](uint64_t key) {
    const FeatureEntry* e = profile.features.Find(key);
    return e ? static_cast<int>(e->count) : 0;
  };
  for (int k = 0; k < num && k < kMaxContributions; ++k) {
    const Contribution& ct = contributions[k];
    int v = 0;
    switch (ct.kind) {
      case ContributionKind::kTag:
        if (ct.index >= 0 && ct.index < static_cast<int>(c.tags.size())) {
          v = count(Fnv1a64(c.tags[ct.index], kTagPrefix));
        }
        break;
      case ContributionKind::kAuthor:
        v = count(Fnv1a64(c.author, kAuthorPrefix));
        break;
      case ContributionKind::kCategory:
        v = count(Fnv1a64(c.category, kCategoryPrefix));
        break;
      default:
        break;
    }
    (*views)[k] = v;
  }
}

std::vector<ScoreReason> ReasonsFor(const ScoredCandidate& s,
                                    const Candidate& c,
                                    const Profile& profile) {
  const int num = std::min(std::max(s.num_contributions, 0), kMaxContributions);
  std::array<int, kMaxContributions> views{};
  ReasonViews(s.contributions.data(), num, c, profile, &views);
  return ReasonsFrom(s.contributions.data(), num, views, c);
}

std::vector<ScoreReason> ReasonsFrom(
    const Contribution* contributions, int num,
    const std::array<int, kMaxContributions>& views, const Candidate& c) {
  std::vector<ScoreReason> out;
  for (int k = 0; k < num && k < kMaxContributions; ++k) {
    const Contribution& ct = contributions[k];
    ScoreReason r;
    r.contribution = ct.value;
    switch (ct.kind) {
      case ContributionKind::kPrior:
        r.kind = ReasonKind::kPopular;
        break;
      case ContributionKind::kTag:
        if (ct.index < 0 || ct.index >= static_cast<int>(c.tags.size())) {
          continue;
        }
        r.kind = ReasonKind::kTopic;
        r.key = c.tags[ct.index];
        r.views = views[k];
        break;
      case ContributionKind::kAuthor:
        r.kind = ReasonKind::kCreator;
        r.key = c.author;
        r.views = views[k];
        break;
      case ContributionKind::kSound:
        r.kind = ReasonKind::kSound;
        r.key = c.sound;
        break;
      case ContributionKind::kCategory:
        r.kind = ReasonKind::kCategory;
        r.key = c.category;
        r.views = views[k];
        break;
      case ContributionKind::kDuration:
        r.kind = ReasonKind::kDuration;
        break;
      case ContributionKind::kCross:
        r.kind = ReasonKind::kCategory;
        r.key = c.category;
        break;
      case ContributionKind::kInterestLong:
        r.kind = ReasonKind::kSimilar;
        break;
      case ContributionKind::kInterestSession:
        r.kind = ReasonKind::kSession;
        break;
      case ContributionKind::kNotInterested:
        r.kind = ReasonKind::kNotInterested;
        break;
      case ContributionKind::kSeen:
        r.kind = ReasonKind::kSeen;
        break;
      default:
        continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace reelrank
