#include "marshal.h"

#include <emscripten/val.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/event.h"
#include "reelrank/explain.h"
#include "reelrank/heads.h"
#include "reelrank/policy.h"

namespace reelrank_wasm {

using emscripten::val;
using nlohmann::json;
using reelrank::Candidate;
using reelrank::Status;

val ErrorValue(const Status& status) {
  return val::global("Error").new_(val(status.ToString()));
}

val StatusValue(const Status& status) {
  return status.ok() ? val::null() : ErrorValue(status);
}

namespace {

// Reads an optional string field; a present non-string is an error.
Status ReadString(const json& o, const char* key, const std::string& field,
                  std::string* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Status::Ok();
  if (!it->is_string())
    return Status::Invalid(field + "." + key, "must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ReadNumber(const json& o, const char* key, const std::string& field,
                  double* out) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return Status::Ok();
  if (!it->is_number())
    return Status::Invalid(field + "." + key, "must be a number");
  *out = it->get<double>();
  return Status::Ok();
}

Status CandidateFromJson(const json& o, const std::string& field,
                         Candidate* c) {
  if (!o.is_object()) return Status::Invalid(field, "must be an object");
  Status s;
  if (!(s = ReadString(o, "id", field, &c->id)).ok()) return s;
  if (!(s = ReadString(o, "author", field, &c->author)).ok()) return s;
  if (!(s = ReadString(o, "category", field, &c->category)).ok()) return s;
  if (!(s = ReadString(o, "sound", field, &c->sound)).ok()) return s;
  if (!(s = ReadString(o, "caption", field, &c->caption)).ok()) return s;
  if (!(s = ReadString(o, "region", field, &c->region)).ok()) return s;
  double num = 0;
  if (!(s = ReadNumber(o, "duration_ms", field, &num)).ok()) return s;
  c->duration_ms = static_cast<int64_t>(num);
  num = 0;
  if (!(s = ReadNumber(o, "created_at", field, &num)).ok()) return s;
  c->created_at_ms = static_cast<int64_t>(num);
  num = c->server_score;
  if (!(s = ReadNumber(o, "server_score", field, &num)).ok()) return s;
  c->server_score = num;
  auto maturity = o.find("maturity");
  if (maturity != o.end() && !maturity->is_null()) {
    if (maturity->is_number_integer()) {
      c->maturity = static_cast<reelrank::Maturity>(maturity->get<int>());
    } else if (maturity->is_string() && *maturity == "general") {
      c->maturity = reelrank::Maturity::kGeneral;
    } else if (maturity->is_string() && *maturity == "teen") {
      c->maturity = reelrank::Maturity::kTeen;
    } else if (maturity->is_string() && *maturity == "mature") {
      c->maturity = reelrank::Maturity::kMature;
    } else {
      return Status::Invalid(field + ".maturity",
                             "must be 0, 1, 2, \"general\", \"teen\" or "
                             "\"mature\"");
    }
  }
  auto tags = o.find("tags");
  if (tags != o.end() && !tags->is_null()) {
    if (!tags->is_array())
      return Status::Invalid(field + ".tags", "must be an array of strings");
    for (size_t i = 0; i < tags->size(); ++i) {
      if (!(*tags)[i].is_string()) {
        return Status::Invalid(field + ".tags[" + std::to_string(i) + "]",
                               "must be a string");
      }
      c->tags.push_back((*tags)[i].get<std::string>());
    }
  }
  auto safety = o.find("safety");
  if (safety != o.end() && !safety->is_null()) {
    if (!safety->is_object()) {
      return Status::Invalid(field + ".safety",
                             "must be an object of label: confidence");
    }
    for (auto it = safety->begin(); it != safety->end(); ++it) {
      if (!it->is_number()) {
        return Status::Invalid(field + ".safety." + it.key(),
                               "must be a number");
      }
      c->safety.push_back({it.key(), it->get<float>()});
    }
  }
  return Status::Ok();
}

}  // namespace

Status CandidatesFromJs(const std::string& text, const val& embeddings, int dim,
                        std::vector<Candidate>* out,
                        std::vector<int>* source_index,
                        std::vector<reelrank::Rejection>* rejected) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    return Status::Invalid("candidates", "must be a JSON array");
  }
  // One bulk copy of every embedding row.
  std::vector<float> flat;
  if (!embeddings.isUndefined() && !embeddings.isNull()) {
    flat = emscripten::convertJSArrayToNumberVector<float>(embeddings);
  }
  size_t row = 0;
  out->reserve(doc.size());
  source_index->reserve(doc.size());
  for (size_t i = 0; i < doc.size(); ++i) {
    const std::string field = "candidates[" + std::to_string(i) + "]";
    Candidate c;
    Status s = CandidateFromJson(doc[i], field, &c);
    const bool has_embedding = doc[i].is_object() && doc[i].value("e", 0) == 1;
    if (s.ok() && doc[i].is_object() && doc[i].contains("e_len")) {
      s = Status::Invalid(field + ".embedding",
                          "expected " + std::to_string(dim) + " floats, got " +
                              doc[i]["e_len"].dump());
    }
    if (has_embedding) {
      const size_t begin = row * static_cast<size_t>(dim);
      ++row;
      if (s.ok() && begin + dim > flat.size()) {
        s = Status::Invalid(field + ".embedding",
                            "missing from the embedding buffer");
      } else if (s.ok()) {
        c.embedding.assign(flat.begin() + begin, flat.begin() + begin + dim);
      }
    }
    if (!s.ok()) {
      rejected->push_back({static_cast<int>(i), s});
      continue;
    }
    out->push_back(std::move(c));
    source_index->push_back(static_cast<int>(i));
  }
  return Status::Ok();
}

reelrank::Result<reelrank::Context> ContextFromJson(const std::string& text) {
  reelrank::Context ctx;
  if (text.empty()) return ctx;
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid("context", "must be a JSON object");
  }
  double num = 0;
  Status s;
  if (!(s = ReadNumber(doc, "now_ms", "context", &num)).ok()) return s;
  ctx.now_ms = static_cast<int64_t>(num);
  num = ctx.hour_of_day;
  if (!(s = ReadNumber(doc, "hour_of_day", "context", &num)).ok()) return s;
  ctx.hour_of_day = static_cast<int>(num);
  num = ctx.session_depth;
  if (!(s = ReadNumber(doc, "session_depth", "context", &num)).ok()) return s;
  ctx.session_depth = static_cast<int>(num);
  num = static_cast<int>(ctx.surface);
  if (!(s = ReadNumber(doc, "surface", "context", &num)).ok()) return s;
  ctx.surface = static_cast<reelrank::Surface>(static_cast<int>(num));
  return ctx;
}

namespace {

// A short human-readable name of what a contribution is attributed to.
std::string ContributionLabel(const reelrank::Contribution& k,
                              const Candidate* candidate) {
  using reelrank::ContributionKind;
  static const Candidate kNone;
  const Candidate& c = candidate ? *candidate : kNone;
  switch (k.kind) {
    case ContributionKind::kTag:
      return k.index >= 0 && k.index < static_cast<int>(c.tags.size())
                 ? "#" + c.tags[k.index]
                 : "tag";
    case ContributionKind::kAuthor:
      return "@" + c.author;
    case ContributionKind::kSound:
      return "sound " + c.sound;
    case ContributionKind::kCategory:
      return c.category;
    case ContributionKind::kCross:
      return k.index == 0 ? c.category + " x duration" : c.category + " x hour";
    case ContributionKind::kDuration:
      return "duration";
    case ContributionKind::kPrior:
      return "server score";
    case ContributionKind::kInterestLong:
      return "long-term interests";
    case ContributionKind::kInterestSession:
      return "this session";
    case ContributionKind::kNotInterested:
      return "not interested";
    case ContributionKind::kSeen:
      return "already seen";
    case ContributionKind::kBias:
      return "bias";
  }
  return "";
}

template <typename T>
val TypedArrayCopy(const char* type, const std::vector<T>& data) {
  val out = val::global(type).new_(data.size());
  if (!data.empty()) {
    out.call<void>(
        "set", val(emscripten::typed_memory_view(data.size(), data.data())));
  }
  return out;
}

val ContributionsToJs(const reelrank::ScoredCandidate& s,
                      const Candidate* candidate) {
  val list = val::array();
  for (int k = 0; k < s.num_contributions; ++k) {
    const reelrank::Contribution& c = s.contributions[k];
    val item = val::object();
    item.set("kind", std::string(reelrank::ContributionKindName(c.kind)));
    item.set("label", ContributionLabel(c, candidate));
    item.set("value", c.value);
    list.call<void>("push", item);
  }
  return list;
}

val PipelineToJs(const reelrank::ScoredCandidate& s) {
  val out = val::object();
  out.set("action", std::string(reelrank::PolicyActionName(s.action)));
  out.set("ruleId", s.rule_id);
  out.set("policyMultiplier", s.policy_multiplier);
  out.set("interstitial", s.interstitial);
  out.set("explored", s.explored);
  out.set("preDiversityRank", s.pre_diversity_rank);
  return out;
}

}  // namespace

val RankResultToJs(const reelrank::RankResult& result,
                   const std::vector<Candidate>& ranked_input,
                   const std::vector<int>& source_index,
                   std::vector<reelrank::Rejection> rejected) {
  const size_t n = result.ranked.size();
  constexpr int kHeads = reelrank::kNumHeads;
  std::vector<int32_t> order(n);
  std::vector<double> values(n);
  std::vector<float> heads(n * kHeads);
  std::vector<uint8_t> seen(n);
  val contributions = val::array();
  val pipeline = val::array();
  for (size_t i = 0; i < n; ++i) {
    const reelrank::ScoredCandidate& s = result.ranked[i];
    order[i] = source_index[s.index];
    values[i] = s.value;
    seen[i] = s.seen ? 1 : 0;
    std::copy(s.heads.begin(), s.heads.end(), heads.begin() + i * kHeads);
    contributions.call<void>("push",
                             ContributionsToJs(s, &ranked_input[s.index]));
    pipeline.call<void>("push", PipelineToJs(s));
  }
  // The core names fields by its own input positions; rename them to the
  // caller's positions.
  for (const auto& r : result.rejected) {
    const int original = source_index[r.index];
    std::string message = r.status.message();
    const std::string core_name = "candidates[" + std::to_string(r.index) + "]";
    if (message.compare(0, core_name.size(), core_name) == 0) {
      message.replace(0, core_name.size(),
                      "candidates[" + std::to_string(original) + "]");
    }
    rejected.push_back({original, Status(r.status.code(), message)});
  }
  std::sort(rejected.begin(), rejected.end(),
            [](const reelrank::Rejection& a, const reelrank::Rejection& b) {
              return a.index < b.index;
            });
  val rejected_js = val::array();
  for (const auto& r : rejected) {
    val item = val::object();
    item.set("index", r.index);
    item.set("code", std::string(reelrank::StatusCodeName(r.status.code())));
    item.set("message", r.status.message());
    rejected_js.call<void>("push", item);
  }
  val out = val::object();
  out.set("order", TypedArrayCopy("Int32Array", order));
  out.set("values", TypedArrayCopy("Float64Array", values));
  out.set("heads", TypedArrayCopy("Float32Array", heads));
  out.set("seen", TypedArrayCopy("Uint8Array", seen));
  val dropped_js = val::array();
  for (const reelrank::DroppedCandidate& d : result.dropped) {
    val item = val::object();
    item.set("index", source_index[d.index]);
    item.set("ruleId", d.rule_id);
    item.set("source", std::string(reelrank::RuleSourceName(d.source)));
    item.set("reason", d.reason);
    dropped_js.call<void>("push", item);
  }
  out.set("contributions", contributions);
  out.set("pipeline", pipeline);
  out.set("rejected", rejected_js);
  out.set("dropped", dropped_js);
  return out;
}

// ---- RankerHandle -----------------------------------------------------------

RankerHandle::RankerHandle(const std::string& config_json) {
  auto config = reelrank::ParseConfig(config_json);
  if (!config.ok()) {
    init_status_ = config.status();
    return;
  }
  auto ranker = reelrank::Ranker::Create(config.value());
  if (!ranker.ok()) {
    init_status_ = ranker.status();
    return;
  }
  ranker_ = std::move(ranker).value();
}

val RankerHandle::initError() const { return StatusValue(init_status_); }

int RankerHandle::embeddingDim() const {
  return ranker_->config().embedding_dim;
}

std::string RankerHandle::configJson() const {
  return reelrank::ConfigToJson(ranker_->config());
}

val RankerHandle::rank(const std::string& candidates_json,
                       const val& embeddings, const std::string& context_json) {
  std::vector<Candidate> candidates;
  std::vector<int> source_index;
  std::vector<reelrank::Rejection> rejected;
  Status s = CandidatesFromJs(candidates_json, embeddings,
                              ranker_->config().embedding_dim, &candidates,
                              &source_index, &rejected);
  if (!s.ok()) return ErrorValue(s);
  auto context = ContextFromJson(context_json);
  if (!context.ok()) return ErrorValue(context.status());
  return RankResultToJs(ranker_->Rank(candidates, context.value()), candidates,
                        source_index, std::move(rejected));
}

val RankerHandle::observe(const std::string& event_id,
                          const std::string& item_id, const std::string& kind,
                          double timestamp_ms, double dwell_ms,
                          double velocity) {
  auto parsed = reelrank::ParseEventKind(kind, "event.kind");
  if (!parsed.ok()) return ErrorValue(parsed.status());
  reelrank::Event e;
  e.event_id = event_id;
  e.item_id = item_id;
  e.kind = parsed.value();
  e.timestamp_ms = static_cast<int64_t>(timestamp_ms);
  e.dwell_ms = static_cast<int64_t>(dwell_ms);
  e.velocity = static_cast<float>(velocity);
  return StatusValue(ranker_->Observe(e));
}

std::string RankerHandle::exportProfile() const {
  return ranker_->ExportProfile();
}

val RankerHandle::importProfile(const std::string& json) {
  return StatusValue(ranker_->ImportProfile(json));
}

val RankerHandle::forget(const std::string& event_id) {
  return StatusValue(ranker_->Forget(event_id));
}

void RankerHandle::reset() { ranker_->Reset(); }

void RankerHandle::pauseLearning(bool paused) {
  ranker_->PauseLearning(paused);
}

bool RankerHandle::learningPaused() const { return ranker_->learning_paused(); }

val RankerHandle::setObjectiveWeights(const std::string& json) {
  return StatusValue(ranker_->SetObjectiveWeights(json));
}

val RankerHandle::objectiveWeights() const {
  val out = val::object();
  const auto& w = ranker_->config().objective_weights;
  for (int h = 0; h < reelrank::kNumHeads; ++h) {
    out.set(reelrank::HeadName(static_cast<reelrank::Head>(h)), w[h]);
  }
  return out;
}

val RankerHandle::loadModelPack(const std::string& json) {
  return StatusValue(ranker_->LoadModelPack(json));
}

std::string RankerHandle::modelPackJson() const {
  return ranker_->ModelPackJson();
}

val RankerHandle::topInterests(int k) const {
  val out = val::array();
  for (const reelrank::Interest& i : ranker_->TopInterests(k)) {
    val item = val::object();
    item.set("name", i.name);
    item.set("weight", i.weight);
    item.set("sightings", i.sightings);
    out.call<void>("push", item);
  }
  return out;
}

val RankerHandle::stats() const {
  const reelrank::ProfileStats s = ranker_->Stats();
  val out = val::object();
  out.set("features", s.features);
  out.set("seenItems", s.seen_items);
  out.set("eventLog", s.event_log);
  out.set("knownItems", s.known_items);
  out.set("events", static_cast<double>(s.events));
  out.set("views", static_cast<double>(s.views));
  return out;
}

val RankerHandle::setPolicy(const std::string& json) {
  return StatusValue(ranker_->SetPolicy(json));
}

std::string RankerHandle::policyJson() const { return ranker_->PolicyJson(); }

val RankerHandle::setUserControls(const std::string& json) {
  return StatusValue(ranker_->SetUserControls(json));
}

std::string RankerHandle::userControlsJson() const {
  return ranker_->UserControlsJson();
}

val RankerHandle::next(const std::string& context_json) {
  auto context = ContextFromJson(context_json);
  if (!context.ok()) return ErrorValue(context.status());
  const reelrank::NextItem item = ranker_->Next(context.value());
  if (!item.found) return val::null();
  const reelrank::ScoredCandidate& s = item.scored;
  val out = PipelineToJs(s);
  out.set("id", item.id);
  out.set("value", s.value);
  std::vector<float> heads(s.heads.begin(), s.heads.end());
  out.set("heads", TypedArrayCopy("Float32Array", heads));
  out.set("contributions", ContributionsToJs(s, nullptr));
  out.set("seen", s.seen);
  return out;
}

val RankerHandle::explain(const std::string& id) const {
  auto e = ranker_->Explain(id);
  if (!e.ok()) return ErrorValue(e.status());
  return val(reelrank::ExplanationToJson(e.value()));
}

}  // namespace reelrank_wasm
