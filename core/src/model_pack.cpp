#include "reelrank/model_pack.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "reelrank/feature_table.h"

namespace reelrank {
namespace {
using json = nlohmann::json;
}  // namespace

ModelPack DefaultModelPack() {
  ModelPack p;
  auto set = [&p](Head h, double bias, double prior, double il, double is) {
    p.heads[static_cast<int>(h)] = HeadWeights{bias, prior, il, is};
  };
  set(Head::kContinue, 1.0, 1.0, 0.0, 0.0);
  set(Head::kWatchRatio, -1.0, 1.0, 0.0, 0.0);
  set(Head::kFinish, -1.0, 1.0, 0.0, 0.0);
  set(Head::kLike, -3.0, 0.5, 0.0, 0.0);
  set(Head::kFollow, -5.0, 0.5, 0.0, 0.0);
  set(Head::kShare, -5.0, 0.5, 0.0, 0.0);
  set(Head::kComment, -5.0, 0.5, 0.0, 0.0);
  set(Head::kNegative, -2.5, 0.0, 0.0, 0.0);
  return p;
}

Result<ModelPack> ParseModelPack(const std::string& text) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded())
    return Status::Invalid("model_pack", "malformed JSON");
  if (!root.is_object())
    return Status::Invalid("model_pack", "expected a JSON object");
  auto fmt = root.find("format");
  if (fmt != root.end() &&
      (!fmt->is_string() || fmt->get<std::string>() != "reelrank-model-pack")) {
    return Status::Invalid("model_pack.format",
                           "expected \"reelrank-model-pack\"");
  }
  auto ver = root.find("version");
  if (ver == root.end() || !ver->is_number_integer()) {
    return Status::Invalid("model_pack.version", "expected an integer");
  }
  if (ver->get<int64_t>() != 1) {
    return Status(StatusCode::kUnimplemented,
                  "model_pack.version: unsupported version " + ver->dump() +
                      " (this build reads version 1)");
  }
  ModelPack pack = DefaultModelPack();
  auto name = root.find("name");
  if (name != root.end()) {
    if (!name->is_string())
      return Status::Invalid("model_pack.name", "expected a string");
    pack.name = name->get<std::string>();
  }
  auto heads = root.find("heads");
  if (heads != root.end()) {
    if (!heads->is_object())
      return Status::Invalid("model_pack.heads", "expected an object");
    for (auto it = heads->begin(); it != heads->end(); ++it) {
      const std::string hf = "model_pack.heads." + it.key();
      Result<Head> h = ParseHead(it.key(), hf);
      if (!h.ok()) return h.status();
      if (!it->is_object()) return Status::Invalid(hf, "expected an object");
      const int hi = static_cast<int>(h.value());
      HeadWeights& w = pack.heads[hi];
      struct Field {
        const char* key;
        double* out;
      } fields[] = {{"bias", &w.bias},
                    {"prior", &w.prior},
                    {"interest_long", &w.interest_long},
                    {"interest_session", &w.interest_session}};
      for (const Field& f : fields) {
        auto v = it->find(f.key);
        if (v == it->end()) continue;
        if (!v->is_number() || !std::isfinite(v->get<double>()) ||
            std::fabs(v->get<double>()) > 1e4) {
          return Status::Invalid(hf + "." + f.key,
                                 "expected a finite number in [-1e4, 1e4]");
        }
        *f.out = v->get<double>();
      }
      if (h.value() == Head::kNegative ? w.prior > 0 : w.prior < 0) {
        return Status::Invalid(
            hf + ".prior",
            h.value() == Head::kNegative
                ? "must be <= 0 so an empty profile keeps the server order"
                : "must be >= 0 so an empty profile keeps the server order");
      }
      auto sp = it->find("sparse");
      if (sp == it->end()) continue;
      if (!sp->is_object())
        return Status::Invalid(hf + ".sparse", "expected an object");
      for (auto s = sp->begin(); s != sp->end(); ++s) {
        const std::string sf = hf + ".sparse." + s.key();
        if (s.key().empty()) return Status::Invalid(sf, "empty feature name");
        if (!s->is_number() || !std::isfinite(s->get<double>()) ||
            std::fabs(s->get<double>()) > 1e4) {
          return Status::Invalid(sf, "expected a finite number in [-1e4, 1e4]");
        }
        auto& arr = pack.sparse_by_name[s.key()];
        arr[hi] = static_cast<float>(s->get<double>());
      }
    }
  }
  for (const auto& kv : pack.sparse_by_name)
    pack.sparse[FeatureKey(kv.first)] = kv.second;
  return pack;
}

std::string ModelPackToJson(const ModelPack& pack) {
  json heads = json::object();
  for (int h = 0; h < kNumHeads; ++h) {
    const HeadWeights& w = pack.heads[h];
    json o = {{"bias", w.bias},
              {"prior", w.prior},
              {"interest_long", w.interest_long},
              {"interest_session", w.interest_session}};
    json sp = json::object();
    for (const auto& kv : pack.sparse_by_name) {
      if (kv.second[h] != 0.0f)
        sp[kv.first] = static_cast<double>(kv.second[h]);
    }
    if (!sp.empty()) o["sparse"] = sp;
    heads[HeadName(static_cast<Head>(h))] = o;
  }
  json root = {{"format", "reelrank-model-pack"},
               {"version", pack.version},
               {"name", pack.name},
               {"heads", heads}};
  return root.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace reelrank
