// Private: scoring and learning over a Profile (shared by Rank, Observe,
// forget-replay and import-replay, so all of them compute identical bits).
#ifndef REELRANK_SRC_LEARNER_H_
#define REELRANK_SRC_LEARNER_H_

#include <array>
#include <cstdint>

#include "reelrank/config.h"
#include "reelrank/event.h"
#include "reelrank/model_pack.h"
#include "reelrank/profile.h"

namespace reelrank {

constexpr int kMaxItemFeatures = kMaxItemTags + 6;

// logit(clamp(score, 1e-4, 1 - 1e-4)).
double PriorLogit(double server_score);
// L2 norm of an interest vector (0 when empty).
double VectorNorm(const std::vector<float>& v);
// cos(unit embedding, v) given |v|; 0 when either is absent.
double InterestCos(const std::vector<float>& emb, const std::vector<float>& v,
                   double v_norm);

// Everything one scoring pass produces; terms are per-head logit terms.
struct ItemScore {
  std::array<double, kNumHeads> logit{};
  std::array<double, kNumHeads> p{};
  int num_features = 0;
  std::array<std::array<double, kNumHeads>, kMaxItemFeatures> feature_term{};
  std::array<double, kNumHeads> prior_term{};
  std::array<double, kNumHeads> long_term{};
  std::array<double, kNumHeads> session_term{};
  double author_negative = 0.0;  // decayed explicit negative on the author
  double tag_negative = 0.0;     // max decayed explicit negative on the tags
};

// Scores a snapshot against the profile at event time `now_ms` (0 = unknown:
// no time decay).
void ScoreItem(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
               const ItemSnapshot& s, int64_t now_ms, double long_norm,
               double session_norm, ItemScore* out);

// Learns one event about item `s` (deterministic, no clock, no RNG).
void ApplyEvent(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
                const Event& e, const std::shared_ptr<const ItemSnapshot>& s);

// Personal first-order effect of an entry on the value (for TopInterests).
double EntryValueEffect(const FeatureEntry& e, FeatureKind kind_hint,
                        const RankerConfig& cfg, int64_t now_ms);

}  // namespace reelrank

#endif  // REELRANK_SRC_LEARNER_H_
