#include "reelrank/config.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "limits_check.h"
#include "pipeline_config_json.h"
#include "reelrank/limits.h"

namespace reelrank {
namespace {

using json = nlohmann::json;

// Reads optional key `key` of `obj` into *out, checking type and range.
// Errors name "config.<path>.<key>".
Status ReadDouble(const json& obj, const char* key, const std::string& path,
                  double lo, double hi, double* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  const std::string field = path + "." + key;
  if (!it->is_number()) return Status::Invalid(field, "expected a number");
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) {
    return Status::Invalid(field, "must be in [" + std::to_string(lo) + ", " +
                                      std::to_string(hi) + "]");
  }
  *out = v;
  return Status::Ok();
}

template <typename Int>
Status ReadInt(const json& obj, const char* key, const std::string& path,
               int64_t lo, int64_t hi, Int* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  const std::string field = path + "." + key;
  if (!it->is_number_integer())
    return Status::Invalid(field, "expected an integer");
  int64_t v = 0;
  if (it->is_number_unsigned()) {
    const uint64_t u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Status::Invalid(field, "out of range");
    }
    v = static_cast<int64_t>(u);
  } else {
    v = it->get<int64_t>();
  }
  if (v < lo || v > hi) {
    return Status::Invalid(field, "must be in [" + std::to_string(lo) + ", " +
                                      std::to_string(hi) + "]");
  }
  *out = static_cast<Int>(v);
  return Status::Ok();
}

Status ReadBool(const json& obj, const char* key, const std::string& path,
                bool* out) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Ok();
  if (!it->is_boolean())
    return Status::Invalid(path + "." + key, "expected true or false");
  *out = it->get<bool>();
  return Status::Ok();
}

// Optional sub-object; null result when missing.
Result<const json*> SubObject(const json& obj, const char* key,
                              const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end()) return static_cast<const json*>(nullptr);
  if (!it->is_object())
    return Status::Invalid(path + "." + key, "expected an object");
  return &*it;
}

Status ReadHeadArray(const json& obj, const char* key, const std::string& path,
                     double lo, double hi, std::array<double, kNumHeads>* out) {
  Result<const json*> sub = SubObject(obj, key, path);
  if (!sub.ok()) return sub.status();
  if (sub.value() == nullptr) return Status::Ok();
  const std::string p = path + "." + key;
  for (auto it = sub.value()->begin(); it != sub.value()->end(); ++it) {
    Result<Head> h = ParseHead(it.key(), p + "." + it.key());
    if (!h.ok()) return h.status();
    double v = 0;
    Status s = ReadDouble(*sub.value(), it.key().c_str(), p, lo, hi, &v);
    if (!s.ok()) return s;
    (*out)[HeadIndex(h.value())] = v;
  }
  return Status::Ok();
}

Status ReadFtrl(const json& obj, const char* key, const std::string& path,
                FtrlParams* p) {
  Result<const json*> sub = SubObject(obj, key, path);
  if (!sub.ok()) return sub.status();
  if (sub.value() == nullptr) return Status::Ok();
  const json& o = *sub.value();
  const std::string q = path + "." + key;
  Status s;
  if (!(s = ReadDouble(o, "alpha", q, 1e-9, 1e6, &p->alpha)).ok()) return s;
  if (!(s = ReadDouble(o, "beta", q, 0, 1e6, &p->beta)).ok()) return s;
  if (!(s = ReadDouble(o, "l1", q, 0, 1e6, &p->l1)).ok()) return s;
  if (!(s = ReadDouble(o, "l2", q, 0, 1e6, &p->l2)).ok()) return s;
  return Status::Ok();
}

json FtrlJson(const FtrlParams& p) {
  return json{{"alpha", p.alpha}, {"beta", p.beta}, {"l1", p.l1}, {"l2", p.l2}};
}

json HeadArrayJson(const std::array<double, kNumHeads>& a) {
  json o = json::object();
  for (int h = 0; h < kNumHeads; ++h) o[HeadName(static_cast<Head>(h))] = a[h];
  return o;
}

Status CheckFtrl(const FtrlParams& p, const std::string& field) {
  if (!(p.alpha > 0) || !std::isfinite(p.alpha))
    return Status::Invalid(field + ".alpha", "must be > 0");
  if (!(p.beta >= 0) || !std::isfinite(p.beta))
    return Status::Invalid(field + ".beta", "must be >= 0");
  if (!(p.l1 >= 0) || !std::isfinite(p.l1))
    return Status::Invalid(field + ".l1", "must be >= 0");
  if (!(p.l2 >= 0) || !std::isfinite(p.l2))
    return Status::Invalid(field + ".l2", "must be >= 0");
  return Status::Ok();
}

}  // namespace

Status ValidateSignalConfig(const SignalConfig& c) {
  if (c.fast_swipe_ms < 0)
    return Status::Invalid("config.signals.fast_swipe_ms", "must be >= 0");
  if (!(c.fast_velocity > 0) || !std::isfinite(c.fast_velocity)) {
    return Status::Invalid("config.signals.fast_velocity", "must be > 0");
  }
  if (!(c.velocity_share >= 0 && c.velocity_share <= 1)) {
    return Status::Invalid("config.signals.velocity_share",
                           "must be in [0, 1]");
  }
  if (!(c.watch_ratio_cap >= 1 && c.watch_ratio_cap <= 100)) {
    return Status::Invalid("config.signals.watch_ratio_cap",
                           "must be in [1, 100]");
  }
  if (!(c.finish_ratio > 0 && c.finish_ratio <= 100)) {
    return Status::Invalid("config.signals.finish_ratio",
                           "must be in (0, 100]");
  }
  if (!(c.fast_swipe_negative >= 0 && c.fast_swipe_negative <= 1)) {
    return Status::Invalid("config.signals.fast_swipe_negative",
                           "must be in [0, 1]");
  }
  return Status::Ok();
}

Status ValidateConfig(const RankerConfig& c) {
  if (c.embedding_dim < 1 || c.embedding_dim > 1024) {
    return Status::Invalid(
        "config.embedding_dim",
        "must be in [1, 1024], got " + std::to_string(c.embedding_dim));
  }
  Status s = ValidateSignalConfig(c.signals);
  if (!s.ok()) return s;
  const ProfileConfig& p = c.profile;
  if (p.max_features < 16 || p.max_features > 10000000) {
    return Status::Invalid("config.profile.max_features",
                           "must be in [16, 10000000]");
  }
  if (p.frequency_gate < 0 || p.frequency_gate > 1000000) {
    return Status::Invalid("config.profile.frequency_gate",
                           "must be in [0, 1000000]");
  }
  if (!(p.confidence_k >= 0) || !std::isfinite(p.confidence_k)) {
    return Status::Invalid("config.profile.confidence_k", "must be >= 0");
  }
  if (p.feature_half_life_ms <= 0)
    return Status::Invalid("config.profile.feature_half_life_ms",
                           "must be > 0");
  if (p.feature_expiry_ms <= 0)
    return Status::Invalid("config.profile.feature_expiry_ms", "must be > 0");
  if (p.long_half_life_ms <= 0)
    return Status::Invalid("config.profile.long_half_life_ms", "must be > 0");
  if (p.session_half_life_ms <= 0)
    return Status::Invalid("config.profile.session_half_life_ms",
                           "must be > 0");
  if (p.negative_half_life_ms <= 0)
    return Status::Invalid("config.profile.negative_half_life_ms",
                           "must be > 0");
  if (p.max_seen_items < 1 || p.max_seen_items > 10000000) {
    return Status::Invalid("config.profile.max_seen_items",
                           "must be in [1, 10000000]");
  }
  if (p.max_event_log < 1 || p.max_event_log > 100000) {
    return Status::Invalid("config.profile.max_event_log",
                           "must be in [1, 100000]");
  }
  if (p.max_known_items < 1 || p.max_known_items > 10000000) {
    return Status::Invalid("config.profile.max_known_items",
                           "must be in [1, 10000000]");
  }
  if (!(s = CheckFtrl(c.learner.sparse, "config.learner.sparse")).ok())
    return s;
  if (!(s = CheckFtrl(c.learner.dense, "config.learner.dense")).ok()) return s;
  if (!(s = CheckFtrl(c.learner.level, "config.learner.level")).ok()) return s;
  if (!(s = CheckFtrl(c.learner.interest, "config.learner.interest")).ok())
    return s;
  for (int h = 0; h < kNumHeads; ++h) {
    const double r = c.learner.head_rate[h];
    if (!(r >= 0 && r <= 1000)) {
      return Status::Invalid(std::string("config.learner.head_rate.") +
                                 HeadName(static_cast<Head>(h)),
                             "must be in [0, 1000]");
    }
    const double w = c.objective_weights[h];
    const std::string field = std::string("config.objective_weights.") +
                              HeadName(static_cast<Head>(h));
    if (!std::isfinite(w) || std::fabs(w) > 1000)
      return Status::Invalid(field, "must be in [-1000, 1000]");
    if (static_cast<Head>(h) == Head::kNegative) {
      if (w > 0)
        return Status::Invalid(field,
                               "must be <= 0 (it weighs a negative outcome)");
    } else if (w < 0) {
      return Status::Invalid(field, "must be >= 0");
    }
  }
  if (!(c.learner.explicit_negative_weight >= 0 &&
        c.learner.explicit_negative_weight <= 1000)) {
    return Status::Invalid("config.learner.explicit_negative_weight",
                           "must be in [0, 1000]");
  }
  if (!(c.learner.interest_rate >= 0 && c.learner.interest_rate <= 1000)) {
    return Status::Invalid("config.learner.interest_rate",
                           "must be in [0, 1000]");
  }
  if (!(c.learner.gate_z >= 0 && c.learner.gate_z <= 1e6)) {
    return Status::Invalid("config.learner.gate_z", "must be in [0, 1e6]");
  }
  if (!(c.learner.evidence_floor >= 0 && c.learner.evidence_floor <= 1e6)) {
    return Status::Invalid("config.learner.evidence_floor",
                           "must be in [0, 1e6]");
  }
  if (!(c.learner.evidence_half_life >= 0 &&
        c.learner.evidence_half_life <= 1e9)) {
    return Status::Invalid("config.learner.evidence_half_life",
                           "must be in [0, 1e9]");
  }
  if (!(c.seen_penalty >= 0 && c.seen_penalty <= 1000)) {
    return Status::Invalid("config.seen_penalty", "must be in [0, 1000]");
  }
  if (!(c.negative_penalty >= 0 && c.negative_penalty <= 1000)) {
    return Status::Invalid("config.negative_penalty", "must be in [0, 1000]");
  }
  if (!(c.tag_negative_share >= 0 && c.tag_negative_share <= 1)) {
    return Status::Invalid("config.tag_negative_share", "must be in [0, 1]");
  }
  {
    Status ps = ValidatePipelineConfig(c.pipeline, "config");
    if (!ps.ok()) return ps;
  }
  return Status::Ok();
}

namespace {

// Appends "config.<path>: unknown key (ignored)" for each key of `in` that
// `known` (the same level of ConfigToJson's output) does not have.
void UnknownKeys(const json& in, const json& known, const std::string& path,
                 std::vector<std::string>* out) {
  for (auto it = in.begin(); it != in.end(); ++it) {
    auto k = known.find(it.key());
    if (k == known.end()) {
      out->push_back(path + "." + Excerpt(it.key()) +
                     ": unknown key (ignored)");
    } else if (it->is_object() && k->is_object()) {
      UnknownKeys(*it, *k, path + "." + it.key(), out);
    }
  }
}

}  // namespace

Result<RankerConfig> ParseConfig(const std::string& text,
                                 std::vector<std::string>* warnings) {
  Status size = CheckBytes(text, Limits::kConfigJsonBytes, "config");
  if (!size.ok()) return size;
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded()) return Status::Invalid("config", "malformed JSON");
  if (!root.is_object())
    return Status::Invalid("config", "expected a JSON object");
  RankerConfig c;
  const std::string r = "config";
  Status s;
  if (!(s = ReadInt(root, "embedding_dim", r, 1, 1024, &c.embedding_dim)).ok())
    return s;
  {
    auto it = root.find("seed");
    if (it != root.end()) {
      if (!it->is_number_integer() ||
          (it->is_number_integer() && !it->is_number_unsigned() &&
           it->get<int64_t>() < 0)) {
        return Status::Invalid("config.seed",
                               "expected a non-negative integer");
      }
      c.seed = it->get<uint64_t>();
    }
  }
  Result<const json*> sub = SubObject(root, "signals", r);
  if (!sub.ok()) return sub.status();
  if (sub.value()) {
    const json& o = *sub.value();
    const std::string p = "config.signals";
    SignalConfig& g = c.signals;
    if (!(s = ReadInt(o, "fast_swipe_ms", p, 0, 3600000, &g.fast_swipe_ms))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "fast_velocity", p, 1e-6, 1e6, &g.fast_velocity))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "velocity_share", p, 0, 1, &g.velocity_share)).ok())
      return s;
    if (!(s = ReadDouble(o, "watch_ratio_cap", p, 1, 100, &g.watch_ratio_cap))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "finish_ratio", p, 1e-6, 100, &g.finish_ratio))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "fast_swipe_negative", p, 0, 1,
                         &g.fast_swipe_negative))
             .ok())
      return s;
  }
  sub = SubObject(root, "profile", r);
  if (!sub.ok()) return sub.status();
  if (sub.value()) {
    const json& o = *sub.value();
    const std::string p = "config.profile";
    ProfileConfig& f = c.profile;
    const int64_t kMaxMs = 100LL * 365 * 24 * 3600 * 1000;
    if (!(s = ReadInt(o, "max_features", p, 16, 10000000, &f.max_features))
             .ok())
      return s;
    if (!(s = ReadInt(o, "frequency_gate", p, 0, 1000000, &f.frequency_gate))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "confidence_k", p, 0, 1e9, &f.confidence_k)).ok())
      return s;
    if (!(s = ReadInt(o, "feature_half_life_ms", p, 1, kMaxMs,
                      &f.feature_half_life_ms))
             .ok())
      return s;
    if (!(s = ReadInt(o, "feature_expiry_ms", p, 1, kMaxMs,
                      &f.feature_expiry_ms))
             .ok())
      return s;
    if (!(s = ReadInt(o, "long_half_life_ms", p, 1, kMaxMs,
                      &f.long_half_life_ms))
             .ok())
      return s;
    if (!(s = ReadInt(o, "session_half_life_ms", p, 1, kMaxMs,
                      &f.session_half_life_ms))
             .ok())
      return s;
    if (!(s = ReadInt(o, "negative_half_life_ms", p, 1, kMaxMs,
                      &f.negative_half_life_ms))
             .ok())
      return s;
    if (!(s = ReadInt(o, "max_seen_items", p, 1, 10000000, &f.max_seen_items))
             .ok())
      return s;
    if (!(s = ReadInt(o, "max_event_log", p, 1, 100000, &f.max_event_log)).ok())
      return s;
    if (!(s = ReadInt(o, "max_known_items", p, 1, 10000000, &f.max_known_items))
             .ok())
      return s;
  }
  sub = SubObject(root, "learner", r);
  if (!sub.ok()) return sub.status();
  if (sub.value()) {
    const json& o = *sub.value();
    const std::string p = "config.learner";
    if (!(s = ReadFtrl(o, "sparse", p, &c.learner.sparse)).ok()) return s;
    if (!(s = ReadFtrl(o, "dense", p, &c.learner.dense)).ok()) return s;
    if (!(s = ReadFtrl(o, "level", p, &c.learner.level)).ok()) return s;
    if (!(s = ReadFtrl(o, "interest", p, &c.learner.interest)).ok()) return s;
    if (!(s = ReadHeadArray(o, "head_rate", p, 0, 1000, &c.learner.head_rate))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "explicit_negative_weight", p, 0, 1000,
                         &c.learner.explicit_negative_weight))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "interest_rate", p, 0, 1000,
                         &c.learner.interest_rate))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "gate_z", p, 0, 1e6, &c.learner.gate_z)).ok())
      return s;
    if (!(s = ReadDouble(o, "evidence_floor", p, 0, 1e6,
                         &c.learner.evidence_floor))
             .ok())
      return s;
    if (!(s = ReadDouble(o, "evidence_half_life", p, 0, 1e9,
                         &c.learner.evidence_half_life))
             .ok())
      return s;
  }
  if (!(s = ReadHeadArray(root, "objective_weights", r, -1000, 1000,
                          &c.objective_weights))
           .ok())
    return s;
  if (!(s = ReadDouble(root, "seen_penalty", r, 0, 1000, &c.seen_penalty)).ok())
    return s;
  if (!(s = ReadDouble(root, "negative_penalty", r, 0, 1000,
                       &c.negative_penalty))
           .ok())
    return s;
  if (!(s = ReadDouble(root, "tag_negative_share", r, 0, 1,
                       &c.tag_negative_share))
           .ok())
    return s;
  if (!(s = ReadBool(root, "explain", r, &c.explain)).ok()) return s;
  if (!(s = ParsePipelineConfigJson(root, r, &c.pipeline)).ok()) return s;
  s = ValidateConfig(c);
  if (!s.ok()) return s;
  if (warnings) {
    // Every key ConfigToJson writes is a key ParseConfig reads.
    static const json* const kKnown =
        new json(json::parse(ConfigToJson(RankerConfig{})));
    UnknownKeys(root, *kKnown, r, warnings);
  }
  return c;
}

std::string ConfigToJson(const RankerConfig& c) {
  json j;
  j["embedding_dim"] = c.embedding_dim;
  j["seed"] = c.seed;
  j["signals"] = {{"fast_swipe_ms", c.signals.fast_swipe_ms},
                  {"fast_velocity", c.signals.fast_velocity},
                  {"velocity_share", c.signals.velocity_share},
                  {"watch_ratio_cap", c.signals.watch_ratio_cap},
                  {"finish_ratio", c.signals.finish_ratio},
                  {"fast_swipe_negative", c.signals.fast_swipe_negative}};
  const ProfileConfig& p = c.profile;
  j["profile"] = {{"max_features", p.max_features},
                  {"frequency_gate", p.frequency_gate},
                  {"confidence_k", p.confidence_k},
                  {"feature_half_life_ms", p.feature_half_life_ms},
                  {"feature_expiry_ms", p.feature_expiry_ms},
                  {"long_half_life_ms", p.long_half_life_ms},
                  {"session_half_life_ms", p.session_half_life_ms},
                  {"negative_half_life_ms", p.negative_half_life_ms},
                  {"max_seen_items", p.max_seen_items},
                  {"max_event_log", p.max_event_log},
                  {"max_known_items", p.max_known_items}};
  j["learner"] = {
      {"sparse", FtrlJson(c.learner.sparse)},
      {"dense", FtrlJson(c.learner.dense)},
      {"level", FtrlJson(c.learner.level)},
      {"interest", FtrlJson(c.learner.interest)},
      {"head_rate", HeadArrayJson(c.learner.head_rate)},
      {"explicit_negative_weight", c.learner.explicit_negative_weight},
      {"interest_rate", c.learner.interest_rate},
      {"gate_z", c.learner.gate_z},
      {"evidence_floor", c.learner.evidence_floor},
      {"evidence_half_life", c.learner.evidence_half_life}};
  j["objective_weights"] = HeadArrayJson(c.objective_weights);
  j["seen_penalty"] = c.seen_penalty;
  j["negative_penalty"] = c.negative_penalty;
  j["tag_negative_share"] = c.tag_negative_share;
  j["explain"] = c.explain;
  WritePipelineConfigJson(c.pipeline, &j);
  return j.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace reelrank
