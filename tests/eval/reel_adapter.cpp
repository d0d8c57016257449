#include "reel_adapter.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "reelrank/signals.h"

namespace reelrank {
namespace eval {
namespace {

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double Logit(double p) {
  p = std::min(std::max(p, 1e-4), 1.0 - 1e-4);
  return std::log(p / (1.0 - p));
}

// Ridge-regularised logistic regression (labels in [0, 1]) by Newton's
// method on a few dense features (Gaussian elimination on the Hessian).
std::vector<double> FitLogistic(const std::vector<std::vector<double>>& x,
                                const std::vector<double>& y, double ridge,
                                const std::vector<double>& weight = {}) {
  const int d = x.empty() ? 0 : static_cast<int>(x[0].size());
  std::vector<double> w(d, 0.0);
  std::vector<double> g(d);
  std::vector<std::vector<double>> m(d, std::vector<double>(d + 1));
  for (int iter = 0; iter < 30 && d > 0; ++iter) {
    for (auto& row : m) std::fill(row.begin(), row.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      double z = 0.0;
      for (int a = 0; a < d; ++a) z += w[a] * x[i][a];
      const double p = Sigmoid(z);
      const double wi = weight.empty() ? 1.0 : weight[i];
      const double r = (p - y[i]) * wi;
      const double s = std::max(p * (1.0 - p), 1e-9) * wi;
      for (int a = 0; a < d; ++a) {
        if (x[i][a] == 0.0) continue;
        g[a] += r * x[i][a];
        for (int b = 0; b < d; ++b) m[a][b] += s * x[i][a] * x[i][b];
      }
    }
    for (int a = 0; a < d; ++a) {
      m[a][a] += ridge;
      m[a][d] = g[a] + ridge * w[a];
    }
    for (int col = 0; col < d; ++col) {
      int piv = col;
      for (int r = col + 1; r < d; ++r) {
        if (std::fabs(m[r][col]) > std::fabs(m[piv][col])) piv = r;
      }
      if (std::fabs(m[piv][col]) < 1e-12) continue;
      std::swap(m[col], m[piv]);
      for (int r = 0; r < d; ++r) {
        if (r == col) continue;
        const double f = m[r][col] / m[col][col];
        for (int c = col; c <= d; ++c) m[r][c] -= f * m[col][c];
      }
    }
    double change = 0.0;
    for (int a = 0; a < d; ++a) {
      const double step = std::fabs(m[a][a]) > 1e-12 ? m[a][d] / m[a][a] : 0.0;
      w[a] -= step;
      change = std::max(change, std::fabs(step));
    }
    if (change < 1e-8) break;
  }
  return w;
}

}  // namespace

MapFeatures ReelUnderTest::MapInputs(const Candidate& c,
                                     const ScoredCandidate& s) const {
  const double prior = Logit(c.server_score);
  if (c.duration_ms >= kLongViewMs) return {1.0, prior, 0.0};
  const double finish = Logit(s.heads[HeadIndex(Head::kFinish)]) -
                        (finish_bias_ + finish_prior_ * prior);
  return {1.0, prior, finish};
}

ReelUnderTest::ReelUnderTest(const std::string& config_json) {
  if (!config_json.empty()) {
    Result<RankerConfig> c = ParseConfig(config_json);
    if (c.ok()) {
      config_ = c.value();
    } else {
      status_ = c.status();
    }
  }
  ResetUser();
}

std::string ReelUnderTest::TrainPack(const std::vector<UserSequence>& others) {
  // Per head: a global logistic model of the head's label (the core's own
  // signals) on [1, logit(server_score), duration-bucket one-hot] over every
  // shown item of the other users.
  const bool with_dur = std::getenv("REELRANK_EVAL_PACK_DUR") != nullptr;
  std::vector<std::vector<double>> x;
  std::vector<Labels> labels;
  for (const UserSequence& u : others) {
    for (size_t i = 0; i < u.candidates.size(); ++i) {
      const Candidate& c = u.candidates[i];
      ViewState v;
      v.duration_ms = c.duration_ms;
      for (const Event& e : u.events[i]) AccumulateEvent(e, &v);
      labels.push_back(ComputeLabels(v, config_.signals));
      std::vector<double> f = {1.0, Logit(c.server_score)};
      if (with_dur) {
        const int b = PackDurationBucket(c.duration_ms);
        for (int k = 0; k < kPackDurationBuckets; ++k) f.push_back(k == b);
      }
      x.push_back(std::move(f));
    }
  }
  nlohmann::json heads = nlohmann::json::object();
  for (int h = 0; h < kNumHeads; ++h) {
    std::vector<double> y;
    y.reserve(labels.size());
    for (const Labels& l : labels) y.push_back(l.value[h]);
    const std::vector<double> w = FitLogistic(x, y, 1.0);
    if (w.empty()) continue;
    const bool negative = static_cast<Head>(h) == Head::kNegative;
    nlohmann::json hw;
    hw["bias"] = w[0];
    hw["prior"] = negative ? std::min(0.0, w[1]) : std::max(0.0, w[1]);
    if (static_cast<Head>(h) == Head::kFinish) {
      finish_bias_ = w[0];
      finish_prior_ = hw["prior"].get<double>();
    }
    if (with_dur) {
      nlohmann::json sparse = nlohmann::json::object();
      for (int k = 0; k < kPackDurationBuckets; ++k) {
        sparse["dur:" + std::to_string(k)] = w[2 + k];
      }
      hw["sparse"] = sparse;
    }
    heads[HeadName(static_cast<Head>(h))] = hw;
  }
  nlohmann::json pack = {{"format", "reelrank-model-pack"},
                         {"version", 1},
                         {"name", "kuairand-eval-fold"},
                         {"heads", heads}};
  return pack.dump();
}

void ReelUnderTest::Prepare(const std::vector<UserSequence>& others) {
  map_fitted_ = false;
  pack_json_.clear();
  if (std::getenv("REELRANK_EVAL_NO_PACK") == nullptr) {
    pack_json_ = TrainPack(others);
  }
  const int64_t rejected_before = rejected_events_;
  const std::string first_before = first_rejection_;
  // Reelrank's prequential outputs on the other users.
  std::vector<std::vector<MapFeatures>> xs;
  std::vector<std::vector<int>> ys;
  for (const UserSequence& u : others) {
    ResetUser();
    xs.emplace_back();
    ys.emplace_back();
    for (size_t i = 0; i < u.candidates.size(); ++i) {
      RankResult r = ranker_->Rank({u.candidates[i]}, u.contexts[i]);
      if (r.ranked.empty()) continue;
      xs.back().push_back(MapInputs(u.candidates[i], r.ranked[0]));
      ys.back().push_back(u.long_view[i]);
      Observe(u.events[i]);
    }
  }
  // 1) Ranking weights of [logit(server score), personal finish delta]:
  //    pairwise logistic loss on (long view, not) pairs of the same user,
  //    each user weighted by its impressions, as in GAUC.
  std::vector<std::vector<double>> px;
  std::vector<double> py, pw;
  for (size_t u = 0; u < xs.size(); ++u) {
    std::vector<size_t> pos, neg;
    for (size_t i = 0; i < ys[u].size(); ++i)
      (ys[u][i] ? pos : neg).push_back(i);
    if (pos.empty() || neg.empty()) continue;
    const double w = static_cast<double>(ys[u].size()) /
                     static_cast<double>(pos.size() * neg.size());
    for (size_t a : pos) {
      for (size_t b : neg) {
        std::vector<double> d(kMapFeatures - 1);
        for (int f = 1; f < kMapFeatures; ++f)
          d[f - 1] = xs[u][a][f] - xs[u][b][f];
        px.push_back(std::move(d));
        py.push_back(1.0);
        pw.push_back(w);
      }
    }
  }
  if (!px.empty()) {
    const std::vector<double> rw = FitLogistic(px, py, 1.0, pw);
    // 2) Calibration: P(long view) = sigmoid(a + b * ranking score).
    std::vector<std::vector<double>> cx;
    std::vector<double> cy;
    for (size_t u = 0; u < xs.size(); ++u) {
      for (size_t i = 0; i < xs[u].size(); ++i) {
        double z = 0.0;
        for (int f = 1; f < kMapFeatures; ++f) z += rw[f - 1] * xs[u][i][f];
        cx.push_back({1.0, z});
        cy.push_back(ys[u][i]);
      }
    }
    const std::vector<double> cal = FitLogistic(cx, cy, 1e-3);
    map_w_[0] = cal[0];
    for (int f = 1; f < kMapFeatures; ++f) map_w_[f] = cal[1] * rw[f - 1];

    map_fitted_ = true;
  }
  rejected_events_ = rejected_before;  // count evaluated users' events only
  first_rejection_ = first_before;
  ResetUser();
}

void ReelUnderTest::ResetUser() {
  ranker_ = std::make_unique<Ranker>(config_);
  if (!pack_json_.empty()) {
    Status s = ranker_->LoadModelPack(pack_json_);
    if (!s.ok() && status_.ok()) status_ = s;
  }
}

int PackDurationBucket(int64_t ms) {
  // The core's duration buckets (feature_table.h): <7 s, 7-15, 15-30, 30-60,
  // 60-120, 120-300, >= 300 s.
  static constexpr int64_t kEdges[] = {7000,  15000,  30000,
                                       60000, 120000, 300000};
  int b = 0;
  while (b < 6 && ms >= kEdges[b]) ++b;
  return b;
}

double ReelUnderTest::MapToLongView(const MapFeatures& x) const {
  if (!map_fitted_) return Sigmoid(x[1]);
  double z = 0.0;
  for (int a = 0; a < kMapFeatures; ++a) z += map_w_[a] * x[a];
  return Sigmoid(z);
}

std::vector<ReelScore> ReelUnderTest::Score(
    const std::vector<Candidate>& candidates, const Context& context) {
  std::vector<ReelScore> out(candidates.size());
  RankResult r = ranker_->Rank(candidates, context);
  for (size_t pos = 0; pos < r.ranked.size(); ++pos) {
    const ScoredCandidate& sc = r.ranked[pos];
    ReelScore& s = out[sc.index];
    s.value = sc.value;
    s.p_long_view = MapToLongView(MapInputs(candidates[sc.index], sc));
    s.rank = static_cast<int>(pos);
    s.heads = sc.heads;
  }
  // Rejected candidates (none expected) go last in input order.
  int next = static_cast<int>(r.ranked.size());
  for (const Rejection& rej : r.rejected) {
    out[rej.index].rank = next++;
    out[rej.index].p_long_view = candidates[rej.index].server_score;
  }
  return out;
}

void ReelUnderTest::Observe(const std::vector<Event>& events) {
  for (const Event& e : events) {
    Status s = ranker_->Observe(e);
    if (!s.ok()) {
      if (rejected_events_ == 0) first_rejection_ = s.ToString();
      ++rejected_events_;
    }
  }
}

std::string ReelUnderTest::Describe() const {
  std::string d = "reelrank defaults";
  d += pack_json_.empty()
           ? "; default model pack"
           : "; model pack (head bias + prior) fitted on other users";
  if (!status_.ok()) d += " (config rejected: " + status_.ToString() + ")";
  d += map_fitted_ ? "; P(long view) map fitted on other users"
                   : "; P(long view) = server score";
  return d;
}

}  // namespace eval
}  // namespace reelrank
