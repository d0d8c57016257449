#include "evaluate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

#include "baselines.h"
#include "metrics.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace eval {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr ListSpec kLists[2] = {kList10, kList20};
inline int ListOfK(int ki) { return KOnList20(ki) ? 1 : 0; }

const std::vector<double>& GainRows(const UserCase& u, int gain,
                                    std::vector<double>* lv) {
  if (gain == kGainWatchRatio) return u.watch_ratio;
  if (gain == kGainDebiased) return u.debiased;
  lv->assign(u.long_view.begin(), u.long_view.end());
  return *lv;
}

// The rows' gains from `start` on.
std::vector<double> Tail(const std::vector<double>& v, int start) {
  return std::vector<double>(v.begin() + start, v.end());
}

double RowLogLoss(double p, int y) {
  const double q = std::min(std::max(p, 1e-7), 1.0 - 1e-7);
  return y ? -std::log(q) : -std::log(1.0 - q);
}

// Input indices in the result's order; dropped and rejected candidates
// (never shown) follow in input order.
std::vector<int> OrderOf(const RankResult& r, size_t n) {
  std::vector<int> order;
  order.reserve(n);
  std::vector<bool> placed(n, false);
  for (const ScoredCandidate& s : r.ranked) {
    order.push_back(s.index);
    placed[s.index] = true;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!placed[i]) order.push_back(static_cast<int>(i));
  }
  return order;
}

// Mean of the first `k` entries of gains[order[...]].
double MeanOfFirst(const std::vector<int>& order,
                   const std::vector<double>& gains, int k) {
  double s = 0.0;
  for (int i = 0; i < k && i < static_cast<int>(order.size()); ++i) {
    s += gains[order[i]];
  }
  return s / k;
}

// The loop's four figures from the picked rows (-1 = nothing shown).
void LoopFigures(const std::vector<int>& picks, const UserCase& u,
                 double out[kLoopMetrics]) {
  double lv[2] = {0, 0}, deb[2] = {0, 0};
  for (int s = 0; s < kLoopSteps && s < static_cast<int>(picks.size()); ++s) {
    if (picks[s] < 0) continue;
    for (int h = 0; h < 2; ++h) {
      if (s < (h == 0 ? 10 : 20)) {
        lv[h] += u.long_view[picks[s]];
        deb[h] += u.debiased[picks[s]];
      }
    }
  }
  out[kLoopLv10] = lv[0] / 10.0;
  out[kLoopLv20] = lv[1] / 20.0;
  out[kLoopDeb10] = deb[0] / 10.0;
  out[kLoopDeb20] = deb[1] / 20.0;
}

// Replays the feed loop; returns the picked rows (-1: Next found nothing).
std::vector<int> ReplayLoop(const UserCase& u, const RankerConfig& config,
                            const std::string& pack_json, ReelRecord* rec,
                            CallTrace* trace) {
  Ranker r(config);
  if (!pack_json.empty()) {
    Status s = r.LoadModelPack(pack_json);
    if (!s.ok() && rec->first_error.empty()) rec->first_error = s.ToString();
  }
  std::unordered_map<std::string, int> row_of;
  for (size_t i = 0; i < u.size(); ++i) {
    row_of[u.candidates[i].id] = static_cast<int>(i);
  }
  PreparedBatch batch = r.Prepare(u.candidates);
  const Context start = u.contexts[0];
  Context ctx = start;
  ctx.session_depth = 0;
  const RankResult first = r.Rank(batch, ctx);  // registers every row
  if (trace != nullptr) trace->Rank(u.candidates, ctx, first);
  int64_t clock = start.now_ms;
  std::vector<int> picks;
  for (int step = 0; step < kLoopSteps; ++step) {
    ctx.now_ms = clock;
    ctx.hour_of_day = static_cast<int>(
        (start.hour_of_day + (clock - start.now_ms) / 3600000) % 24);
    ctx.session_depth = step;
    const NextItem next = r.Next(ctx);
    if (trace != nullptr) trace->Next(ctx, next);
    auto it = next.found ? row_of.find(next.id) : row_of.end();
    if (it == row_of.end()) {
      ++rec->loop_dry_steps;
      picks.push_back(-1);
      clock += 1000;
      continue;
    }
    const int row = it->second;
    picks.push_back(row);
    LogRow logged = *u.log->rows[row];
    logged.time_ms = clock;
    for (const Event& e :
         RowToEvents(logged, u.duration_ms[row],
                     "loop" + std::to_string(step) + "." + next.id)) {
      Status s = r.Observe(e);
      if (trace != nullptr) trace->Observe(e, s);
      if (!s.ok()) {
        if (rec->first_error.empty()) rec->first_error = s.ToString();
        ++rec->rejected_events;
      }
    }
    clock += std::max<int64_t>(0, logged.play_ms) + 1000;
  }
  return picks;
}

}  // namespace

const char* GainKey(int gain) {
  static const char* kKeys[kGains] = {"long_view", "watch_ratio", "debiased"};
  return kKeys[gain];
}

const char* LoopMetricKey(int m) {
  static const char* kKeys[kLoopMetrics] = {"lv10", "lv20", "deb10", "deb20"};
  return kKeys[m];
}

BaseRecord EvaluateBaselines(const UserCase& u, double affinity_m,
                             const PopulationRates& rates, uint64_t seed) {
  BaseRecord b;
  b.user_id = u.log->user_id;
  const int n = static_cast<int>(u.size());
  b.rows = n;
  std::vector<double> prior(n);
  for (int i = 0; i < n; ++i) prior[i] = u.candidates[i].server_score;
  b.auc_prior = Auc(prior, u.long_view);
  b.ll_prior_sum = 0.0;
  for (int i = 0; i < n; ++i)
    b.ll_prior_sum += RowLogLoss(prior[i], u.long_view[i]);

  std::mt19937_64 rng(Mix(seed) ^ Mix(static_cast<uint64_t>(u.log->user_id)));
  std::vector<double> lv_rows;
  for (int g = 0; g < kGains; ++g) {
    const std::vector<double>& rows = GainRows(u, g, &lv_rows);
    for (int l = 0; l < 2; ++l) {
      const ListSpec& spec = kLists[l];
      if (!spec.Eligible(n)) {
        b.prior[g][l] = b.random[g][l] = b.shortest[g][l] = b.oracle[g][l] =
            kNaN;
        continue;
      }
      const std::vector<double> gains = Tail(rows, spec.start);
      const std::vector<double> p = Tail(prior, spec.start);
      const std::vector<int64_t> dur(u.duration_ms.begin() + spec.start,
                                     u.duration_ms.end());
      b.prior[g][l] = NdcgAtK(OrderByScore(p), gains, kNdcgAt);
      b.random[g][l] = RandomNdcg(gains, kNdcgAt, kRandomShuffles, &rng);
      b.shortest[g][l] = NdcgAtK(ShortestFirstOrder(dur, p), gains, kNdcgAt);
      b.oracle[g][l] = NdcgAtK(OrderByScore(gains), gains, kNdcgAt);
    }
    for (int ki = 0; ki < kNumK; ++ki) {
      const ListSpec& spec = kLists[ListOfK(ki)];
      if (!spec.Eligible(n)) {
        b.affinity[g][ki] = kNaN;
        continue;
      }
      std::vector<const AffinityKeys*> seen, items;
      std::vector<int> seen_y;
      for (int i = 0; i < kObserved[ki]; ++i) {
        seen.push_back(&u.keys[i]);
        seen_y.push_back(u.long_view[i]);
      }
      for (int i = spec.start; i < n; ++i) items.push_back(&u.keys[i]);
      b.affinity[g][ki] = NdcgAtK(
          OrderByScore(AffinityScores(
              seen, seen_y, items, Tail(prior, spec.start), rates, affinity_m)),
          Tail(rows, spec.start), kNdcgAt);
    }
  }

  b.loop = n >= kLoopMinRows;
  for (int m = 0; m < kLoopMetrics; ++m) {
    b.loop_prior[m] = b.loop_random[m] = b.loop_oracle[m] = kNaN;
  }
  if (b.loop) {
    const std::vector<int> greedy = OrderByScore(prior);
    LoopFigures(greedy, u, b.loop_prior);
    std::vector<double> lv(u.long_view.begin(), u.long_view.end());
    const double lv_mean = std::accumulate(lv.begin(), lv.end(), 0.0) / n;
    const double deb_mean =
        std::accumulate(u.debiased.begin(), u.debiased.end(), 0.0) / n;
    b.loop_random[kLoopLv10] = b.loop_random[kLoopLv20] = lv_mean;
    b.loop_random[kLoopDeb10] = b.loop_random[kLoopDeb20] = deb_mean;
    const std::vector<int> best_lv = OrderByScore(lv);
    const std::vector<int> best_deb = OrderByScore(u.debiased);
    b.loop_oracle[kLoopLv10] = MeanOfFirst(best_lv, lv, 10);
    b.loop_oracle[kLoopLv20] = MeanOfFirst(best_lv, lv, 20);
    b.loop_oracle[kLoopDeb10] = MeanOfFirst(best_deb, u.debiased, 10);
    b.loop_oracle[kLoopDeb20] = MeanOfFirst(best_deb, u.debiased, 20);
  }
  return b;
}

ReelRecord EvaluateReel(const UserCase& u, const RankerConfig& feed,
                        const RankerConfig& exploit,
                        const std::string& pack_json, CallTrace* prequential,
                        CallTrace* loop) {
  ReelRecord rec;
  const int n = static_cast<int>(u.size());
  Ranker r(feed);
  if (!pack_json.empty()) {
    Status s = r.LoadModelPack(pack_json);
    if (!s.ok()) rec.first_error = s.ToString();
  }
  PreparedBatch lists[2];
  for (int l = 0; l < 2; ++l) {
    if (kLists[l].Eligible(n)) {
      lists[l] = r.Prepare(std::vector<Candidate>(
          u.candidates.begin() + kLists[l].start, u.candidates.end()));
    }
  }
  for (int g = 0; g < kGains; ++g) {
    for (int ki = 0; ki < kNumK; ++ki) rec.ndcg[g][ki] = kNaN;
  }
  std::vector<double> value(n), heads[kNumHeads];
  for (auto& h : heads) h.resize(n);
  std::vector<double> lv_rows;
  for (int i = 0; i < n; ++i) {
    for (int ki = 0; ki < kNumK; ++ki) {
      const ListSpec& spec = kLists[ListOfK(ki)];
      if (i != kObserved[ki] || !spec.Eligible(n)) continue;
      const PreparedBatch& batch = lists[ListOfK(ki)];
      const RankResult ranked = r.Rank(batch, u.contexts[spec.start]);
      if (prequential != nullptr) {
        prequential->Rank(
            std::vector<Candidate>(u.candidates.begin() + spec.start,
                                   u.candidates.end()),
            u.contexts[spec.start], ranked);
      }
      const std::vector<int> order = OrderOf(ranked, batch.size());
      for (int g = 0; g < kGains; ++g) {
        rec.ndcg[g][ki] =
            NdcgAtK(order, Tail(GainRows(u, g, &lv_rows), spec.start), kNdcgAt);
      }
    }
    const RankResult one = r.Rank({u.candidates[i]}, u.contexts[i]);
    if (prequential != nullptr) {
      prequential->Rank({u.candidates[i]}, u.contexts[i], one);
    }
    if (one.ranked.empty()) {
      // Dropped by the policy (never shown): the lowest value; the heads
      // fall back to the server score.
      ++rec.dropped;
      value[i] = -std::numeric_limits<double>::infinity();
      for (auto& h : heads) h[i] = u.candidates[i].server_score;
    } else {
      value[i] = one.ranked[0].value;
      for (int h = 0; h < kNumHeads; ++h) heads[h][i] = one.ranked[0].heads[h];
    }
    for (const Event& e : u.events[i]) {
      Status s = r.Observe(e);
      if (prequential != nullptr) prequential->Observe(e, s);
      if (!s.ok()) {
        if (rec.first_error.empty()) rec.first_error = s.ToString();
        ++rec.rejected_events;
      }
    }
  }
  rec.auc_value = Auc(value, u.long_view);
  for (int h = 0; h < kNumHeads; ++h) {
    rec.auc_head[h] = Auc(heads[h], u.long_view);
    rec.ll_head_sum[h] = 0.0;
    for (int i = 0; i < n; ++i) {
      rec.ll_head_sum[h] += RowLogLoss(heads[h][i], u.long_view[i]);
    }
  }
  for (int m = 0; m < kLoopMetrics; ++m) {
    rec.loop_feed[m] = rec.loop_exploit[m] = kNaN;
  }
  if (n >= kLoopMinRows) {
    LoopFigures(ReplayLoop(u, feed, pack_json, &rec, loop), u, rec.loop_feed);
    LoopFigures(ReplayLoop(u, exploit, pack_json, &rec, nullptr), u,
                rec.loop_exploit);
  }
  return rec;
}

}  // namespace eval
}  // namespace reelrank
