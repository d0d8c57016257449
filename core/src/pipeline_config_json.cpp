#include "pipeline_config_json.h"

#include <cmath>
#include <limits>

namespace reelrank {
namespace {

using json = nlohmann::json;

Status GetBool(const json& o, const char* key, const std::string& path,
               bool* out) {
  auto it = o.find(key);
  if (it == o.end()) return Status::Ok();
  if (!it->is_boolean()) {
    return Status::Invalid(path + "." + key, "expected true or false");
  }
  *out = it->get<bool>();
  return Status::Ok();
}

Status GetNumber(const json& o, const char* key, const std::string& path,
                 double* out) {
  auto it = o.find(key);
  if (it == o.end()) return Status::Ok();
  if (!it->is_number() || !std::isfinite(it->get<double>())) {
    return Status::Invalid(path + "." + key, "expected a number");
  }
  *out = it->get<double>();
  return Status::Ok();
}

template <typename Int>
Status GetInt(const json& o, const char* key, const std::string& path,
              Int* out) {
  auto it = o.find(key);
  if (it == o.end()) return Status::Ok();
  if (!it->is_number_integer()) {
    return Status::Invalid(path + "." + key, "expected an integer");
  }
  if (it->is_number_unsigned() &&
      it->get<uint64_t>() >
          static_cast<uint64_t>(std::numeric_limits<Int>::max())) {
    return Status::Invalid(path + "." + key, "out of range");
  }
  const int64_t v = it->get<int64_t>();
  if (v < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
      v > static_cast<int64_t>(std::numeric_limits<Int>::max())) {
    return Status::Invalid(path + "." + key, "out of range");
  }
  *out = static_cast<Int>(v);
  return Status::Ok();
}

Result<const json*> Sub(const json& root, const char* key,
                        const std::string& path) {
  auto it = root.find(key);
  if (it == root.end()) return static_cast<const json*>(nullptr);
  if (!it->is_object()) {
    return Status::Invalid(path + "." + key, "expected an object");
  }
  return &*it;
}

#define RR_TRY(expr)         \
  do {                       \
    Status _s = (expr);      \
    if (!_s.ok()) return _s; \
  } while (false)

}  // namespace

Status ParsePipelineConfigJson(const json& root, const std::string& path,
                               PipelineConfig* out) {
  if (!root.is_object()) return Status::Invalid(path, "expected an object");
  RR_TRY(GetBool(root, "rank_feed_order", path, &out->rank_feed_order));
  {
    Result<const json*> r = Sub(root, "policy", path);
    if (!r.ok()) return r.status();
    if (const json* o = r.value()) {
      const std::string p = path + ".policy";
      RR_TRY(GetBool(*o, "enabled", p, &out->policy.enabled));
    }
  }
  {
    Result<const json*> r = Sub(root, "fatigue", path);
    if (!r.ok()) return r.status();
    if (const json* o = r.value()) {
      const std::string p = path + ".fatigue";
      FatigueConfig& f = out->fatigue;
      RR_TRY(GetBool(*o, "enabled", p, &f.enabled));
      RR_TRY(GetInt(*o, "filter_ms", p, &f.filter_ms));
      RR_TRY(GetInt(*o, "topic_filter_ms", p, &f.topic_filter_ms));
      RR_TRY(GetInt(*o, "discount_ms", p, &f.discount_ms));
      RR_TRY(GetNumber(*o, "start_multiplier", p, &f.start_multiplier));
      RR_TRY(GetBool(*o, "track_authors", p, &f.track_authors));
      RR_TRY(GetBool(*o, "track_topics", p, &f.track_topics));
      RR_TRY(GetBool(*o, "track_sounds", p, &f.track_sounds));
      RR_TRY(GetInt(*o, "max_entries", p, &f.max_entries));
    }
  }
  {
    Result<const json*> r = Sub(root, "explore", path);
    if (!r.ok()) return r.status();
    if (const json* o = r.value()) {
      const std::string p = path + ".explore";
      ExploreConfig& e = out->explore;
      RR_TRY(GetBool(*o, "enabled", p, &e.enabled));
      auto it = o->find("method");
      if (it != o->end()) {
        const std::string m = it->is_string() ? it->get<std::string>() : "";
        if (m == "thompson") {
          e.method = ExploreMethod::kThompson;
        } else if (m == "ucb") {
          e.method = ExploreMethod::kUcb;
        } else {
          return Status::Invalid(p + ".method",
                                 "expected \"thompson\" or \"ucb\"");
        }
      }
      RR_TRY(GetInt(*o, "slot_every", p, &e.slot_every));
      RR_TRY(GetNumber(*o, "max_rate", p, &e.max_rate));
      RR_TRY(GetNumber(*o, "min_rate", p, &e.min_rate));
      RR_TRY(GetNumber(*o, "half_fill_events", p, &e.half_fill_events));
      RR_TRY(GetNumber(*o, "ucb_c", p, &e.ucb_c));
      RR_TRY(GetNumber(*o, "prior_sigma", p, &e.prior_sigma));
    }
  }
  {
    Result<const json*> r = Sub(root, "diversity", path);
    if (!r.ok()) return r.status();
    if (const json* o = r.value()) {
      const std::string p = path + ".diversity";
      DiversityConfig& d = out->diversity;
      RR_TRY(GetBool(*o, "enabled", p, &d.enabled));
      RR_TRY(GetInt(*o, "author_window", p, &d.author_window));
      RR_TRY(GetInt(*o, "sound_window", p, &d.sound_window));
      RR_TRY(GetInt(*o, "topic_window", p, &d.topic_window));
      RR_TRY(GetNumber(*o, "topic_max_share", p, &d.topic_max_share));
      RR_TRY(GetNumber(*o, "mmr_lambda", p, &d.mmr_lambda));
      RR_TRY(GetInt(*o, "mmr_window", p, &d.mmr_window));
      RR_TRY(GetInt(*o, "explore_gap", p, &d.explore_gap));
      RR_TRY(GetInt(*o, "depth", p, &d.depth));
      RR_TRY(GetInt(*o, "history_size", p, &out->history_size));
    }
  }
  return ValidatePipelineConfig(*out, path);
}

void WritePipelineConfigJson(const PipelineConfig& c, json* root) {
  (*root)["rank_feed_order"] = c.rank_feed_order;
  (*root)["policy"] = {{"enabled", c.policy.enabled}};
  const FatigueConfig& f = c.fatigue;
  (*root)["fatigue"] = {{"enabled", f.enabled},
                        {"filter_ms", f.filter_ms},
                        {"topic_filter_ms", f.topic_filter_ms},
                        {"discount_ms", f.discount_ms},
                        {"start_multiplier", f.start_multiplier},
                        {"track_authors", f.track_authors},
                        {"track_topics", f.track_topics},
                        {"track_sounds", f.track_sounds},
                        {"max_entries", f.max_entries}};
  const ExploreConfig& e = c.explore;
  (*root)["explore"] = {
      {"enabled", e.enabled},
      {"method", e.method == ExploreMethod::kUcb ? "ucb" : "thompson"},
      {"slot_every", e.slot_every},
      {"max_rate", e.max_rate},
      {"min_rate", e.min_rate},
      {"half_fill_events", e.half_fill_events},
      {"ucb_c", e.ucb_c},
      {"prior_sigma", e.prior_sigma}};
  const DiversityConfig& d = c.diversity;
  (*root)["diversity"] = {{"enabled", d.enabled},
                          {"author_window", d.author_window},
                          {"sound_window", d.sound_window},
                          {"topic_window", d.topic_window},
                          {"topic_max_share", d.topic_max_share},
                          {"mmr_lambda", d.mmr_lambda},
                          {"mmr_window", d.mmr_window},
                          {"explore_gap", d.explore_gap},
                          {"depth", d.depth},
                          {"history_size", c.history_size}};
}

}  // namespace reelrank
