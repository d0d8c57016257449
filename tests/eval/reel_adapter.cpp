#include "reel_adapter.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace reelrank {
namespace eval {
namespace {

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double Logit(double p) {
  p = std::min(std::max(p, 1e-4), 1.0 - 1e-4);
  return std::log(p / (1.0 - p));
}

// Ridge-regularised logistic regression by Newton's method on a few dense
// features (Gaussian elimination on the small Hessian).
std::array<double, kMapFeatures> FitLogistic(const std::vector<MapFeatures>& x,
                                             const std::vector<int>& y,
                                             double ridge) {
  constexpr int d = kMapFeatures;
  std::array<double, d> w{};
  for (int iter = 0; iter < 25; ++iter) {
    double g[d] = {0};
    double h[d][d] = {{0}};
    for (size_t i = 0; i < x.size(); ++i) {
      double z = 0.0;
      for (int a = 0; a < d; ++a) z += w[a] * x[i][a];
      const double p = Sigmoid(z);
      const double r = p - y[i];
      const double s = std::max(p * (1.0 - p), 1e-9);
      for (int a = 0; a < d; ++a) {
        g[a] += r * x[i][a];
        for (int b = 0; b < d; ++b) h[a][b] += s * x[i][a] * x[i][b];
      }
    }
    for (int a = 0; a < d; ++a) {
      g[a] += ridge * w[a];
      h[a][a] += ridge;
    }
    // Solve h * step = g.
    double m[d][d + 1];
    for (int a = 0; a < d; ++a) {
      for (int b = 0; b < d; ++b) m[a][b] = h[a][b];
      m[a][d] = g[a];
    }
    for (int col = 0; col < d; ++col) {
      int piv = col;
      for (int r = col + 1; r < d; ++r) {
        if (std::fabs(m[r][col]) > std::fabs(m[piv][col])) piv = r;
      }
      if (std::fabs(m[piv][col]) < 1e-12) continue;
      for (int c = 0; c <= d; ++c) std::swap(m[col][c], m[piv][c]);
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

// Experiment aid: REELRANK_EVAL_MAP_MASK="11011111" keeps map features whose
// digit is 1 (default: all).
MapFeatures Masked(MapFeatures x) {
  static const char* mask = std::getenv("REELRANK_EVAL_MAP_MASK");
  if (mask) {
    for (int a = 0; a < kMapFeatures && mask[a]; ++a) {
      if (mask[a] == '0') x[a] = 0.0;
    }
  }
  return x;
}

MapFeatures LongViewMapFeatures(const Candidate& c, const ScoredCandidate& s) {
  const double shortv = c.duration_ms < 18000 ? 1.0 : 0.0;
  const double wr = Logit(s.heads[HeadIndex(Head::kWatchRatio)]);
  const double fin = Logit(s.heads[HeadIndex(Head::kFinish)]);
  return {1.0,
          Logit(c.server_score),
          Logit(s.heads[HeadIndex(Head::kContinue)]),
          wr,
          fin,
          Logit(s.heads[HeadIndex(Head::kNegative)]),
          shortv * wr,
          shortv * fin};
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

void ReelUnderTest::Prepare(const std::vector<UserSequence>& others) {
  map_fitted_ = false;
  const int64_t rejected_before = rejected_events_;
  const std::string first_before = first_rejection_;
  std::vector<MapFeatures> x;
  std::vector<int> y;
  for (const UserSequence& u : others) {
    ResetUser();
    for (size_t i = 0; i < u.candidates.size(); ++i) {
      RankResult r = ranker_->Rank({u.candidates[i]}, u.contexts[i]);
      if (r.ranked.empty()) continue;
      x.push_back(Masked(LongViewMapFeatures(u.candidates[i], r.ranked[0])));
      y.push_back(u.long_view[i]);
      Observe(u.events[i]);
    }
  }
  if (!x.empty()) {
    map_w_ = FitLogistic(x, y, 1.0);
    map_fitted_ = true;
  }
  rejected_events_ = rejected_before;  // count evaluated users' events only
  first_rejection_ = first_before;
  ResetUser();
}

void ReelUnderTest::ResetUser() { ranker_ = std::make_unique<Ranker>(config_); }

double ReelUnderTest::MapToLongView(const MapFeatures& x) const {
  if (!map_fitted_) return Sigmoid(x[1]);  // the server score
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
    s.p_long_view =
        MapToLongView(Masked(LongViewMapFeatures(candidates[sc.index], sc)));
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
  if (!status_.ok()) d += " (config rejected: " + status_.ToString() + ")";
  d += map_fitted_ ? "; P(long view) map fitted on other users"
                   : "; P(long view) = server score";
  return d;
}

}  // namespace eval
}  // namespace reelrank
