// Private: scoring and learning over a Profile (shared by Rank, Observe,
// forget-replay and import-replay, so all of them compute identical bits).
#ifndef REELRANK_SRC_LEARNER_H_
#define REELRANK_SRC_LEARNER_H_

#include <array>
#include <cstdint>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/dense_kernel.h"
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

// Memo for scoring many items against one unchanged profile, model pack and
// config at one time (one Rank call): per feature key, the global weights,
// the entry's scaled personal weights and decayed explicit negative; per head,
// the dense weights. Scores computed with it are bit-identical to uncached
// ScoreItem. Reset() before each use; storage is reused across calls.
class ScoreCache {
 public:
  struct Feature {
    const std::array<float, kNumHeads>* global = nullptr;
    bool has_personal = false;  // entry present and its scale != 0
    double negative = 0.0;      // decayed explicit negative (0 if none)
    std::array<double, kNumHeads> personal{};  // scale * FtrlWeight per head
  };
  void Reset(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
             int64_t now_ms);
  // Room for `n` more keys; Get() never grows the table, so references it
  // returned stay valid until the next Reserve() or Reset().
  void Reserve(int n);
  const Feature& Get(uint64_t key);
  // Get() memoised by a dense id in [0, n): BeginIds(n) after Reset() makes
  // room for n keys and forgets earlier ids; GetById(id, key) must then be
  // called with the same key for the same id until the next BeginIds().
  void BeginIds(size_t n);
  const Feature& GetById(uint32_t id, uint64_t key) {
    const Feature* f = by_id_[id];
    if (!f) f = by_id_[id] = &Get(key);
    return *f;
  }
  // FtrlWeight of every dense coordinate, [head][Dense].
  const std::array<std::array<double, kNumDense>, kNumHeads>& dense() const {
    return dense_;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t gen = 0;  // valid when == gen_
    Feature value;
  };
  void Grow();
  const Profile* p_ = nullptr;
  const ModelPack* pack_ = nullptr;
  const RankerConfig* cfg_ = nullptr;
  int64_t now_ms_ = 0;
  uint32_t gen_ = 0;
  size_t used_ = 0;
  std::vector<Slot> slots_;            // open addressing, size a power of two
  std::vector<const Feature*> by_id_;  // into slots_; cleared by Grow()
  std::array<std::array<double, kNumDense>, kNumHeads> dense_{};
};

// Scores a snapshot against the profile at event time `now_ms` (0 = unknown:
// no time decay).
void ScoreItem(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
               const ItemSnapshot& s, int64_t now_ms, double long_norm,
               double session_norm, ItemScore* out);
// The same with a memo already Reset() for (p, pack, cfg, now_ms).
void ScoreItem(const Profile& p, const ModelPack& pack, const ItemSnapshot& s,
               double long_norm, double session_norm, ScoreCache* cache,
               ItemScore* out);

// The sparse part of one item's score (what ScoreItem adds to the dense
// terms): per head, the sum of the feature terms (global + scaled personal
// weight, features in snapshot order); the explicit negatives.
struct SparseScore {
  std::array<double, kNumHeads> logit{};
  double author_negative = 0.0;
  double tag_negative = 0.0;
};
// With a memo already Reset() for the profile, pack, config and time.
// `ids` (optional): the features' ids for ScoreCache::GetById, parallel to
// s.features.
void SparseItemScore(const ItemSnapshot& s, ScoreCache* cache, SparseScore* out,
                     const uint32_t* ids = nullptr);
// Feature `f`'s per-head term (global + scaled personal weight, summed in
// that order in double), as ComputeLogits adds it to the logit.
inline void FeatureTerms(const ScoreCache::Feature& f, double* out) {
  for (int h = 0; h < kNumHeads; ++h) {
    double t = 0.0;
    if (f.global) t += (*f.global)[h];
    if (f.has_personal) t += f.personal[h];
    out[h] = t;
  }
}
// The dense kernel's weights: model pack head weights + FtrlWeight of the
// profile's dense coordinates (ScoreCache::dense()), objective weights.
DenseWeights MakeDenseWeights(
    const ModelPack& pack,
    const std::array<std::array<double, kNumDense>, kNumHeads>& dense_w,
    const std::array<double, kNumHeads>& objective);
// `v` / norm as floats in `*unit` when v has `dim` entries and norm > 1e-12
// (InterestCos's condition); returns unit->data(), else null.
const float* UnitInterest(const std::vector<float>& v, double norm, int dim,
                          std::vector<float>* unit);

// Learns one event about item `s` (deterministic, no clock, no RNG).
void ApplyEvent(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
                const Event& e, const std::shared_ptr<const ItemSnapshot>& s);

// Personal first-order effect of an entry on the value (for TopInterests).
double EntryValueEffect(const FeatureEntry& e, FeatureKind kind_hint,
                        const RankerConfig& cfg, int64_t now_ms);

}  // namespace reelrank

#endif  // REELRANK_SRC_LEARNER_H_
