#include "server_side.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "metrics.h"
#include "reelrank/heads.h"

namespace reelrank {
namespace eval {
namespace {

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
double Logit(double p) {
  p = std::min(std::max(p, 1e-4), 1.0 - 1e-4);
  return std::log(p / (1.0 - p));
}

PriorModel TrainPrior(const std::vector<const UserLog*>& users,
                      const VideoMap& videos, const PriorOptions& base,
                      uint64_t seed) {
  std::vector<const LogRow*> rows;
  for (const UserLog* u : users) {
    rows.insert(rows.end(), u->rows.begin(), u->rows.end());
  }
  PriorOptions o = base;
  o.seed = seed;
  PriorModel m;
  m.Train(rows, videos, o);
  return m;
}

// Ridge-regularised logistic regression (labels in [0, 1]) by Newton's
// method on a few dense features.
std::vector<double> FitLogistic(const std::vector<std::vector<double>>& x,
                                const std::vector<double>& y, double ridge) {
  const int d = x.empty() ? 0 : static_cast<int>(x[0].size());
  std::vector<double> w(d, 0.0), g(d);
  std::vector<std::vector<double>> m(d, std::vector<double>(d + 1));
  for (int iter = 0; iter < 50 && d > 0; ++iter) {
    for (auto& row : m) std::fill(row.begin(), row.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i < x.size(); ++i) {
      double z = 0.0;
      for (int a = 0; a < d; ++a) z += w[a] * x[i][a];
      const double p = Sigmoid(z);
      const double s = std::max(p * (1.0 - p), 1e-9);
      for (int a = 0; a < d; ++a) {
        g[a] += (p - y[i]) * x[i][a];
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
    if (change < 1e-9) break;
  }
  return w;
}

// Per head: bias + prior coefficient of the core's own head label on
// logit(server_score), over every logged view of `cases`.
std::string FitPack(const std::vector<UserCase>& cases,
                    const SignalConfig& signals) {
  std::vector<std::vector<double>> x;
  std::vector<Labels> labels;
  for (const UserCase& u : cases) {
    for (size_t i = 0; i < u.size(); ++i) {
      ViewState v;
      v.duration_ms = u.candidates[i].duration_ms;
      for (const Event& e : u.events[i]) AccumulateEvent(e, &v);
      labels.push_back(ComputeLabels(v, signals));
      x.push_back({1.0, Logit(u.candidates[i].server_score)});
    }
  }
  nlohmann::json heads = nlohmann::json::object();
  for (int h = 0; h < kNumHeads; ++h) {
    std::vector<double> y;
    y.reserve(labels.size());
    for (const Labels& l : labels) y.push_back(l.value[h]);
    const bool negative = static_cast<Head>(h) == Head::kNegative;
    std::vector<double> w = FitLogistic(x, y, 1.0);
    if (w.size() != 2) continue;
    if (negative ? w[1] > 0.0 : w[1] < 0.0) {
      std::vector<std::vector<double>> x1;
      for (const auto& r : x) x1.push_back({r[0]});
      w = {FitLogistic(x1, y, 1.0)[0], 0.0};
    }
    heads[HeadName(static_cast<Head>(h))] = {{"bias", w[0]}, {"prior", w[1]}};
  }
  nlohmann::json pack = {{"format", "reelrank-model-pack"},
                         {"version", 1},
                         {"name", "kuairand-eval-fold"},
                         {"heads", heads}};
  return pack.dump();
}

// NDCG@10 of long view at k = 5 and 10 on the list rows, for each m of
// AffinityStrengths(), summed over users; the best m (ties: the larger m).
double ChooseAffinityStrength(
    const std::vector<UserCase>& cases,
    const std::vector<const PopulationRates*>& rates) {
  const std::vector<double>& ms = AffinityStrengths();
  std::vector<double> sum(ms.size(), 0.0);
  const int ks[] = {5, 10};
  for (size_t u = 0; u < cases.size(); ++u) {
    const UserCase& c = cases[u];
    const int n = static_cast<int>(c.size());
    if (!kList10.Eligible(n)) continue;
    std::vector<const AffinityKeys*> items;
    std::vector<double> prior, gain;
    for (int i = kList10.start; i < n; ++i) {
      items.push_back(&c.keys[i]);
      prior.push_back(c.candidates[i].server_score);
      gain.push_back(c.long_view[i]);
    }
    for (int k : ks) {
      std::vector<const AffinityKeys*> seen;
      std::vector<int> seen_y;
      for (int i = 0; i < k; ++i) {
        seen.push_back(&c.keys[i]);
        seen_y.push_back(c.long_view[i]);
      }
      for (size_t j = 0; j < ms.size(); ++j) {
        const double x =
            NdcgAtK(OrderByScore(AffinityScores(seen, seen_y, items, prior,
                                                *rates[u], ms[j])),
                    gain, 10);
        if (!std::isnan(x)) sum[j] += x;
      }
    }
  }
  size_t best = ms.size() - 1;
  for (size_t j = ms.size(); j-- > 0;) {
    if (sum[j] > sum[best] + 1e-12) best = j;
  }
  return ms[best];
}

void AddRates(const UserLog& u, const VideoMap& videos, PopulationRates* r) {
  for (const LogRow* row : u.rows) {
    const Video& v = videos.at(row->video_id);
    r->Add(AffinityKeysOf(v, KnownDurationMs(*row, v)), row->long_view);
  }
}

}  // namespace

ServerSide BuildServerSide(const std::vector<const UserLog*>& train,
                           const VideoMap& videos,
                           const ServerOptions& options) {
  ServerSide s;
  s.users = static_cast<int>(train.size());
  const uint64_t seed = SetSeed(train, options.seed);
  s.prior = TrainPrior(train, videos, options.prior, seed);
  std::vector<int64_t> durations, plays;
  for (const UserLog* u : train) {
    for (const LogRow* r : u->rows) {
      durations.push_back(KnownDurationMs(*r, videos.at(r->video_id)));
      plays.push_back(r->play_ms);
    }
    AddRates(*u, videos, &s.rates);
  }
  s.debias = DebiasTable::Fit(durations, plays);

  // Cross-fitted cases of the training users: part j scored by a prior
  // trained on the other parts.
  std::vector<std::vector<const UserLog*>> part(kCrossFitParts);
  for (const UserLog* u : train) {
    part[FoldOf(u->user_id, "crossfit", options.seed, kCrossFitParts)]
        .push_back(u);
  }
  std::vector<UserCase> cases;
  std::vector<PopulationRates> part_rates(kCrossFitParts);
  std::vector<const PopulationRates*> case_rates;
  for (int j = 0; j < kCrossFitParts; ++j) {
    if (part[j].empty()) continue;
    std::vector<const UserLog*> rest;
    for (int q = 0; q < kCrossFitParts; ++q) {
      if (q != j) rest.insert(rest.end(), part[q].begin(), part[q].end());
    }
    for (const UserLog* u : rest) AddRates(*u, videos, &part_rates[j]);
    const PriorModel p =
        TrainPrior(rest, videos, options.prior, SetSeed(rest, options.seed));
    for (const UserLog* u : part[j]) {
      cases.push_back(BuildCase(*u, videos, p, nullptr));
      case_rates.push_back(&part_rates[j]);
    }
  }
  s.affinity_m = ChooseAffinityStrength(cases, case_rates);
  if (options.with_pack) s.pack_json = FitPack(cases, options.signals);
  return s;
}

}  // namespace eval
}  // namespace reelrank
