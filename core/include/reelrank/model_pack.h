// ModelPack: global (non-personal) head weights, shipped by the operator.
//
// Trained offline on aggregate data; personal learning adds per-user deltas
// on top (personal weight = global + delta; FTRL shrinks the delta toward 0),
// and Ranker::Reset() returns to the pack. Versioned JSON:
//
//   {"format": "reelrank-model-pack", "version": 1, "name": "kuairand-v3",
//    "heads": {
//      "watch_ratio": {"bias": -1.0, "prior": 1.0, "interest_long": 1.0,
//                      "interest_session": 1.0,
//                      "sparse": {"dur:3": 0.2, "tag:cooking": 0.1}},
//      ...}}
//
// Missing heads and fields keep the defaults (DefaultModelPack). Sparse names
// are FeatureTable names ("tag:x", "author:x", "sound:x", "category:x",
// "dur:<0..6>", "cat_dur:<category>|<bucket>", "cat_hour:<category>|<0..3>").
// So that an empty profile keeps the server's order, `prior` must be >= 0 on
// every head except "negative", where it must be <= 0.
#ifndef REELRANK_MODEL_PACK_H_
#define REELRANK_MODEL_PACK_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "reelrank/heads.h"
#include "reelrank/key_hash.h"
#include "reelrank/status.h"

namespace reelrank {

struct HeadWeights {
  double bias = 0.0;           // logit offset
  double prior = 1.0;          // coefficient of logit(server_score)
  // Coefficients of cos(long-term interest, item) and cos(session interest,
  // item); the device learns a personal delta on top.
  double interest_long = 0.0;
  double interest_session = 0.0;
};

struct ModelPack {
  int version = 1;
  std::string name = "default";
  std::array<HeadWeights, kNumHeads> heads{};
  // Global sparse weights per head, by readable name and by FeatureKey(name).
  std::map<std::string, std::array<float, kNumHeads>> sparse_by_name;
  std::unordered_map<uint64_t, std::array<float, kNumHeads>, KeyHash> sparse;
};

// The built-in pack: positive heads follow the prior (coefficient 1 for
// continue/watch_ratio/finish, 0.5 for the engagements), the negative head
// ignores it; the interest similarities start at 0 (their coefficients are
// learned on the device).
ModelPack DefaultModelPack();

// Parses and validates. kUnimplemented for an unknown format version;
// kInvalidArgument naming the field otherwise.
Result<ModelPack> ParseModelPack(const std::string& json);
std::string ModelPackToJson(const ModelPack& pack);

}  // namespace reelrank

#endif  // REELRANK_MODEL_PACK_H_
