// What a server learns from the users it has logs of (the training users of
// a fold), never from the evaluated users:
//   - the prior (PriorModel, trained on all training users), whose P(long
//     view) is each evaluated candidate's server_score;
//   - the debiased gain's duration bins and play distributions;
//   - the affinity baseline's population rates and its strength m, chosen by
//     5-fold cross-validation within the training users;
//   - the model pack, made by reelrank_train's PackTrainer from the
//     training users' logged views (views_jsonl.h) whose server scores are
//     cross-fitted: each training user's scores come from a prior that did
//     not see that user (5 parts of the training users).
#ifndef REELRANK_EVAL_SERVER_SIDE_H_
#define REELRANK_EVAL_SERVER_SIDE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "baselines.h"
#include "dataset.h"
#include "gains.h"
#include "prior.h"
#include "reelrank/signals.h"

namespace reelrank {
namespace eval {

struct ServerOptions {
  uint64_t seed = 1;
  PriorOptions prior;
  // Labels of the pack's heads (the evaluated config's signals).
  SignalConfig signals;
  bool with_pack = true;
  // Keep the JSON lines the pack was fitted on (ServerSide::view_lines).
  bool keep_view_lines = false;
};

struct ServerSide {
  PriorModel prior;
  DebiasTable debias;
  PopulationRates rates;
  double affinity_m = 10.0;
  std::string pack_json;                // empty without a pack
  std::vector<std::string> view_lines;  // when keep_view_lines
  int users = 0;
};

// Cross-fitting parts within a training set.
constexpr int kCrossFitParts = 5;

ServerSide BuildServerSide(const std::vector<const UserLog*>& train,
                           const VideoMap& videos,
                           const ServerOptions& options);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_SERVER_SIDE_H_
