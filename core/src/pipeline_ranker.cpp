#include "pipeline_ranker.h"

#include <algorithm>
#include <utility>

#include "reelrank/feature_table.h"

namespace reelrank {

void FeedStage::Configure(const PipelineConfig& config, uint64_t seed,
                          int max_known_items) {
  config_ = config;
  seed_ = seed;
  max_known_ = std::max(max_known_items, 1);
  pipeline_.set_config(config);
  if (policy_json_.empty()) policy_json_ = DefaultPolicyJson();
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
  decisions_.assign(n, PolicyDecision{});
  dropped_.assign(n, 0);
  evidence_.assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    if (i >= valid.size() || !valid[i]) continue;
    const PolicyMatchInput* in =
        match && i < match->size() ? &(*match)[i].policy : nullptr;
    decisions_[i] = pipeline_.Decide(candidates[i], in, context.now_ms);
    dropped_[i] = decisions_[i].dropped() ? 1 : 0;
  }
}

void FeedStage::Evidence(size_t i, const Profile& profile,
                         const ItemSnapshot& snap) {
  if (i >= evidence_.size()) return;
  double e = 0.0;
  for (const ItemFeature& f : snap.features) {
    if (f.kind != FeatureKind::kTag && f.kind != FeatureKind::kAuthor &&
        f.kind != FeatureKind::kSound && f.kind != FeatureKind::kCategory) {
      continue;
    }
    if (const FeatureEntry* entry = profile.features.Find(f.key)) {
      e += entry->sightings;
    }
  }
  evidence_[i] = e;
}

FeedStage::Known* FeedStage::Remember(const Candidate& c) {
  auto it = known_.find(c.id);
  if (it != known_.end()) {
    it->second.candidate = c;
    return &it->second;
  }
  Known& k = known_[c.id];
  k.candidate = c;
  known_order_.push_back(c.id);
  while (static_cast<int>(known_order_.size()) > max_known_) {
    known_.erase(known_order_.front());
    known_order_.pop_front();
  }
  auto again = known_.find(c.id);
  return again == known_.end() ? nullptr : &again->second;
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
    if (Known* k = Remember(candidates[i])) {
      k->has_explain = true;
      k->explain = ExplainInput{};
      k->explain.item_id = candidates[i].id;
      k->explain.policy = d;
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
    st.policy = decisions_[i];
    items.push_back(std::move(st));
  }
  // One generator per call, derived from the seed and the state, so the same
  // profile, feed history and input give the same order.
  SplitMix64 rng(Mix(
      seed_ ^ Mix(static_cast<uint64_t>(profile.events)) ^
      Mix(0x5eedULL + pipeline_.history().size()) ^
      Mix(0xfeedULL + static_cast<uint64_t>(pipeline_.since_last_explore()))));
  std::vector<StageItem> feed;
  if (next_mode) {
    // One item: one exploration step and one diversity step.
    StageItem chosen;
    if (pipeline_.Next(candidates, items, static_cast<double>(profile.events),
                       rng, &chosen) >= 0) {
      feed.push_back(std::move(chosen));
    }
  } else if (config_.rank_feed_order) {
    feed = pipeline_.Order(candidates, std::move(items),
                           static_cast<double>(profile.events), rng);
  } else {
    feed = pipeline_.Prepare(std::move(items));
  }
  result->ranked.clear();
  result->ranked.reserve(feed.size());
  for (size_t p = 0; p < feed.size(); ++p) {
    const StageItem& st = feed[p];
    ScoredCandidate out = scored[by_index[st.index]];
    out.value = st.value;
    out.action = st.policy.action;
    out.rule_id = st.policy.rule_id;
    out.policy_multiplier = st.policy.multiplier;
    out.interstitial = st.policy.interstitial;
    out.explored = st.explored;
    out.pre_diversity_rank = st.diversity.from;
    const Candidate& c = candidates[st.index];
    if (Known* k = Remember(c)) {
      k->has_explain = true;
      ExplainInput& e = k->explain;
      e = ExplainInput{};
      e.item_id = c.id;
      e.value = st.value;
      e.position = static_cast<int>(p);
      e.policy = st.policy;
      e.reasons = ReasonsFor(out, c, profile);
      e.explored = st.explored;
      e.has_diversity = true;
      e.diversity = st.diversity;
    }
    result->ranked.push_back(std::move(out));
  }
}

std::vector<Candidate> FeedStage::Unseen(const Profile& profile) const {
  std::vector<Candidate> out;
  out.reserve(known_order_.size());
  for (const std::string& id : known_order_) {
    auto it = known_.find(id);
    if (it == known_.end()) continue;
    if (profile.Seen(FeatureKey(id))) continue;
    out.push_back(it->second.candidate);
  }
  return out;
}

void FeedStage::OnEvent(const Event& e, bool learn) {
  if (!learn) return;  // paused: nothing changes
  auto it = known_.find(e.item_id);
  if (it == known_.end()) return;
  const Known& k = it->second;
  if (e.kind == EventKind::kImpression) {
    pipeline_.RecordShown(k.candidate, k.has_explain && k.explain.explored,
                          e.event_id);
  } else if (learn && (e.kind == EventKind::kNotInterested ||
                       e.kind == EventKind::kReport)) {
    pipeline_.RecordNegative(k.candidate, e.timestamp_ms, e.event_id);
  }
}

Result<Explanation> FeedStage::Explain(const std::string& id) const {
  auto it = known_.find(id);
  if (it == known_.end() || !it->second.has_explain) {
    return Status(StatusCode::kNotFound,
                  "explain: unknown item '" + id +
                      "' (never ranked, or no longer remembered)");
  }
  return BuildExplanation(it->second.explain);
}

std::vector<ScoreReason> ReasonsFor(const ScoredCandidate& s,
                                    const Candidate& c,
                                    const Profile& profile) {
  std::vector<ScoreReason> out;
  auto views = [&](const std::string& name) {
    const FeatureEntry* e = profile.features.Find(FeatureKey(name));
    return e ? static_cast<int>(e->count) : 0;
  };
  for (int k = 0; k < s.num_contributions && k < kMaxContributions; ++k) {
    const Contribution& ct = s.contributions[k];
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
        r.views = views("tag:" + r.key);
        break;
      case ContributionKind::kAuthor:
        r.kind = ReasonKind::kCreator;
        r.key = c.author;
        r.views = views("author:" + c.author);
        break;
      case ContributionKind::kSound:
        r.kind = ReasonKind::kSound;
        r.key = c.sound;
        break;
      case ContributionKind::kCategory:
        r.kind = ReasonKind::kCategory;
        r.key = c.category;
        r.views = views("category:" + c.category);
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
