// Private: the one formula of reelrank's model. Ranking, learning and the
// explanation of a ranking all compute an item's terms through this file, so
// they agree term for term.
//
// For head h and item x (l = logit of the server score, e = the item's unit
// embedding, or none):
//
//   z_h = bias_h + prior_h * l + sum_f G_fh           the model pack (global)
//       [+ level_h]                                    personal level
//       + g_h * ( delta_h * l + sum_f s_f * w_fh       personal terms, gated
//                 + cl_h * cos(u_long, e)
//                 + cs_h * cos(u_session, e) * a_session )
//   p_h = sigmoid(z_h),        value = sum_h objective_h * p_h
//
// bias_h, prior_h, G_fh, cl_h, cs_h come from the model pack (G_fh: the
// global weight of feature f); level_h = FtrlWeight(dense[h][kBias]) and
// delta_h = FtrlWeight(dense[h][kPrior]) are the profile's dense deltas;
// w_fh is feature f's FTRL weight in the profile and s_f its confidence x
// time-decay scale; u_long / u_session are the interest vectors (sums of the
// embeddings of viewed items weighted by how the view went, learner.cpp) and
// cl_h / cs_h their coefficients: the pack's plus a learned delta, so how much
// similarity predicts a head is itself learned (a fixed coefficient would
// make the model over-predict a loved topic and push that topic's own weight
// negative to compensate); a_session = 2^(-age / session half-life) fades a
// stale session; g_h in [0, 1] is the head's evidence gate.
//
// level_h is the user's overall rate of head h. It is part of both models
// learning compares (below) but not of the served value: it says how much
// this user does h, not which item, and a value that drifts with it would
// compare items scored at different times unfairly.
//
// The gate is how a personal term earns its weight. Every time head h learns
// from a view, it first scores the item twice, without the personal terms
// (the pack plus the user's level) and with them at full weight, and adds the
// log-loss the personal terms saved to a decayed per-head sum S_h (and its
// square to Q_h). z_h = S_h / sqrt(Q_h + floor^2) is the saving in standard
// errors (the floor, learner.evidence_floor nats, keeps a run of tiny savings
// from counting as proof) and
// g_h = clamp(z_h / learner.gate_z, 0, 1). A user whose personal terms
// predict no better than the prior keeps g = 0: the server's order (the pack
// is monotone in the server score). Both models learn from their own
// prediction: the level from the level model's residual, the personal terms
// from the full model's, so neither is fitted to the other's error.
//
// Serving uses the dense kernel (reelrank/dense_kernel.h) over a batch, with
// the sparse sums computed here; learning runs the same kernel on one item.
#ifndef REELRANK_SRC_SCORER_H_
#define REELRANK_SRC_SCORER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/dense_kernel.h"
#include "reelrank/model_pack.h"
#include "reelrank/profile.h"
#include "reelrank/signals.h"

namespace reelrank {

constexpr int kMaxItemFeatures = kMaxItemTags + 6;

// logit(clamp(score, 1e-4, 1 - 1e-4)).
double PriorLogit(double server_score);

// The clock the personal weights' time decay is read at: `now_ms` rounded
// down to the hour. Within one hour only learning changes a feature's
// weight, so sums of unchanged features stay valid.
int64_t DecayClock(int64_t now_ms);

// An entry's explicit negative (not interested / report) decayed to
// `now_ms`.
double NegativeAt(const FeatureEntry& e, const ProfileConfig& c,
                  int64_t now_ms);

// The evidence gate g_h of every head (see the banner).
std::array<float, kNumHeads> Gates(const Profile& p, const LearnerConfig& c);

// One feature's weights at one decay clock: the pack's global weights and the
// profile's scaled personal weights, per head.
struct FeatureWeights {
  const std::array<float, kNumHeads>* global = nullptr;
  bool has_personal = false;  // entry present and its scale != 0
  double negative = 0.0;      // decayed explicit negative (0 if none)
  std::array<double, kNumHeads> personal{};  // s_f * w_fh
};

// The global and (ungated) personal term of feature `f` for every head.
inline void FeatureTerms(const FeatureWeights& f, double* global,
                         double* personal) {
  for (int h = 0; h < kNumHeads; ++h) {
    global[h] = f.global ? (*f.global)[h] : 0.0;
    personal[h] = f.has_personal ? f.personal[h] : 0.0;
  }
}

// Memo of FeatureWeights for scoring many items against one unchanged
// profile, pack and config at one decay clock (one Rank call). Reset() before
// each use; storage is reused across calls.
class ScoreCache {
 public:
  void Reset(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
             int64_t now_ms);
  // Room for `n` more keys; Get() never grows the table, so references it
  // returned stay valid until the next Reserve() or Reset().
  void Reserve(int n);
  const FeatureWeights& Get(uint64_t key);
  // Get() memoised by a dense id in [0, n): BeginIds(n) after Reset() makes
  // room for n keys and forgets earlier ids; GetById(id, key) must then be
  // called with the same key for the same id until the next BeginIds().
  void BeginIds(size_t n);
  const FeatureWeights& GetById(uint32_t id, uint64_t key) {
    const FeatureWeights* f = by_id_[id];
    if (!f) f = by_id_[id] = &Get(key);
    return *f;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t gen = 0;  // valid when == gen_
    FeatureWeights value;
  };
  void Grow();
  const Profile* p_ = nullptr;
  const ModelPack* pack_ = nullptr;
  const RankerConfig* cfg_ = nullptr;
  int64_t clock_ms_ = 0;
  uint32_t gen_ = 0;
  size_t used_ = 0;
  std::vector<Slot> slots_;  // open addressing, size a power of two
  std::vector<const FeatureWeights*> by_id_;  // into slots_; cleared by Grow()
};

// The sparse part of one item's logits: per head, the sum of the features'
// global terms and the sum of their personal terms (features in snapshot
// order, each summed in double), and the explicit negatives.
struct SparseSums {
  std::array<double, kNumHeads> global{};
  std::array<double, kNumHeads> personal{};
  double author_negative = 0.0;  // decayed explicit negative on the author
  double tag_negative = 0.0;     // max decayed explicit negative on the tags
};
// `ids` (optional): the features' ids for ScoreCache::GetById, parallel to
// s.features.
void SumSparse(const ItemSnapshot& s, ScoreCache* cache, SparseSums* out,
               const uint32_t* ids = nullptr);

// Everything of the dense part that depends on the profile, the pack, the
// objectives and the time, but not on the item: the kernel's weights and
// interest vectors (scaled to the scoring time), plus the parts the
// explanation splits.
struct ScoreWeights {
  // The kernel's weights: interest_long_h = g_h * cl_h * (the long vector's
  // age decay), interest_session_h = g_h * cs_h * a_session; gate_h = g_h.
  DenseWeights dense;
  // The interest vectors as unit vectors (`dim` floats) or null (absent or
  // zero); they point into long_unit / session_unit.
  const float* long_interest = nullptr;
  const float* session_interest = nullptr;
  std::vector<float> long_unit, session_unit;
};
// The weights for scoring at `now_ms`. `gates` null: Gates(p, cfg.learner).
void MakeScoreWeights(const Profile& p, const ModelPack& pack,
                      const RankerConfig& cfg, int64_t now_ms,
                      const std::array<float, kNumHeads>* gates,
                      ScoreWeights* out);

// Scores a batch (see dense_kernel.h for the inputs' layout): rows,
// prior logits and the SparseSums of each item as floats
// (`sparse_global` / `sparse_personal`, n x kNumHeads).
void ScoreBatch(int n, int dim, const float* const* embeddings,
                const float* prior, const float* sparse_global,
                const float* sparse_personal, const ScoreWeights& w,
                const DenseBatchOutput& out);

// The first-order attribution of one scored item's value: for each term,
// sum_h objective_h * p_h (1 - p_h) * (the term's share of z_h), the
// personal share times g_h.
struct Attribution {
  double prior = 0.0;
  double interest_long = 0.0;
  double interest_session = 0.0;
  int num_features = 0;
  std::array<double, kMaxItemFeatures> feature{};
};
// `p`: the item's head predictions; `dot_long` / `dot_session`: its interest
// dot products (the kernel's cos_long / cos_session outputs); `features[i]`:
// the FeatureWeights of s.features[i] at the scoring clock.
void Attribute(const ItemSnapshot& s, const float* p, double prior_logit,
               double dot_long, double dot_session, const ScoreWeights& w,
               const RankerConfig& cfg, const FeatureWeights* const* features,
               Attribution* out);

// Learns one item's labels for the heads in `mask` at event time `now_ms`
// (deterministic, no clock, no RNG): updates the evidence, the level, the
// personal dense deltas (prior, interest coefficients) and the features' FTRL
// weights. The interest vectors themselves move in learner.cpp.
void LearnItem(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
               const ItemSnapshot& s, int64_t now_ms, const Labels& labels,
               const std::array<double, kNumHeads>& importance, uint32_t mask);

// Personal first-order effect of an entry on the value at `now_ms`: what an
// item with this feature gains or loses in value from it (sum_h objective_h *
// 1/4 * g_h * s_f * w_fh, minus its explicit-negative penalty).
double EntryValueEffect(const Profile& p, const FeatureEntry& e,
                        FeatureKind kind, const RankerConfig& cfg,
                        int64_t now_ms);

}  // namespace reelrank

#endif  // REELRANK_SRC_SCORER_H_
