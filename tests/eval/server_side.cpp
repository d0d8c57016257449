#include "server_side.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "metrics.h"
#include "reelrank/model_pack.h"
#include "reelrank/trainer.h"
#include "views_jsonl.h"

namespace reelrank {
namespace eval {
namespace {

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

// The pack reelrank_train would make from the cases' logged views: each view
// as a JSON line (views_jsonl.h) through the command's own PackTrainer.
std::string FitPack(const std::vector<UserCase>& cases,
                    const SignalConfig& signals,
                    std::vector<std::string>* lines) {
  TrainerOptions o;
  o.name = "kuairand-eval-fold";
  o.signals = signals;
  PackTrainer trainer(o);
  for (const UserCase& u : cases) {
    for (size_t i = 0; i < u.size(); ++i) {
      std::string line = ViewLine(u, i);
      const Status s = trainer.AddLine(line);
      if (!s.ok()) {
        throw std::runtime_error("eval: converted view rejected: " +
                                 s.message());
      }
      if (lines != nullptr) lines->push_back(std::move(line));
    }
  }
  Result<ModelPack> pack = trainer.Fit();
  if (!pack.ok()) throw std::runtime_error(pack.status().message());
  return ModelPackToJson(pack.value());
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
  if (options.with_pack) {
    s.pack_json = FitPack(cases, options.signals,
                          options.keep_view_lines ? &s.view_lines : nullptr);
  }
  return s;
}

}  // namespace eval
}  // namespace reelrank
