#include "marshal.h"

#include <emscripten/val.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace reelrank_wasm {

using emscripten::val;
using nlohmann::json;
using reelrank::Candidate;
using reelrank::Status;

val ErrorValue(const Status& status) {
  return val::global("Error").new_(val(status.ToString()));
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
  num = 0;
  if (!(s = ReadNumber(o, "maturity", field, &num)).ok()) return s;
  c->maturity = static_cast<reelrank::Maturity>(static_cast<int>(num));
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
  return ctx;
}

val RankResultToJs(const reelrank::RankResult& result,
                   const std::vector<int>& source_index,
                   std::vector<reelrank::Rejection> rejected) {
  const size_t n = result.ranked.size();
  std::vector<int32_t> order(n);
  std::vector<double> values(n);
  for (size_t i = 0; i < n; ++i) {
    order[i] = source_index[result.ranked[i].index];
    values[i] = result.ranked[i].value;
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
  val out = val::object();
  val order_js = val::global("Int32Array").new_(n);
  order_js.call<void>("set",
                      val(emscripten::typed_memory_view(n, order.data())));
  val values_js = val::global("Float64Array").new_(n);
  values_js.call<void>("set",
                       val(emscripten::typed_memory_view(n, values.data())));
  val rejected_js = val::array();
  for (const auto& r : rejected) {
    val item = val::object();
    item.set("index", r.index);
    item.set("code", std::string(reelrank::StatusCodeName(r.status.code())));
    item.set("message", r.status.message());
    rejected_js.call<void>("push", item);
  }
  out.set("order", order_js);
  out.set("values", values_js);
  out.set("rejected", rejected_js);
  return out;
}

RankerHandle::RankerHandle(int embedding_dim, double seed) {
  reelrank::RankerConfig config;
  config.embedding_dim = embedding_dim;
  config.seed = static_cast<uint64_t>(seed);
  ranker_ = std::make_unique<reelrank::Ranker>(config);
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
  return RankResultToJs(ranker_->Rank(candidates, context.value()),
                        source_index, std::move(rejected));
}

}  // namespace reelrank_wasm
