#include "reelrank/trainer.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "reelrank/feature_table.h"
#include "reelrank/profile.h"
#include "scorer.h"

namespace reelrank {
namespace {

using json = nlohmann::json;

// Typed reads with field-named errors; each returns false after setting *s.
class Fields {
 public:
  Fields(const json& obj, std::string path, Status* s)
      : obj_(obj), path_(std::move(path)), s_(s) {}

  bool Known(std::initializer_list<const char*> names) {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      bool ok = false;
      for (const char* n : names) ok |= it.key() == n;
      if (!ok) return Fail(it.key(), "unknown field");
    }
    return true;
  }
  bool Str(const char* key, std::string* out) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return true;
    if (!it->is_string()) return Fail(key, "expected a string");
    *out = it->get<std::string>();
    return true;
  }
  bool Num(const char* key, double lo, double hi, double* out) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return true;
    if (!it->is_number()) return Fail(key, "expected a number");
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < lo || v > hi) {
      return Fail(key,
                  "must be a number in [" + Fmt(lo) + ", " + Fmt(hi) + "]");
    }
    *out = v;
    return true;
  }
  bool Int(const char* key, double lo, double hi, int64_t* out) {
    double v = static_cast<double>(*out);
    if (!Num(key, lo, hi, &v)) return false;
    if (v != std::floor(v)) return Fail(key, "expected an integer");
    *out = static_cast<int64_t>(v);
    return true;
  }
  bool Bool(const char* key, bool* out) {
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) return true;
    if (!it->is_boolean()) return Fail(key, "expected true or false");
    *out = it->get<bool>();
    return true;
  }
  bool Fail(const std::string& key, const std::string& why) {
    *s_ = Status::Invalid(path_ + "." + key, why);
    return false;
  }
  const json& obj() const { return obj_; }

 private:
  static std::string Fmt(double x) {
    char b[32];
    std::snprintf(b, sizeof(b), "%g", x);
    return b;
  }
  const json& obj_;
  std::string path_;
  Status* s_;
};

Status ParseCandidate(const json& j, Candidate* c) {
  if (!j.is_object()) return Status::Invalid("candidate", "expected an object");
  Status s;
  Fields f(j, "candidate", &s);
  if (!f.Known({"id", "author", "tags", "category", "sound", "caption",
                "region", "duration_ms", "created_at", "embedding", "safety",
                "maturity", "server_score"})) {
    return s;
  }
  double score = c->server_score;
  if (!f.Str("id", &c->id) || !f.Str("author", &c->author) ||
      !f.Str("category", &c->category) || !f.Str("sound", &c->sound) ||
      !f.Str("caption", &c->caption) || !f.Str("region", &c->region) ||
      !f.Int("duration_ms", 0, 1e15, &c->duration_ms) ||
      !f.Int("created_at", -1e15, 1e15, &c->created_at_ms) ||
      !f.Num("server_score", 0, 1, &score)) {
    return s;
  }
  c->server_score = score;
  if (auto it = j.find("tags"); it != j.end() && !it->is_null()) {
    if (!it->is_array())
      return Status::Invalid("candidate.tags", "expected an array");
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return Status::Invalid("candidate.tags[" + std::to_string(i) + "]",
                               "expected a string");
      }
      c->tags.push_back((*it)[i].get<std::string>());
    }
  }
  if (auto it = j.find("embedding"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) {
      return Status::Invalid("candidate.embedding", "expected an array");
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& x = (*it)[i];
      if (!x.is_number() || !std::isfinite(x.get<double>())) {
        return Status::Invalid("candidate.embedding[" + std::to_string(i) + "]",
                               "expected a finite number");
      }
      c->embedding.push_back(static_cast<float>(x.get<double>()));
    }
  }
  if (auto it = j.find("safety"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) {
      return Status::Invalid("candidate.safety", "expected an object");
    }
    for (auto l = it->begin(); l != it->end(); ++l) {
      if (!l->is_number()) {
        return Status::Invalid("candidate.safety." + l.key(),
                               "expected a number");
      }
      c->safety.push_back({l.key(), static_cast<float>(l->get<double>())});
    }
  }
  if (auto it = j.find("maturity"); it != j.end() && !it->is_null()) {
    static const char* kNames[] = {"general", "teen", "mature"};
    int m = -1;
    if (it->is_string()) {
      for (int k = 0; k < 3; ++k)
        m = it->get<std::string>() == kNames[k] ? k : m;
    } else if (it->is_number_integer()) {
      const int64_t v = it->get<int64_t>();
      m = v >= 0 && v <= 2 ? static_cast<int>(v) : -1;
    }
    if (m < 0) {
      return Status::Invalid("candidate.maturity",
                             "must be 0, 1, 2, \"general\", \"teen\" or "
                             "\"mature\"");
    }
    c->maturity = static_cast<Maturity>(m);
  }
  return ValidateCandidate(*c, static_cast<int>(c->embedding.size()),
                           "candidate");
}

Status ParseOutcome(const json& j, ViewOutcome* o) {
  if (!j.is_object()) return Status::Invalid("outcome", "expected an object");
  Status s;
  Fields f(j, "outcome", &s);
  int64_t replays = 0;
  if (!f.Known({"play_ms", "completed", "replays", "like", "follow", "share",
                "comment", "profile_visit", "not_interested", "report",
                "swipe_velocity"}) ||
      !f.Int("play_ms", 0, 1e15, &o->play_ms) ||
      !f.Bool("completed", &o->completed) ||
      !f.Int("replays", 0, 1e6, &replays) || !f.Bool("like", &o->like) ||
      !f.Bool("follow", &o->follow) || !f.Bool("share", &o->share) ||
      !f.Bool("comment", &o->comment) ||
      !f.Bool("profile_visit", &o->profile_visit) ||
      !f.Bool("not_interested", &o->not_interested) ||
      !f.Bool("report", &o->report) ||
      !f.Num("swipe_velocity", 0, 1e6, &o->swipe_velocity)) {
    return s;
  }
  o->replays = static_cast<int>(replays);
  return Status::Ok();
}

// Ridge-regularised logistic regression (labels in [0, 1]) by Newton's
// method; column 0 is the unpenalised bias. `fixed` (>= 0) pins that
// column's weight to `fixed_value`.
Eigen::VectorXd FitLogistic(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                            double ridge, int fixed, double fixed_value) {
  const int d = static_cast<int>(x.cols());
  Eigen::VectorXd w = Eigen::VectorXd::Zero(d);
  if (fixed >= 0) w[fixed] = fixed_value;
  for (int iter = 0; iter < 50; ++iter) {
    const Eigen::ArrayXd z = (x * w).array();
    const Eigen::ArrayXd p = 1.0 / (1.0 + (-z).exp());
    Eigen::VectorXd g = x.transpose() * (p - y.array()).matrix();
    const Eigen::ArrayXd s = (p * (1.0 - p)).max(1e-9);
    Eigen::MatrixXd h = x.transpose() * (x.array().colwise() * s).matrix();
    for (int a = 1; a < d; ++a) {
      h(a, a) += ridge;
      g[a] += ridge * w[a];
    }
    if (fixed >= 0) {  // no step on the pinned column
      h.row(fixed).setZero();
      h.col(fixed).setZero();
      h(fixed, fixed) = 1.0;
      g[fixed] = 0.0;
    }
    h.diagonal().array() += 1e-9;
    const Eigen::VectorXd step = h.ldlt().solve(g);
    w -= step;
    if (!w.allFinite()) return Eigen::VectorXd::Zero(d);
    if (step.cwiseAbs().maxCoeff() < 1e-10) break;
  }
  return w;
}

// The pack name of a candidate's duration feature ("dur:<bucket>").
std::string DurationFeature(const Candidate& c) {
  ItemSnapshot s;
  BuildItemSnapshot(c, 12, &s);
  for (const ItemFeature& f : s.features) {
    if (f.kind == FeatureKind::kDuration) return std::string(s.name(f));
  }
  return "";
}

// Duration features in a fixed order: the seven buckets, then photo posts.
const std::vector<std::string>& DurationFeatures() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> out;
    for (int64_t ms : {1000, 10000, 20000, 40000, 90000, 200000, 400000, 0}) {
      Candidate c;
      c.id = "x";
      c.duration_ms = ms;
      out.push_back(DurationFeature(c));
    }
    return out;
  }();
  return kNames;
}

}  // namespace

Status ParseLoggedView(std::string_view line, LoggedView* out) {
  *out = LoggedView{};
  if (line.size() > kMaxLoggedViewBytes) {
    return Status::Invalid("line", std::to_string(line.size()) +
                                       " bytes, limit " +
                                       std::to_string(kMaxLoggedViewBytes));
  }
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded()) return Status::Invalid("line", "malformed JSON");
  if (!j.is_object()) return Status::Invalid("line", "expected a JSON object");
  Status s;
  Fields f(j, "view", &s);
  if (!f.Known({"candidate", "outcome", "user", "time_ms"}) ||
      !f.Str("user", &out->user) ||
      !f.Int("time_ms", -1e15, 1e15, &out->time_ms)) {
    return s;
  }
  auto c = j.find("candidate");
  if (c == j.end()) return Status::Invalid("candidate", "missing");
  if (Status cs = ParseCandidate(*c, &out->candidate); !cs.ok()) return cs;
  auto o = j.find("outcome");
  if (o == j.end()) return Status::Invalid("outcome", "missing");
  return ParseOutcome(*o, &out->outcome);
}

Labels LabelsOf(const LoggedView& view, const SignalConfig& signals) {
  const ViewOutcome& o = view.outcome;
  ViewState v;
  v.duration_ms = view.candidate.duration_ms;
  v.max_dwell_ms = o.play_ms;
  v.completes = o.completed ? 1 : 0;
  v.replays = o.replays;
  v.liked = o.like;
  v.followed = o.follow;
  v.shared = o.share;
  v.commented = o.comment;
  v.profile_visit = o.profile_visit;
  v.not_interested = o.not_interested;
  v.reported = o.report;
  v.swiped = true;
  v.swipe_dwell_ms = o.play_ms;
  v.swipe_velocity = static_cast<float>(o.swipe_velocity);
  return ComputeLabels(v, signals);
}

PackTrainer::PackTrainer(const TrainerOptions& options) : options_(options) {}

Status PackTrainer::AddLine(std::string_view line) {
  LoggedView v;
  Status s = ParseLoggedView(line, &v);
  if (s.ok()) Add(v);
  return s;
}

void PackTrainer::Add(const LoggedView& view) {
  Row r;
  r.prior_logit = PriorLogit(view.candidate.server_score);
  const std::vector<std::string>& names = DurationFeatures();
  const std::string d = DurationFeature(view.candidate);
  r.duration_feature = static_cast<int>(
      std::find(names.begin(), names.end(), d) - names.begin());
  r.labels = LabelsOf(view, options_.signals);
  rows_.push_back(r);
}

Result<ModelPack> PackTrainer::Fit() const {
  if (rows_.empty()) {
    return Status(StatusCode::kFailedPrecondition,
                  "trainer: no valid logged view to fit");
  }
  const std::vector<std::string>& dur = DurationFeatures();
  const int nd = options_.duration_weights ? static_cast<int>(dur.size()) : 0;
  const int n = static_cast<int>(rows_.size());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(n, 2 + nd);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = 1.0;
    x(i, 1) = rows_[i].prior_logit;
    if (nd > 0 && rows_[i].duration_feature < nd)
      x(i, 2 + rows_[i].duration_feature) = 1.0;
  }
  ModelPack pack = DefaultModelPack();
  pack.name = options_.name;
  pack.sparse_by_name.clear();
  pack.sparse.clear();
  for (int h = 0; h < kNumHeads; ++h) {
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) y[i] = rows_[i].labels.value[h];
    Eigen::VectorXd w = FitLogistic(x, y, options_.ridge, -1, 0.0);
    // An empty profile must keep the server's order: refit with the prior
    // coefficient at the bound when the data wants the other sign.
    const bool negative = static_cast<Head>(h) == Head::kNegative;
    if (negative ? w[1] > 0.0 : w[1] < 0.0) {
      w = FitLogistic(x, y, options_.ridge, 1, 0.0);
    }
    HeadWeights& hw = pack.heads[h];
    hw.bias = w[0];
    hw.prior = w[1];
    for (int k = 0; k < nd; ++k) {
      if (w[2 + k] != 0.0)
        pack.sparse_by_name[dur[k]][h] = static_cast<float>(w[2 + k]);
    }
  }
  for (const auto& kv : pack.sparse_by_name)
    pack.sparse[FeatureKey(kv.first)] = kv.second;
  return pack;
}

}  // namespace reelrank
