#include "metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace reelrank {
namespace eval {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double Auc(const std::vector<double>& scores, const std::vector<int>& labels) {
  const size_t n = scores.size();
  if (n != labels.size() || n == 0) return kNaN;
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), size_t{0});
  std::sort(idx.begin(), idx.end(),
            [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of the (1-based, tie-averaged) ranks of the positives.
  double rank_sum = 0.0;
  int64_t pos = 0;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) ++j;
    const double avg_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (size_t t = i; t <= j; ++t) {
      if (labels[idx[t]] != 0) {
        rank_sum += avg_rank;
        ++pos;
      }
    }
    i = j + 1;
  }
  const int64_t neg = static_cast<int64_t>(n) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  const double p = static_cast<double>(pos);
  return (rank_sum - p * (p + 1.0) / 2.0) / (p * static_cast<double>(neg));
}

GroupAucResult GroupAuc(const std::vector<UserScores>& users) {
  GroupAucResult r;
  double sum = 0.0;
  for (const UserScores& u : users) {
    const double auc = Auc(u.scores, u.labels);
    if (std::isnan(auc)) continue;
    const int64_t w = static_cast<int64_t>(u.scores.size());
    sum += auc * static_cast<double>(w);
    r.weight += w;
    ++r.users;
  }
  r.gauc = r.weight > 0 ? sum / static_cast<double>(r.weight) : kNaN;
  return r;
}

double LogLoss(const std::vector<double>& p, const std::vector<int>& labels,
               double eps) {
  if (p.empty() || p.size() != labels.size()) return kNaN;
  double sum = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double q = std::min(std::max(p[i], eps), 1.0 - eps);
    sum -= labels[i] != 0 ? std::log(q) : std::log(1.0 - q);
  }
  return sum / static_cast<double>(p.size());
}

double DcgAtK(const std::vector<int>& order, const std::vector<double>& gains,
              int k) {
  double dcg = 0.0;
  const int m = std::min(k, static_cast<int>(order.size()));
  for (int i = 0; i < m; ++i) {
    dcg += gains[order[i]] / std::log2(static_cast<double>(i) + 2.0);
  }
  return dcg;
}

double NdcgAtK(const std::vector<int>& order, const std::vector<double>& gains,
               int k) {
  std::vector<int> ideal = OrderByScore(gains);
  const double idcg = DcgAtK(ideal, gains, k);
  if (!(idcg > 0.0)) return kNaN;
  return DcgAtK(order, gains, k) / idcg;
}

std::vector<int> OrderByScore(const std::vector<double>& scores) {
  std::vector<int> idx(scores.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(),
                   [&](int a, int b) { return scores[a] > scores[b]; });
  return idx;
}

PairedDiff PairedDifference(const std::vector<double>& a,
                            const std::vector<double>& b) {
  std::vector<double> w(a.size(), 1.0);
  return WeightedPairedDifference(a, b, w);
}

PairedDiff WeightedPairedDifference(const std::vector<double>& a,
                                    const std::vector<double>& b,
                                    const std::vector<double>& w) {
  PairedDiff r;
  const size_t n = std::min(a.size(), std::min(b.size(), w.size()));
  double sw = 0.0, swd = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i]) || !(w[i] > 0.0)) continue;
    sw += w[i];
    swd += w[i] * (a[i] - b[i]);
    ++r.n;
  }
  if (r.n == 0) {
    r.mean = r.se = kNaN;
    return r;
  }
  r.mean = swd / sw;
  if (r.n < 2) {
    r.se = kNaN;
    return r;
  }
  double ss = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i]) || !(w[i] > 0.0)) continue;
    const double e = w[i] * (a[i] - b[i] - r.mean);
    ss += e * e;
  }
  r.se = std::sqrt(ss * r.n / (r.n - 1.0)) / sw;
  return r;
}

double MeanDefined(const std::vector<double>& x) {
  double s = 0.0;
  int n = 0;
  for (double v : x) {
    if (std::isnan(v)) continue;
    s += v;
    ++n;
  }
  return n > 0 ? s / n : kNaN;
}

}  // namespace eval
}  // namespace reelrank
