#include "reelrank/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "reelrank/feature_table.h"
#include "reelrank/limits.h"
#include "serial.h"

namespace reelrank {

Status ValidatePipelineConfig(const PipelineConfig& c,
                              const std::string& path) {
  const FatigueConfig& f = c.fatigue;
  if (f.filter_ms < 0) {
    return Status::Invalid(path + ".fatigue.filter_ms", "must be >= 0");
  }
  if (f.topic_filter_ms < 0) {
    return Status::Invalid(path + ".fatigue.topic_filter_ms", "must be >= 0");
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
  if (!(e.prior_sigma >= 0.0) || !std::isfinite(e.prior_sigma)) {
    return Status::Invalid(path + ".explore.prior_sigma", "must be >= 0");
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
  // Keeps the newest `cap` entries in one erase (an imported history may be
  // far longer than the bound: linear, not one erase per entry).
  const size_t cap = static_cast<size_t>(std::max(config_.history_size, 1));
  if (history_.size() > cap) {
    const auto drop = static_cast<std::ptrdiff_t>(history_.size() - cap);
    history_.erase(history_.begin(), history_.begin() + drop);
    history_events_.erase(history_events_.begin(),
                          history_events_.begin() + drop);
  }
}

PolicyDecision Pipeline::Decide(const Candidate& c, int64_t now_ms) const {
  return Decide(c, nullptr, now_ms);
}

PolicyDecision Pipeline::Decide(const Candidate& c, const PolicyMatchInput* in,
                                int64_t now_ms) const {
  PolicyDecision d;
  DecideInto(c, in, now_ms, &d);
  return d;
}

namespace {
// *to = from; an empty string or vector of `from` clears to's instead (its
// capacity is kept for the fatigue stage to reuse).
void AssignDecision(PolicyDecision&& from, PolicyDecision* to) {
  to->action = from.action;
  to->multiplier = from.multiplier;
  to->interstitial = from.interstitial;
  to->source = from.source;
  if (from.rule_id.empty()) {
    to->rule_id.clear();
  } else {
    to->rule_id = std::move(from.rule_id);
  }
  if (from.reason.empty()) {
    to->reason.clear();
  } else {
    to->reason = std::move(from.reason);
  }
  if (from.applied.empty()) {
    to->applied.clear();
  } else {
    to->applied = std::move(from.applied);
  }
}
}  // namespace

void Pipeline::DecideInto(const Candidate& c, const PolicyMatchInput* in,
                          int64_t now_ms, PolicyDecision* out) const {
  DecideBase(c, in, now_ms, out);
  PolicyDecision& d = *out;
  if (followed_.empty() || d.dropped() || c.author.empty()) return;
  const uint64_t key = in && in->fatigue_keys.set ? in->fatigue_keys.author
                                                  : FeatureKey(c.author);
  if (!followed_.count(key)) return;
  const std::string id = "user:follow:" + c.author;
  d.applied.push_back(id);
  d.multiplier =
      std::min(d.multiplier * kFollowedMultiplier, kMaxPolicyMultiplier);
  if (d.rule_id.empty()) {
    d.rule_id = id;
    d.reason = "it's by a creator you follow";
    d.source = RuleSource::kUser;
  }
  if (!d.interstitial) {
    d.action = d.multiplier < 1.0   ? PolicyAction::kDemote
               : d.multiplier > 1.0 ? PolicyAction::kBoost
                                    : PolicyAction::kAllow;
  }
}

void Pipeline::DecideBase(const Candidate& c, const PolicyMatchInput* in,
                          int64_t now_ms, PolicyDecision* out) const {
  PolicyDecision& d = *out;
  AssignDecision(
      in ? policy_.Decide(c, *in, now_ms) : policy_.Decide(c, now_ms), &d);
  if (d.dropped()) return;
  FatigueState v;
  const FatigueEntry* entry = nullptr;
  FatigueVerdict own;  // without a match input: Assess names the entry
  if (in) {
    entry = fatigue_.Strongest(c, in->category, in->tags, &in->fatigue_keys,
                               now_ms, &v);
    if (!entry) return;
  } else {
    own = fatigue_.Assess(c, now_ms);
    if (own.key.empty()) return;
    v.filtered = own.filtered;
    v.multiplier = own.multiplier;
  }
  // "fatigue:author:<id>" / "fatigue:topic:<t>" / "fatigue:sound:<id>".
  auto set_id = [&](std::string* s) {
    s->assign("fatigue:");
    if (entry) {
      s->append(KindName(entry->kind)).append(":").append(entry->key);
    } else {
      s->append(own.key);
    }
  };
  if (v.filtered) {
    d.action = PolicyAction::kDrop;
    d.multiplier = 0.0;
    d.interstitial = false;
    d.source = RuleSource::kFatigue;
    set_id(&d.rule_id);
    d.reason.assign("you recently said you're not interested");
    d.applied.resize(1);
    set_id(&d.applied[0]);
    return;
  }
  if (v.multiplier >= 1.0) return;
  d.applied.emplace_back();
  set_id(&d.applied.back());
  d.multiplier =
      std::min(std::max(d.multiplier * v.multiplier, kMinPolicyMultiplier),
               kMaxPolicyMultiplier);
  if (d.rule_id.empty()) {
    set_id(&d.rule_id);
    d.source = RuleSource::kFatigue;
    d.reason.assign("shown less since you said you're not interested");
  }
  if (!d.interstitial) {
    d.action = d.multiplier < 1.0   ? PolicyAction::kDemote
               : d.multiplier > 1.0 ? PolicyAction::kBoost
                                    : PolicyAction::kAllow;
  }
}

std::vector<StageItem> Pipeline::Prepare(std::vector<StageItem> items) const {
  const std::vector<int> at = PreparePositions(&items);
  std::vector<StageItem> out;
  out.reserve(at.size());
  for (int i : at) out.push_back(std::move(items[i]));
  return out;
}

std::vector<int> Pipeline::PreparePositions(
    std::vector<StageItem>* items) const {
  std::vector<int> order;
  order.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    StageItem& s = (*items)[i];
    if (s.policy.dropped()) continue;
    s.value = ApplyMultiplier(s.score, s.policy.multiplier);
    s.explored = false;
    s.diversity = DiversityNote{};
    order.push_back(static_cast<int>(i));
  }
  // Stable: ties keep input order.
  const std::vector<StageItem>& it = *items;
  std::stable_sort(order.begin(), order.end(),
                   [&it](int a, int b) { return it[a].value > it[b].value; });
  return order;
}

namespace {

// The arms of items[at[0]], items[at[1]], ...
std::vector<ExploreArm> Arms(const std::vector<StageItem>& items,
                             const std::vector<int>& at) {
  std::vector<ExploreArm> arms(at.size());
  for (size_t i = 0; i < at.size(); ++i) {
    const StageItem& s = items[at[i]];
    arms[i].index = static_cast<int>(i);
    arms[i].value = s.value;
    const double m = s.policy.multiplier > 0.0 ? s.policy.multiplier : 1.0;
    arms[i].uncertainty = std::max(s.uncertainty, 0.0) * m;
    arms[i].dropped = s.policy.dropped();
  }
  return arms;
}

std::vector<int> AllPositions(size_t n) {
  std::vector<int> at(n);
  for (size_t i = 0; i < n; ++i) at[i] = static_cast<int>(i);
  return at;
}

std::vector<DiversityItem> DivItems(const std::vector<Candidate>& candidates,
                                    const std::vector<StageItem>& items,
                                    const std::vector<int>& at) {
  // Relevance of position p = the p-th largest value: keeps explore's order
  // (an exploration pick inherits the relevance of the slot it took) and the
  // real value gaps between positions.
  std::vector<double> values(at.size());
  for (size_t i = 0; i < at.size(); ++i) values[i] = items[at[i]].value;
  std::sort(values.begin(), values.end(), std::greater<double>());
  std::vector<DiversityItem> out(at.size());
  for (size_t i = 0; i < at.size(); ++i) {
    out[i].candidate = &candidates[items[at[i]].index];
    out[i].relevance = values[i];
    out[i].explored = items[at[i]].explored;
  }
  return out;
}

}  // namespace

std::vector<StageItem> Pipeline::Order(const std::vector<Candidate>& candidates,
                                       std::vector<StageItem> items,
                                       double profile_events,
                                       SplitMix64& rng) const {
  const std::vector<int> at =
      OrderPositions(candidates, &items, profile_events, rng);
  std::vector<StageItem> out;
  out.reserve(at.size());
  for (int i : at) out.push_back(std::move(items[i]));
  return out;
}

std::vector<int> Pipeline::OrderPositions(
    const std::vector<Candidate>& candidates, std::vector<StageItem>* items,
    double profile_events, SplitMix64& rng) const {
  std::vector<StageItem>& it = *items;
  const std::vector<int> sorted = PreparePositions(items);
  // Explore.
  const ExploreResult ex = ExploreList(Arms(it, sorted), since_last_explore(),
                                       profile_events, config_.explore, rng);
  std::vector<int> explored(ex.order.size());
  for (size_t p = 0; p < ex.order.size(); ++p) {
    explored[p] = sorted[ex.order[p]];
    it[explored[p]].explored = ex.explored[p];
  }
  // Diversify.
  DiversityConfig dc = config_.diversity;
  if (config_.explore.enabled && dc.explore_gap == 0) {
    dc.explore_gap = config_.explore.slot_every;
  }
  const DiversifyResult dr =
      Diversify(DivItems(candidates, it, explored), history_, dc);
  std::vector<int> out(dr.order.size());
  for (size_t p = 0; p < dr.order.size(); ++p) {
    out[p] = explored[dr.order[p]];
    it[out[p]].diversity = dr.notes[p];
  }
  return out;
}

int Pipeline::Next(const std::vector<Candidate>& candidates,
                   const std::vector<StageItem>& items, double profile_events,
                   SplitMix64& rng, StageItem* out) const {
  std::vector<StageItem> sorted = Prepare(items);
  if (sorted.empty()) return -1;
  const ExploreResult ex =
      ExploreList(Arms(sorted, AllPositions(sorted.size())),
                  since_last_explore(), profile_events, config_.explore, rng);
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
  const int pick = DiversifyNext(
      DivItems(candidates, explored, AllPositions(explored.size())), history_,
      dc, &note);
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

void Pipeline::RecordShown(const Candidate& c, bool explored,
                           const std::string& event_id) {
  history_.push_back(RecentItem::From(c, explored));
  history_events_.push_back(event_id);
  const size_t cap = static_cast<size_t>(std::max(config_.history_size, 1));
  while (history_.size() > cap) {
    history_.erase(history_.begin());
    history_events_.pop_front();
  }
}

void Pipeline::RecordNegative(const Candidate& c, int64_t at_ms,
                              const std::string& event_id) {
  fatigue_.RecordNegative(c, at_ms, event_id);
}

void Pipeline::RecordFollow(const Candidate& c, const std::string& event_id) {
  if (c.author.empty()) return;
  if (followed_.count(FeatureKey(c.author))) return;
  std::vector<std::pair<std::string, std::string>> f = follows_;
  f.emplace_back(c.author, event_id);
  SetFollows(std::move(f));
}

void Pipeline::SetFollows(
    std::vector<std::pair<std::string, std::string>> follows) {
  if (follows.size() > Limits::kUserListItems) {
    follows.erase(follows.begin(), follows.end() - static_cast<std::ptrdiff_t>(
                                                       Limits::kUserListItems));
  }
  follows_ = std::move(follows);
  followed_.clear();
  for (const auto& f : follows_) followed_.insert(FeatureKey(f.first));
}

void Pipeline::Forget(const std::string& event_id) {
  if (event_id.empty()) return;
  fatigue_.Forget(event_id);
  if (std::any_of(follows_.begin(), follows_.end(),
                  [&](const auto& f) { return f.second == event_id; })) {
    std::vector<std::pair<std::string, std::string>> keep;
    for (const auto& f : follows_) {
      if (f.second != event_id) keep.push_back(f);
    }
    SetFollows(std::move(keep));
  }
  for (size_t i = history_events_.size(); i-- > 0;) {
    if (history_events_[i] == event_id) {
      history_.erase(history_.begin() + static_cast<long>(i));
      history_events_.erase(history_events_.begin() + static_cast<long>(i));
    }
  }
}

int Pipeline::since_last_explore() const {
  const int n = static_cast<int>(history_.size());
  for (int i = n - 1; i >= 0; --i) {
    if (history_[i].explored) return n - 1 - i;
  }
  return n;
}

std::string Pipeline::StateToJson() const {
  nlohmann::json j;
  j["feed_version"] = 1;
  nlohmann::json h = nlohmann::json::array();
  for (size_t i = 0; i < history_.size(); ++i) {
    const RecentItem& r = history_[i];
    // The embedding as base64 of little-endian float32 (profile format 2:
    // no decimal floats on the restore path); arrays are still read.
    std::string bytes, emb;
    for (float f : r.embedding) {
      uint32_t u;
      std::memcpy(&u, &f, sizeof(u));
      for (int b = 0; b < 4; ++b)
        bytes.push_back(static_cast<char>(u >> (8 * b)));
    }
    serial::AppendBase64(bytes.data(), bytes.size(), &emb);
    h.push_back({{"author", r.author},
                 {"sound", r.sound},
                 {"topic", r.topic},
                 {"embedding", emb},
                 {"explored", r.explored},
                 {"event_id", history_events_[i]}});
  }
  j["history"] = std::move(h);
  j["fatigue"] =
      nlohmann::json::parse(fatigue_.ToJson(), nullptr, false)["entries"];
  nlohmann::json follows = nlohmann::json::array();
  for (const auto& f : follows_) {
    follows.push_back({{"author", f.first}, {"event_id", f.second}});
  }
  j["follows"] = std::move(follows);
  j["controls"] = nlohmann::json::parse(
      UserControlsToJson(policy_.user_controls()), nullptr, false);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Pipeline::StateFromJson(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid("feed", "not a JSON object");
  }
  if (!j.contains("feed_version") || !j["feed_version"].is_number_integer() ||
      j["feed_version"].get<int>() != 1) {
    return Status(StatusCode::kUnimplemented, "feed.feed_version: unsupported");
  }
  std::vector<RecentItem> hist;
  std::deque<std::string> events;
  if (j.contains("history")) {
    const auto& h = j["history"];
    if (!h.is_array())
      return Status::Invalid("feed.history", "must be an array");
    for (size_t i = 0; i < h.size(); ++i) {
      const std::string f = "feed.history[" + std::to_string(i) + "]";
      const auto& e = h[i];
      if (!e.is_object()) return Status::Invalid(f, "must be an object");
      RecentItem r;
      for (const char* k : {"author", "sound", "topic", "event_id"}) {
        if (!e.contains(k) || !e[k].is_string()) {
          return Status::Invalid(f + "." + k, "must be a string");
        }
      }
      r.author = e["author"].get<std::string>();
      r.sound = e["sound"].get<std::string>();
      r.topic = e["topic"].get<std::string>();
      if (!e.contains("explored") || !e["explored"].is_boolean()) {
        return Status::Invalid(f + ".explored", "must be a boolean");
      }
      r.explored = e["explored"].get<bool>();
      if (e.contains("embedding") && e["embedding"].is_string()) {
        std::string bytes;
        if (!serial::DecodeBase64(e["embedding"].get_ref<const std::string&>(),
                                  &bytes) ||
            bytes.size() % 4 != 0) {
          return Status::Invalid(f + ".embedding", "must be base64 of floats");
        }
        for (size_t k = 0; k < bytes.size(); k += 4) {
          uint32_t u = 0;
          for (int b = 0; b < 4; ++b) {
            u |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[k + b]))
                 << (8 * b);
          }
          float x;
          std::memcpy(&x, &u, sizeof(x));
          if (!std::isfinite(x)) {
            return Status::Invalid(f + ".embedding",
                                   "must hold finite numbers");
          }
          r.embedding.push_back(x);
        }
      } else {
        if (!e.contains("embedding") || !e["embedding"].is_array()) {
          return Status::Invalid(f + ".embedding", "must be an array");
        }
        for (const auto& x : e["embedding"]) {
          if (!x.is_number() || !std::isfinite(x.get<double>())) {
            return Status::Invalid(f + ".embedding",
                                   "must hold finite numbers");
          }
          r.embedding.push_back(x.get<float>());
        }
      }
      hist.push_back(std::move(r));
      events.push_back(e["event_id"].get<std::string>());
    }
  }
  FatigueTracker fatigue(config_.fatigue);
  if (j.contains("fatigue")) {
    nlohmann::json fj = {{"version", 1}, {"entries", j["fatigue"]}};
    Status s = fatigue.FromJson(fj.dump());
    if (!s.ok()) return s;
  }
  std::vector<std::pair<std::string, std::string>> follows;
  if (j.contains("follows")) {
    const auto& fj = j["follows"];
    if (!fj.is_array() || fj.size() > Limits::kUserListItems) {
      return Status::Invalid("feed.follows",
                             "must be an array of at most " +
                                 std::to_string(Limits::kUserListItems));
    }
    for (size_t i = 0; i < fj.size(); ++i) {
      const std::string f = "feed.follows[" + std::to_string(i) + "]";
      const auto& e = fj[i];
      if (!e.is_object() || !e.contains("author") || !e["author"].is_string() ||
          e["author"].get_ref<const std::string&>().empty() ||
          e["author"].get_ref<const std::string&>().size() >
              Limits::kAuthorBytes ||
          !e.contains("event_id") || !e["event_id"].is_string()) {
        return Status::Invalid(f, "must be {author, event_id} (strings)");
      }
      follows.emplace_back(e["author"].get<std::string>(),
                           e["event_id"].get<std::string>());
    }
  }
  UserControls controls = policy_.user_controls();
  if (j.contains("controls")) {
    Result<UserControls> r = ParseUserControls(j["controls"].dump());
    if (!r.ok()) {
      return Status(r.status().code(), "feed.controls." + r.status().message());
    }
    controls = r.value();
  }
  history_ = std::move(hist);
  history_events_ = std::move(events);
  SetFollows(std::move(follows));
  fatigue_ = std::move(fatigue);
  policy_.SetUserControls(controls);
  set_config(config_);  // enforce bounds
  return Status::Ok();
}

void Pipeline::ResetFeed() {
  history_.clear();
  history_events_.clear();
  fatigue_.Clear();
  SetFollows({});
}

}  // namespace reelrank
