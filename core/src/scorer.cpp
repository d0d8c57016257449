#include "scorer.h"

#include <algorithm>
#include <cmath>

#include "reelrank/feature_table.h"

namespace reelrank {
namespace {

constexpr int64_t kHourMs = 3600LL * 1000;

// Multiplier of an entry's personal weight at decay clock `clock_ms`: 0
// below the frequency gate or after expiry, else confidence * time decay.
double EntryScale(const FeatureEntry& e, const ProfileConfig& c,
                  int64_t clock_ms) {
  if (e.count < static_cast<uint32_t>(c.frequency_gate)) return 0.0;
  const int64_t dt = clock_ms - e.last_seen_ms;
  if (dt > c.feature_expiry_ms) return 0.0;
  const double decay = DecayFactor(dt, c.feature_half_life_ms);
  double scale = decay;
  if (c.confidence_k > 0) {
    const double s = e.sightings * decay;
    scale *= s / (s + c.confidence_k);
  }
  return scale;
}

const std::array<float, kNumHeads>* GlobalWeights(const ModelPack& pack,
                                                  uint64_t key) {
  if (pack.sparse.empty()) return nullptr;
  auto it = pack.sparse.find(key);
  return it == pack.sparse.end() ? nullptr : &it->second;
}

// The one place a feature's weights are read (cached or not).
void WeightsOf(const FeatureEntry* e,
               const std::array<float, kNumHeads>* global,
               const RankerConfig& cfg, int64_t clock_ms, FeatureWeights* f) {
  *f = FeatureWeights{};
  f->global = global;
  if (!e) return;
  const double scale = EntryScale(*e, cfg.profile, clock_ms);
  if (scale != 0.0) {
    f->has_personal = true;
    for (int h = 0; h < kNumHeads; ++h) {
      f->personal[h] = scale * FtrlWeight(e->coords[h], cfg.learner.sparse);
    }
  }
  if (e->negative > 0.0f) f->negative = NegativeAt(*e, cfg.profile, clock_ms);
}

// Adds feature `f` (of kind `kind`) to the sums.
inline void AddFeature(const FeatureWeights& f, FeatureKind kind,
                       SparseSums* out) {
  double g[kNumHeads], q[kNumHeads];
  FeatureTerms(f, g, q);
  for (int h = 0; h < kNumHeads; ++h) {
    out->global[h] += g[h];
    out->personal[h] += q[h];
  }
  if (f.negative > 0.0) {
    if (kind == FeatureKind::kAuthor) {
      out->author_negative = std::max(out->author_negative, f.negative);
    } else if (kind == FeatureKind::kTag) {
      out->tag_negative = std::max(out->tag_negative, f.negative);
    }
  }
}

// `v` / |v| as floats in `*unit` when v has `dim` entries and a norm above
// 1e-12; returns unit->data(), else null.
const float* UnitOrNull(const std::vector<float>& v, int dim,
                        std::vector<float>* unit) {
  if (dim <= 0 || static_cast<int>(v.size()) != dim) return nullptr;
  double n = 0.0;
  for (float x : v) n += static_cast<double>(x) * x;
  n = std::sqrt(n);
  if (!(n > 1e-12)) return nullptr;
  unit->resize(dim);
  for (int i = 0; i < dim; ++i) (*unit)[i] = static_cast<float>(v[i] / n);
  return unit->data();
}

// Cross-entropy of a probability against a label in [0, 1].
double CrossEntropy(double p, double y) {
  const double q = std::min(std::max(p, 1e-7), 1.0 - 1e-7);
  return -(y * std::log(q) + (1.0 - y) * std::log(1.0 - q));
}

// The kernel's weights with every gate at `g` (decays of the interest
// vectors `decay_long` / `decay_session`); the dense deltas are read here.
DenseWeights KernelWeights(const Profile& p, const ModelPack& pack,
                           const RankerConfig& cfg,
                           const std::array<float, kNumHeads>& g,
                           double decay_long, double decay_session,
                           bool with_level) {
  DenseWeights w;
  const FtrlParams& dp = cfg.learner.dense;
  for (int h = 0; h < kNumHeads; ++h) {
    const HeadWeights& hw = pack.heads[h];
    const double level = FtrlWeight(p.dense[h][static_cast<int>(Dense::kBias)],
                                    cfg.learner.level);
    const double delta =
        FtrlWeight(p.dense[h][static_cast<int>(Dense::kPrior)], dp);
    const FtrlParams& ip = cfg.learner.interest;
    const double cl =
        hw.interest_long +
        FtrlWeight(p.dense[h][static_cast<int>(Dense::kInterestLong)], ip);
    const double cs =
        hw.interest_session +
        FtrlWeight(p.dense[h][static_cast<int>(Dense::kInterestSession)], ip);
    w.bias[h] = static_cast<float>(with_level ? hw.bias + level : hw.bias);
    w.prior[h] = static_cast<float>(hw.prior + g[h] * delta);
    w.interest_long[h] = static_cast<float>(g[h] * cl * decay_long);
    w.interest_session[h] = static_cast<float>(g[h] * cs * decay_session);
    w.objective[h] = static_cast<float>(cfg.objective_weights[h]);
    w.gate[h] = g[h];
  }
  return w;
}

}  // namespace

double NegativeAt(const FeatureEntry& e, const ProfileConfig& c,
                  int64_t now_ms) {
  if (e.negative <= 0.0f) return 0.0;
  return e.negative *
         DecayFactor(now_ms - e.negative_ms, c.negative_half_life_ms);
}

double PriorLogit(double server_score) {
  const double q = std::min(std::max(server_score, 1e-4), 1.0 - 1e-4);
  return std::log(q / (1.0 - q));
}

int64_t DecayClock(int64_t now_ms) {
  const int64_t r = now_ms % kHourMs;
  return now_ms - (r < 0 ? r + kHourMs : r);
}

std::array<float, kNumHeads> Gates(const Profile& p, const LearnerConfig& c) {
  std::array<float, kNumHeads> g;
  for (int h = 0; h < kNumHeads; ++h) {
    if (!(c.gate_z > 0.0)) {
      g[h] = 1.0f;
      continue;
    }
    // The saving in standard errors (a sequential test of "the personal
    // terms predict better"), scaled so that gate_z of them is full weight.
    const double se = std::sqrt(static_cast<double>(p.evidence_sq[h]) +
                                c.evidence_floor * c.evidence_floor);
    const double z = se > 0.0 ? p.evidence[h] / se : 0.0;
    g[h] = static_cast<float>(std::min(std::max(z / c.gate_z, 0.0), 1.0));
  }
  return g;
}

void ScoreCache::Reset(const Profile& p, const ModelPack& pack,
                       const RankerConfig& cfg, int64_t now_ms) {
  p_ = &p;
  pack_ = &pack;
  cfg_ = &cfg;
  clock_ms_ = DecayClock(now_ms);
  if (++gen_ == 0) {  // wrapped: invalidate every slot explicitly
    for (Slot& slot : slots_) slot.gen = 0;
    gen_ = 1;
  }
  used_ = 0;
  if (slots_.empty()) slots_.resize(64);  // Reserve() grows it
}

void ScoreCache::BeginIds(size_t n) {
  Reserve(static_cast<int>(n) + kMaxItemFeatures);
  by_id_.assign(n, nullptr);
}

void ScoreCache::Grow() {
  std::fill(by_id_.begin(), by_id_.end(), nullptr);  // slots move
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (Slot& slot : old) {
    if (slot.gen != gen_) continue;
    size_t i = (slot.key ^ (slot.key >> 29)) & mask;
    while (slots_[i].gen == gen_) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void ScoreCache::Reserve(int n) {
  while (2 * (used_ + static_cast<size_t>(n)) > slots_.size()) Grow();
}

const FeatureWeights& ScoreCache::Get(uint64_t key) {
  const size_t mask = slots_.size() - 1;
  size_t i = (key ^ (key >> 29)) & mask;
  while (slots_[i].gen == gen_) {
    if (slots_[i].key == key) return slots_[i].value;
    i = (i + 1) & mask;
  }
  Slot& slot = slots_[i];
  slot.key = key;
  slot.gen = gen_;
  ++used_;
  WeightsOf(p_->features.Find(key), GlobalWeights(*pack_, key), *cfg_,
            clock_ms_, &slot.value);
  return slot.value;
}

void SumSparse(const ItemSnapshot& s, ScoreCache* cache, SparseSums* out,
               const uint32_t* ids) {
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  *out = SparseSums{};
  cache->Reserve(nf);
  for (int i = 0; i < nf; ++i) {
    const ItemFeature& it = s.features[i];
    AddFeature(ids ? cache->GetById(ids[i], it.key) : cache->Get(it.key),
               it.kind, out);
  }
}

namespace {

void Weights(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
             int64_t now_ms, const std::array<float, kNumHeads>* gates,
             bool with_level, ScoreWeights* out) {
  const std::array<float, kNumHeads> g = gates ? *gates : Gates(p, cfg.learner);
  const int dim = cfg.embedding_dim;
  out->long_interest = UnitOrNull(p.long_interest, dim, &out->long_unit);
  out->session_interest =
      UnitOrNull(p.session_interest, dim, &out->session_unit);
  const double dl =
      DecayFactor(now_ms - p.long_ms, cfg.profile.long_half_life_ms);
  const double ds =
      DecayFactor(now_ms - p.session_ms, cfg.profile.session_half_life_ms);
  out->dense = KernelWeights(p, pack, cfg, g, dl, ds, with_level);
}

}  // namespace

void MakeScoreWeights(const Profile& p, const ModelPack& pack,
                      const RankerConfig& cfg, int64_t now_ms,
                      const std::array<float, kNumHeads>* gates,
                      ScoreWeights* out) {
  Weights(p, pack, cfg, now_ms, gates, /*with_level=*/false, out);
}

void ScoreBatch(int n, int dim, const float* const* embeddings,
                const float* prior, const float* sparse_global,
                const float* sparse_personal, const ScoreWeights& w,
                const DenseBatchOutput& out) {
  DenseBatch b;
  b.n = n;
  b.dim = dim;
  b.embeddings = embeddings;
  b.long_interest = w.long_interest;
  b.session_interest = w.session_interest;
  b.prior = prior;
  b.sparse = sparse_global;
  b.sparse_personal = sparse_personal;
  ScoreDenseBatch(b, w.dense, out);
}

void Attribute(const ItemSnapshot& s, const float* p, double prior_logit,
               double dot_long, double dot_session, const ScoreWeights& w,
               const RankerConfig& cfg, const FeatureWeights* const* features,
               Attribution* out) {
  double slope[kNumHeads];
  for (int h = 0; h < kNumHeads; ++h) {
    const double ph = p[h];
    slope[h] = cfg.objective_weights[h] * ph * (1.0 - ph);
  }
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  *out = Attribution{};
  out->num_features = nf;
  // Every term's sum over heads, in head order.
  for (int h = 0; h < kNumHeads; ++h) {
    out->prior += slope[h] * (w.dense.prior[h] * prior_logit);
    out->interest_long += slope[h] * (w.dense.interest_long[h] * dot_long);
    out->interest_session +=
        slope[h] * (w.dense.interest_session[h] * dot_session);
  }
  for (int f = 0; f < nf; ++f) {
    double g[kNumHeads], q[kNumHeads];
    FeatureTerms(*features[f], g, q);
    double a = 0.0;
    for (int h = 0; h < kNumHeads; ++h) {
      a += slope[h] * (g[h] + w.dense.gate[h] * q[h]);
    }
    out->feature[f] = a;
  }
}

void LearnItem(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
               const ItemSnapshot& s, int64_t now_ms, const Labels& labels,
               const std::array<double, kNumHeads>& importance, uint32_t mask) {
  if (mask == 0) return;
  const ProfileConfig& pc = cfg.profile;
  const LearnerConfig& lc = cfg.learner;
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  FeatureEntry* ents[kMaxItemFeatures];
  SparseSums sums;
  const int64_t clock = DecayClock(now_ms);
  for (int i = 0; i < nf; ++i) {
    const ItemFeature& it = s.features[i];
    ents[i] =
        p->features.Touch(it.key, s.name(it), now_ms, pc.feature_half_life_ms);
    FeatureWeights fw;
    WeightsOf(ents[i], GlobalWeights(pack, it.key), cfg, clock, &fw);
    AddFeature(fw, it.kind, &sums);
  }
  const int dim = cfg.embedding_dim;
  const bool has_embedding = static_cast<int>(s.embedding.size()) == dim;
  const double long_decay =
      DecayFactor(now_ms - p->long_ms, pc.long_half_life_ms);
  const double session_decay =
      DecayFactor(now_ms - p->session_ms, pc.session_half_life_ms);
  // The level model (no personal terms) and the full model on this item,
  // through the serving kernel.
  std::array<float, kNumHeads> zero{}, one;
  one.fill(1.0f);
  ScoreWeights w0, w1;
  w0.dense = KernelWeights(*p, pack, cfg, zero, 1.0, 1.0, true);
  Weights(*p, pack, cfg, now_ms, &one, /*with_level=*/true, &w1);
  const float prior = static_cast<float>(PriorLogit(s.server_score));
  float sg[kNumHeads], sq[kNumHeads];
  for (int h = 0; h < kNumHeads; ++h) {
    sg[h] = static_cast<float>(sums.global[h]);
    sq[h] = static_cast<float>(sums.personal[h]);
  }
  const float* row = has_embedding ? s.embedding.data() : nullptr;
  float v, p0[kNumHeads], p1[kNumHeads], dl = 0.0f, ds = 0.0f;
  ScoreBatch(1, dim, &row, &prior, sg, nullptr, w0, {&v, p0, nullptr, nullptr});
  ScoreBatch(1, dim, &row, &prior, sg, sq, w1, {&v, p1, &dl, &ds});
  const double keep =
      lc.evidence_half_life > 0 ? std::exp2(-1.0 / lc.evidence_half_life) : 1.0;
  for (int h = 0; h < kNumHeads; ++h) {
    if (!(mask & (1u << h))) continue;
    const double imp = importance[h] * lc.head_rate[h];
    const double y = labels.value[h];
    if (!(imp > 0.0) || !std::isfinite(imp)) continue;
    const double saved = CrossEntropy(p0[h], y) - CrossEntropy(p1[h], y);
    p->evidence[h] = static_cast<float>(keep * p->evidence[h] + imp * saved);
    p->evidence_sq[h] = static_cast<float>(keep * keep * p->evidence_sq[h] +
                                           imp * imp * saved * saved);
    const double g0 = (p0[h] - y) * imp;
    const double g1 = (p1[h] - y) * imp;
    if (g0 != 0.0 && std::isfinite(g0)) {
      FtrlUpdate(g0, lc.level, &p->dense[h][static_cast<int>(Dense::kBias)]);
    }
    if (g1 == 0.0 || !std::isfinite(g1)) continue;
    if (prior != 0.0f) {
      FtrlUpdate(g1 * prior, lc.dense,
                 &p->dense[h][static_cast<int>(Dense::kPrior)]);
    }
    for (int i = 0; i < nf; ++i) FtrlUpdate(g1, lc.sparse, &ents[i]->coords[h]);
    // The interest coefficients, at the similarities the kernel used.
    const double xl = dl * long_decay;
    if (xl != 0.0) {
      FtrlUpdate(g1 * xl, lc.interest,
                 &p->dense[h][static_cast<int>(Dense::kInterestLong)]);
    }
    const double xs = ds * session_decay;
    if (xs != 0.0) {
      FtrlUpdate(g1 * xs, lc.interest,
                 &p->dense[h][static_cast<int>(Dense::kInterestSession)]);
    }
  }
}

double EntryValueEffect(const Profile& p, const FeatureEntry& e,
                        FeatureKind kind, const RankerConfig& cfg,
                        int64_t now_ms) {
  const int64_t clock = DecayClock(now_ms);
  const double scale = EntryScale(e, cfg.profile, clock);
  const std::array<float, kNumHeads> g = Gates(p, cfg.learner);
  double v = 0.0;
  for (int h = 0; h < kNumHeads; ++h) {
    v += cfg.objective_weights[h] * 0.25 * g[h] * scale *
         FtrlWeight(e.coords[h], cfg.learner.sparse);
  }
  const double neg = NegativeAt(e, cfg.profile, clock);
  if (neg > 0) {
    v -= cfg.negative_penalty * neg *
         (kind == FeatureKind::kAuthor ? 1.0 : cfg.tag_negative_share);
  }
  return v;
}

}  // namespace reelrank
