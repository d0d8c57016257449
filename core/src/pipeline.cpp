#include "reelrank/pipeline.h"

#include <algorithm>
#include <cmath>

namespace reelrank {

Status ValidatePipelineConfig(const PipelineConfig& c,
                              const std::string& path) {
  const FatigueConfig& f = c.fatigue;
  if (f.filter_ms < 0) {
    return Status::Invalid(path + ".fatigue.filter_ms", "must be >= 0");
  }
  if (f.discount_ms < 0) {
    return Status::Invalid(path + ".fatigue.discount_ms", "must be >= 0");
  }
  if (!(f.start_multiplier > 0.0 && f.start_multiplier <= 1.0)) {
    return Status::Invalid(path + ".fatigue.start_multiplier",
                           "must be in (0, 1]");
  }
  if (f.max_entries < 0 || f.max_entries > 1000000) {
    return Status::Invalid(path + ".fatigue.max_entries",
                           "must be in [0, 1000000]");
  }
  const ExploreConfig& e = c.explore;
  if (e.slot_every < 2 || e.slot_every > 1000) {
    return Status::Invalid(path + ".explore.slot_every",
                           "must be in [2, 1000]");
  }
  if (!(e.min_rate >= 0.0 && e.min_rate <= 1.0)) {
    return Status::Invalid(path + ".explore.min_rate", "must be in [0, 1]");
  }
  if (!(e.max_rate >= e.min_rate && e.max_rate <= 1.0)) {
    return Status::Invalid(path + ".explore.max_rate",
                           "must be in [min_rate, 1]");
  }
  if (!(e.half_fill_events >= 0.0) || !std::isfinite(e.half_fill_events)) {
    return Status::Invalid(path + ".explore.half_fill_events", "must be >= 0");
  }
  if (!(e.ucb_c >= 0.0) || !std::isfinite(e.ucb_c)) {
    return Status::Invalid(path + ".explore.ucb_c", "must be >= 0");
  }
  const DiversityConfig& d = c.diversity;
  if (d.author_window < 0 || d.author_window > 1000) {
    return Status::Invalid(path + ".diversity.author_window",
                           "must be in [0, 1000]");
  }
  if (d.sound_window < 0 || d.sound_window > 1000) {
    return Status::Invalid(path + ".diversity.sound_window",
                           "must be in [0, 1000]");
  }
  if (d.topic_window < 0 || d.topic_window > 1000) {
    return Status::Invalid(path + ".diversity.topic_window",
                           "must be in [0, 1000]");
  }
  if (!(d.topic_max_share > 0.0 && d.topic_max_share <= 1.0)) {
    return Status::Invalid(path + ".diversity.topic_max_share",
                           "must be in (0, 1]");
  }
  if (!(d.mmr_lambda >= 0.0 && d.mmr_lambda <= 1.0)) {
    return Status::Invalid(path + ".diversity.mmr_lambda", "must be in [0, 1]");
  }
  if (d.mmr_window < 0 || d.mmr_window > 1000) {
    return Status::Invalid(path + ".diversity.mmr_window",
                           "must be in [0, 1000]");
  }
  if (d.explore_gap < 0 || d.explore_gap > 1000) {
    return Status::Invalid(path + ".diversity.explore_gap",
                           "must be in [0, 1000]");
  }
  if (d.depth < 1) {
    return Status::Invalid(path + ".diversity.depth", "must be >= 1");
  }
  if (c.history_size < 1 || c.history_size > 10000) {
    return Status::Invalid(path + ".history_size", "must be in [1, 10000]");
  }
  return Status::Ok();
}

double ApplyMultiplier(double score, double m) {
  if (!(m > 0.0)) return score;
  return score >= 0.0 ? score * m : score / m;
}

Pipeline::Pipeline(const PipelineConfig& config) { set_config(config); }

void Pipeline::set_config(const PipelineConfig& config) {
  config_ = config;
  policy_.set_operator_enabled(config_.policy.enabled);
  policy_.SetFatigueConfig(config_.fatigue);
  fatigue_.set_config(config_.fatigue);
  const size_t cap = static_cast<size_t>(std::max(config_.history_size, 1));
  while (history_.size() > cap) history_.pop_front();
}

PolicyDecision Pipeline::Decide(const Candidate& c, int64_t now_ms) const {
  PolicyDecision d = policy_.Decide(c, now_ms);
  if (d.dropped()) return d;
  const FatigueVerdict v = fatigue_.Assess(c, now_ms);
  if (v.key.empty()) return d;
  const std::string id = "fatigue:" + v.key;
  if (v.filtered) {
    PolicyDecision f;
    f.action = PolicyAction::kDrop;
    f.multiplier = 0.0;
    f.source = RuleSource::kFatigue;
    f.rule_id = id;
    f.reason = "you recently said you're not interested";
    f.applied.push_back(id);
    return f;
  }
  if (v.multiplier >= 1.0) return d;
  d.applied.push_back(id);
  d.multiplier =
      std::min(std::max(d.multiplier * v.multiplier, kMinPolicyMultiplier),
               kMaxPolicyMultiplier);
  if (d.rule_id.empty()) {
    d.rule_id = id;
    d.source = RuleSource::kFatigue;
    d.reason = "shown less since you said you're not interested";
  }
  if (!d.interstitial) {
    d.action = d.multiplier < 1.0   ? PolicyAction::kDemote
               : d.multiplier > 1.0 ? PolicyAction::kBoost
                                    : PolicyAction::kAllow;
  }
  return d;
}

std::vector<StageItem> Pipeline::Prepare(std::vector<StageItem> items) const {
  items.erase(
      std::remove_if(items.begin(), items.end(),
                     [](const StageItem& s) { return s.policy.dropped(); }),
      items.end());
  for (StageItem& s : items) {
    s.value = ApplyMultiplier(s.score, s.policy.multiplier);
    s.explored = false;
    s.diversity = DiversityNote{};
  }
  std::stable_sort(
      items.begin(), items.end(),
      [](const StageItem& a, const StageItem& b) { return a.value > b.value; });
  return items;
}

std::vector<RecentItem> Pipeline::HistoryVector() const {
  return std::vector<RecentItem>(history_.begin(), history_.end());
}

namespace {

std::vector<ExploreArm> Arms(const std::vector<StageItem>& items) {
  std::vector<ExploreArm> arms(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    arms[i].index = static_cast<int>(i);
    arms[i].value = items[i].value;
    const double m =
        items[i].policy.multiplier > 0.0 ? items[i].policy.multiplier : 1.0;
    arms[i].uncertainty = std::max(items[i].uncertainty, 0.0) * m;
    arms[i].dropped = items[i].policy.dropped();
  }
  return arms;
}

std::vector<DiversityItem> DivItems(const std::vector<Candidate>& candidates,
                                    const std::vector<StageItem>& items) {
  std::vector<DiversityItem> out(items.size());
  const double n = static_cast<double>(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    out[i].candidate = &candidates[items[i].index];
    out[i].relevance = n - static_cast<double>(i);  // keep explore's order
    out[i].explored = items[i].explored;
  }
  return out;
}

}  // namespace

std::vector<StageItem> Pipeline::Order(const std::vector<Candidate>& candidates,
                                       std::vector<StageItem> items,
                                       double profile_events,
                                       SplitMix64& rng) const {
  std::vector<StageItem> sorted = Prepare(std::move(items));
  // Explore.
  const ExploreResult ex = ExploreList(Arms(sorted), since_last_explore_,
                                       profile_events, config_.explore, rng);
  std::vector<StageItem> explored;
  explored.reserve(ex.order.size());
  for (size_t p = 0; p < ex.order.size(); ++p) {
    explored.push_back(std::move(sorted[ex.order[p]]));
    explored.back().explored = ex.explored[p];
  }
  // Diversify.
  DiversityConfig dc = config_.diversity;
  if (config_.explore.enabled && dc.explore_gap == 0) {
    dc.explore_gap = config_.explore.slot_every;
  }
  const DiversifyResult dr =
      Diversify(DivItems(candidates, explored), HistoryVector(), dc);
  std::vector<StageItem> out;
  out.reserve(dr.order.size());
  for (size_t p = 0; p < dr.order.size(); ++p) {
    out.push_back(std::move(explored[dr.order[p]]));
    out.back().diversity = dr.notes[p];
  }
  return out;
}

int Pipeline::Next(const std::vector<Candidate>& candidates,
                   const std::vector<StageItem>& items, double profile_events,
                   SplitMix64& rng, StageItem* out) const {
  std::vector<StageItem> sorted = Prepare(items);
  if (sorted.empty()) return -1;
  const ExploreResult ex = ExploreList(Arms(sorted), since_last_explore_,
                                       profile_events, config_.explore, rng);
  std::vector<StageItem> explored;
  explored.reserve(ex.order.size());
  for (size_t p = 0; p < ex.order.size(); ++p) {
    explored.push_back(sorted[ex.order[p]]);
    explored.back().explored = ex.explored[p];
  }
  DiversityConfig dc = config_.diversity;
  if (config_.explore.enabled && dc.explore_gap == 0) {
    dc.explore_gap = config_.explore.slot_every;
  }
  DiversityNote note;
  const int pick =
      DiversifyNext(DivItems(candidates, explored), HistoryVector(), dc, &note);
  if (pick < 0) return -1;
  StageItem chosen = explored[pick];
  chosen.diversity = note;
  // Map back to the caller's position (first item with this candidate index).
  int pos = -1;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].index == chosen.index) {
      pos = static_cast<int>(i);
      break;
    }
  }
  if (out) *out = std::move(chosen);
  return pos;
}

void Pipeline::RecordShown(const Candidate& c, bool explored) {
  history_.push_back(RecentItem::From(c, explored));
  const size_t cap = static_cast<size_t>(std::max(config_.history_size, 1));
  while (history_.size() > cap) history_.pop_front();
  if (explored) {
    since_last_explore_ = 0;
  } else if (since_last_explore_ < (1 << 30)) {
    ++since_last_explore_;
  }
}

void Pipeline::RecordNegative(const Candidate& c, int64_t at_ms) {
  fatigue_.RecordNegative(c, at_ms);
}

void Pipeline::ResetFeed() {
  history_.clear();
  since_last_explore_ = 1 << 30;
  fatigue_.Clear();
}

}  // namespace reelrank
