#include "baselines.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "metrics.h"

namespace reelrank {
namespace eval {
namespace {

double Logit(double p) {
  p = std::min(std::max(p, 1e-6), 1.0 - 1e-6);
  return std::log(p / (1.0 - p));
}

}  // namespace

void PopulationRates::Add(const AffinityKeys& keys, bool long_view) {
  const double y = long_view ? 1.0 : 0.0;
  all_.rows += 1.0;
  all_.pos += y;
  for (const std::string& k : keys) {
    Count& c = by_key_[k];
    c.rows += 1.0;
    c.pos += y;
  }
}

double PopulationRates::overall() const {
  return (all_.pos + 1.0) / (all_.rows + 2.0);
}

double PopulationRates::Rate(const std::string& key) const {
  const double p0 = overall();
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return p0;
  return (it->second.pos + kPopulationShrink * p0) /
         (it->second.rows + kPopulationShrink);
}

const std::vector<double>& AffinityStrengths() {
  static const std::vector<double> kM = {1, 2, 5, 10, 20, 50, 100, 1e9};
  return kM;
}

std::vector<double> AffinityScores(
    const std::vector<const AffinityKeys*>& seen,
    const std::vector<int>& seen_y,
    const std::vector<const AffinityKeys*>& items,
    const std::vector<double>& item_prior, const PopulationRates& population,
    double m) {
  struct Count {
    double rows = 0.0, pos = 0.0;
  };
  std::unordered_map<std::string, Count> user;
  for (size_t i = 0; i < seen.size(); ++i) {
    for (const std::string& k : *seen[i]) {
      Count& c = user[k];
      c.rows += 1.0;
      c.pos += seen_y[i] ? 1.0 : 0.0;
    }
  }
  std::vector<double> out(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    double z = Logit(item_prior[i]);
    for (const std::string& k : *items[i]) {
      auto it = user.find(k);
      if (it == user.end()) continue;
      const double p = population.Rate(k);
      const double r = (it->second.pos + m * p) / (it->second.rows + m);
      z += Logit(r) - Logit(p);
    }
    out[i] = z;
  }
  return out;
}

std::vector<int> ShortestFirstOrder(const std::vector<int64_t>& durations_ms,
                                    const std::vector<double>& prior) {
  std::vector<int> idx(durations_ms.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
    if (durations_ms[a] != durations_ms[b])
      return durations_ms[a] < durations_ms[b];
    return prior[a] > prior[b];
  });
  return idx;
}

double RandomNdcg(const std::vector<double>& gains, int k, int shuffles,
                  std::mt19937_64* rng) {
  std::vector<int> perm(gains.size());
  double sum = 0.0;
  for (int t = 0; t < shuffles; ++t) {
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), *rng);
    const double x = NdcgAtK(perm, gains, k);
    if (std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
    sum += x;
  }
  return shuffles > 0 ? sum / shuffles
                      : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace eval
}  // namespace reelrank
