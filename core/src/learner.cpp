#include "learner.h"

#include <algorithm>
#include <cmath>

namespace reelrank {
namespace {

inline double Sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// Multiplier of an entry's personal delta at `now_ms`: 0 below the frequency
// gate or after expiry, else confidence * time decay.
double EntryScale(const FeatureEntry& e, const ProfileConfig& c,
                  int64_t now_ms) {
  if (e.count < static_cast<uint32_t>(c.frequency_gate)) return 0.0;
  const int64_t dt = now_ms - e.last_seen_ms;
  if (dt > c.feature_expiry_ms) return 0.0;
  const double decay = DecayFactor(dt, c.feature_half_life_ms);
  double scale = decay;
  if (c.confidence_k > 0) {
    const double s = e.sightings * decay;
    scale *= s / (s + c.confidence_k);
  }
  return scale;
}

double NegativeAt(const FeatureEntry& e, const ProfileConfig& c,
                  int64_t now_ms) {
  if (e.negative <= 0.0f) return 0.0;
  return e.negative *
         DecayFactor(now_ms - e.negative_ms, c.negative_half_life_ms);
}

// Shared logit computation. dense_w[h][d] = FtrlWeight of dense coordinate
// d of head h; personal[i] (may be null) points to feature i's per-head
// scaled personal weights; globals[i] may be null.
void ComputeLogits(
    const ModelPack& pack, const ItemSnapshot& s, int nf,
    const std::array<std::array<double, kNumDense>, kNumHeads>& dense_w,
    const double* const* personal,
    const std::array<float, kNumHeads>* const* globals, double cos_long,
    double cos_session, ItemScore* out) {
  const double prior = PriorLogit(s.server_score);
  out->num_features = nf;
  for (int h = 0; h < kNumHeads; ++h) {
    const HeadWeights& g = pack.heads[h];
    const auto& d = dense_w[h];
    const double bias = g.bias + d[0];
    const double prior_term = (g.prior + d[1]) * prior;
    const double lt =
        cos_long != 0.0 ? (g.interest_long + d[2]) * cos_long : 0.0;
    const double st =
        cos_session != 0.0 ? (g.interest_session + d[3]) * cos_session : 0.0;
    double logit = bias + prior_term + lt + st;
    for (int i = 0; i < nf; ++i) {
      double t = 0.0;
      if (globals[i]) t += (*globals[i])[h];
      if (personal[i]) t += personal[i][h];
      out->feature_term[i][h] = t;
      logit += t;
    }
    out->prior_term[h] = prior_term;
    out->long_term[h] = lt;
    out->session_term[h] = st;
    out->logit[h] = logit;
    out->p[h] = Sigmoid(logit);
  }
}

// The uncached form: ents[i] may be null; scales[i] multiplies the personal
// delta; globals[i] may be null.
void ComputeLogits(const Profile& p, const ModelPack& pack,
                   const RankerConfig& cfg, const ItemSnapshot& s,
                   const FeatureEntry* const* ents, const double* scales,
                   const std::array<float, kNumHeads>* const* globals,
                   double cos_long, double cos_session, ItemScore* out) {
  const FtrlParams& dp = cfg.learner.dense;
  const FtrlParams& sp = cfg.learner.sparse;
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  std::array<std::array<double, kNumDense>, kNumHeads> dense_w;
  for (int h = 0; h < kNumHeads; ++h) {
    for (int d = 0; d < kNumDense; ++d)
      dense_w[h][d] = FtrlWeight(p.dense[h][d], dp);
  }
  double personal_buf[kMaxItemFeatures][kNumHeads];
  const double* personal[kMaxItemFeatures];
  for (int i = 0; i < nf; ++i) {
    personal[i] = nullptr;
    if (ents[i] && scales[i] != 0.0) {
      for (int h = 0; h < kNumHeads; ++h) {
        personal_buf[i][h] = scales[i] * FtrlWeight(ents[i]->coords[h], sp);
      }
      personal[i] = personal_buf[i];
    }
  }
  ComputeLogits(pack, s, nf, dense_w, personal, globals, cos_long, cos_session,
                out);
}

void Globals(const ModelPack& pack, const ItemSnapshot& s,
             const std::array<float, kNumHeads>** globals, int nf) {
  for (int i = 0; i < nf; ++i) {
    globals[i] = nullptr;
    if (!pack.sparse.empty()) {
      auto it = pack.sparse.find(s.features[i].key);
      if (it != pack.sparse.end()) globals[i] = &it->second;
    }
  }
}

// Updates the heads in `mask` toward `labels` (importance per head).
void LearnHeads(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
                const ItemSnapshot& s, int64_t now_ms, const Labels& labels,
                const std::array<double, kNumHeads>& importance,
                uint32_t mask) {
  if (mask == 0) return;
  const ProfileConfig& pc = cfg.profile;
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  FeatureEntry* ents[kMaxItemFeatures];
  const FeatureEntry* cents[kMaxItemFeatures];
  double scales[kMaxItemFeatures];
  const std::array<float, kNumHeads>* globals[kMaxItemFeatures];
  for (int i = 0; i < nf; ++i) {
    ents[i] = p->features.Touch(s.features[i].key, s.name(s.features[i]),
                                now_ms, pc.feature_half_life_ms);
    cents[i] = ents[i];
    scales[i] = EntryScale(*ents[i], pc, now_ms);
  }
  Globals(pack, s, globals, nf);
  const double cl =
      InterestCos(s.embedding, p->long_interest, VectorNorm(p->long_interest));
  const double cs = InterestCos(s.embedding, p->session_interest,
                                VectorNorm(p->session_interest));
  ItemScore sc;
  ComputeLogits(*p, pack, cfg, s, cents, scales, globals, cl, cs, &sc);
  const double prior = PriorLogit(s.server_score);
  const double xs[kNumDense] = {1.0, prior, cl, cs};
  for (int h = 0; h < kNumHeads; ++h) {
    if (!(mask & (1u << h))) continue;
    const double g =
        (sc.p[h] - labels.value[h]) * importance[h] * cfg.learner.head_rate[h];
    if (g == 0.0 || !std::isfinite(g)) continue;
    for (int d = 0; d < kNumDense; ++d) {
      if (xs[d] != 0.0)
        FtrlUpdate(g * xs[d], cfg.learner.dense, &p->dense[h][d]);
    }
    for (int i = 0; i < nf; ++i)
      FtrlUpdate(g, cfg.learner.sparse, &ents[i]->coords[h]);
  }
}

void DecayVector(std::vector<float>* v, int64_t* at_ms, int64_t now_ms,
                 int64_t half_life_ms, int dim) {
  if (v->empty()) v->assign(dim, 0.0f);
  if (now_ms > *at_ms) {
    const double f = DecayFactor(now_ms - *at_ms, half_life_ms);
    if (f < 1.0) {
      for (float& x : *v) x = static_cast<float>(x * f);
    }
    *at_ms = now_ms;
  }
}

void OpenView(Profile* p, const RankerConfig& cfg,
              const std::shared_ptr<const ItemSnapshot>& s, int64_t ts) {
  p->has_view = true;
  p->view = ViewState{};
  p->view.item_key = s->item_key;
  p->view.duration_ms = s->duration_ms;
  p->view.opened_ms = ts;
  p->view.last_ms = ts;
  p->view_item = s;
  for (const ItemFeature& f : s->features) {
    FeatureEntry* e = p->features.Touch(f.key, s->name(f), ts,
                                        cfg.profile.feature_half_life_ms);
    if (e->count < UINT32_MAX) ++e->count;
    e->sightings += 1.0f;
  }
  p->AddSeen(s->item_key, cfg.profile.max_seen_items);
}

void CloseView(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
               int64_t close_ms) {
  if (!p->has_view) return;
  ViewState& v = p->view;
  const ItemSnapshot& s = *p->view_item;
  if (!v.swiped && close_ms > v.opened_ms) {
    v.max_dwell_ms = std::max(v.max_dwell_ms, close_ms - v.opened_ms);
  }
  const Labels l = ComputeLabels(v, cfg.signals);
  std::array<double, kNumHeads> imp;
  imp.fill(1.0);
  if (v.not_interested || v.reported) {
    imp[static_cast<int>(Head::kNegative)] =
        cfg.learner.explicit_negative_weight;
  }
  const uint32_t mask = ((1u << kNumHeads) - 1) & ~v.learned_mask;
  const int64_t now = std::max(close_ms, v.last_ms);
  LearnHeads(p, pack, cfg, s, now, l, imp, mask);
  if (!s.embedding.empty() && cfg.learner.interest_rate > 0) {
    const double engage =
        l[Head::kLike] + l[Head::kFollow] + l[Head::kShare] + l[Head::kComment];
    const double signal = std::clamp(
        2.0 * (l[Head::kWatchRatio] - 0.15) + 0.5 * engage - l[Head::kNegative],
        -1.0, 1.0);
    if (signal != 0.0) {
      const int dim = static_cast<int>(s.embedding.size());
      DecayVector(&p->long_interest, &p->long_ms, now,
                  cfg.profile.long_half_life_ms, dim);
      DecayVector(&p->session_interest, &p->session_ms, now,
                  cfg.profile.session_half_life_ms, dim);
      const double step = cfg.learner.interest_rate * signal;
      for (int i = 0; i < dim; ++i) {
        p->long_interest[i] =
            static_cast<float>(p->long_interest[i] + step * s.embedding[i]);
        p->session_interest[i] =
            static_cast<float>(p->session_interest[i] + step * s.embedding[i]);
      }
    }
  }
  ++p->views;
  p->has_view = false;
  p->view = ViewState{};
  p->view_item.reset();
}

void MarkNegative(Profile* p, const RankerConfig& cfg, const ItemSnapshot& s,
                  int64_t ts) {
  for (const ItemFeature& f : s.features) {
    if (f.kind != FeatureKind::kAuthor && f.kind != FeatureKind::kTag) continue;
    FeatureEntry* e = p->features.Touch(f.key, s.name(f), ts,
                                        cfg.profile.feature_half_life_ms);
    const double prev = NegativeAt(*e, cfg.profile, ts);
    e->negative = static_cast<float>(std::min(1.0, prev + 1.0));
    e->negative_ms = std::max(e->negative_ms, ts);
  }
}

void LearnOne(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
              const ItemSnapshot& s, int64_t ts, Head h, double label,
              double importance) {
  Labels l;
  l[h] = label;
  std::array<double, kNumHeads> imp;
  imp.fill(1.0);
  imp[static_cast<int>(h)] = importance;
  LearnHeads(p, pack, cfg, s, ts, l, imp, 1u << static_cast<int>(h));
}

}  // namespace

double PriorLogit(double server_score) {
  const double q = std::min(std::max(server_score, 1e-4), 1.0 - 1e-4);
  return std::log(q / (1.0 - q));
}

double VectorNorm(const std::vector<float>& v) {
  double s = 0.0;
  for (float x : v) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

double InterestCos(const std::vector<float>& emb, const std::vector<float>& v,
                   double v_norm) {
  if (emb.empty() || v.size() != emb.size() || !(v_norm > 1e-12)) return 0.0;
  double dot = 0.0;
  for (size_t i = 0; i < emb.size(); ++i)
    dot += static_cast<double>(emb[i]) * v[i];
  return dot / v_norm;
}

void ScoreItem(const Profile& p, const ModelPack& pack, const RankerConfig& cfg,
               const ItemSnapshot& s, int64_t now_ms, double long_norm,
               double session_norm, ItemScore* out) {
  const ProfileConfig& pc = cfg.profile;
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  const FeatureEntry* ents[kMaxItemFeatures];
  double scales[kMaxItemFeatures];
  const std::array<float, kNumHeads>* globals[kMaxItemFeatures];
  out->author_negative = 0.0;
  out->tag_negative = 0.0;
  for (int i = 0; i < nf; ++i) {
    ents[i] = p.features.Find(s.features[i].key);
    scales[i] = ents[i] ? EntryScale(*ents[i], pc, now_ms) : 0.0;
    if (ents[i] && ents[i]->negative > 0.0f) {
      const double n = NegativeAt(*ents[i], pc, now_ms);
      if (s.features[i].kind == FeatureKind::kAuthor) {
        out->author_negative = std::max(out->author_negative, n);
      } else if (s.features[i].kind == FeatureKind::kTag) {
        out->tag_negative = std::max(out->tag_negative, n);
      }
    }
  }
  Globals(pack, s, globals, nf);
  const double cl = InterestCos(s.embedding, p.long_interest, long_norm);
  const double cs = InterestCos(s.embedding, p.session_interest, session_norm);
  ComputeLogits(p, pack, cfg, s, ents, scales, globals, cl, cs, out);
}

void ScoreCache::Reset(const Profile& p, const ModelPack& pack,
                       const RankerConfig& cfg, int64_t now_ms) {
  p_ = &p;
  pack_ = &pack;
  cfg_ = &cfg;
  now_ms_ = now_ms;
  if (++gen_ == 0) {  // wrapped: invalidate every slot explicitly
    for (Slot& slot : slots_) slot.gen = 0;
    gen_ = 1;
  }
  used_ = 0;
  if (slots_.empty()) slots_.resize(64);  // Reserve() grows it
  for (int h = 0; h < kNumHeads; ++h) {
    for (int d = 0; d < kNumDense; ++d) {
      dense_[h][d] = FtrlWeight(p.dense[h][d], cfg.learner.dense);
    }
  }
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

const ScoreCache::Feature& ScoreCache::Get(uint64_t key) {
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
  Feature& f = slot.value;
  f = Feature{};
  if (!pack_->sparse.empty()) {
    auto it = pack_->sparse.find(key);
    if (it != pack_->sparse.end()) f.global = &it->second;
  }
  if (const FeatureEntry* e = p_->features.Find(key)) {
    const ProfileConfig& pc = cfg_->profile;
    const double scale = EntryScale(*e, pc, now_ms_);
    if (scale != 0.0) {
      f.has_personal = true;
      for (int h = 0; h < kNumHeads; ++h) {
        f.personal[h] = scale * FtrlWeight(e->coords[h], cfg_->learner.sparse);
      }
    }
    if (e->negative > 0.0f) f.negative = NegativeAt(*e, pc, now_ms_);
  }
  return f;
}

void ScoreItem(const Profile& p, const ModelPack& pack, const ItemSnapshot& s,
               double long_norm, double session_norm, ScoreCache* cache,
               ItemScore* out) {
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  const double* personal[kMaxItemFeatures];
  const std::array<float, kNumHeads>* globals[kMaxItemFeatures];
  out->author_negative = 0.0;
  out->tag_negative = 0.0;
  cache->Reserve(nf);  // Get() never grows: the pointers below stay valid
  for (int i = 0; i < nf; ++i) {
    const ScoreCache::Feature& f = cache->Get(s.features[i].key);
    globals[i] = f.global;
    personal[i] = f.has_personal ? f.personal.data() : nullptr;
    if (f.negative > 0.0) {
      if (s.features[i].kind == FeatureKind::kAuthor) {
        out->author_negative = std::max(out->author_negative, f.negative);
      } else if (s.features[i].kind == FeatureKind::kTag) {
        out->tag_negative = std::max(out->tag_negative, f.negative);
      }
    }
  }
  const double cl = InterestCos(s.embedding, p.long_interest, long_norm);
  const double cs = InterestCos(s.embedding, p.session_interest, session_norm);
  ComputeLogits(pack, s, nf, cache->dense(), personal, globals, cl, cs, out);
}

void SparseItemScore(const ItemSnapshot& s, ScoreCache* cache, SparseScore* out,
                     const uint32_t* ids) {
  const int nf =
      std::min<int>(static_cast<int>(s.features.size()), kMaxItemFeatures);
  out->logit.fill(0.0);
  out->author_negative = 0.0;
  out->tag_negative = 0.0;
  cache->Reserve(nf);
  for (int i = 0; i < nf; ++i) {
    const ScoreCache::Feature& f =
        ids ? cache->GetById(ids[i], s.features[i].key)
            : cache->Get(s.features[i].key);
    double t[kNumHeads];
    FeatureTerms(f, t);
    for (int h = 0; h < kNumHeads; ++h) out->logit[h] += t[h];
    if (f.negative > 0.0) {
      if (s.features[i].kind == FeatureKind::kAuthor) {
        out->author_negative = std::max(out->author_negative, f.negative);
      } else if (s.features[i].kind == FeatureKind::kTag) {
        out->tag_negative = std::max(out->tag_negative, f.negative);
      }
    }
  }
}

DenseWeights MakeDenseWeights(
    const ModelPack& pack,
    const std::array<std::array<double, kNumDense>, kNumHeads>& dense_w,
    const std::array<double, kNumHeads>& objective) {
  DenseWeights w;
  for (int h = 0; h < kNumHeads; ++h) {
    const HeadWeights& g = pack.heads[h];
    const auto& d = dense_w[h];
    w.bias[h] = static_cast<float>(g.bias + d[0]);
    w.prior[h] = static_cast<float>(g.prior + d[1]);
    w.interest_long[h] = static_cast<float>(g.interest_long + d[2]);
    w.interest_session[h] = static_cast<float>(g.interest_session + d[3]);
    w.objective[h] = static_cast<float>(objective[h]);
  }
  return w;
}

const float* UnitInterest(const std::vector<float>& v, double norm, int dim,
                          std::vector<float>* unit) {
  if (dim <= 0 || static_cast<int>(v.size()) != dim || !(norm > 1e-12))
    return nullptr;
  unit->resize(dim);
  for (int i = 0; i < dim; ++i) (*unit)[i] = static_cast<float>(v[i] / norm);
  return unit->data();
}

void ApplyEvent(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
                const Event& e,
                const std::shared_ptr<const ItemSnapshot>& snap) {
  const ItemSnapshot& s = *snap;
  const int64_t ts = e.timestamp_ms;
  ++p->events;
  ++p->kind_counts[static_cast<int>(e.kind)];
  p->last_event_ms = std::max(p->last_event_ms, ts);
  const bool same = p->has_view && p->view.item_key == s.item_key;
  ViewState& v = p->view;
  auto learned = [&v](Head h) {
    return (v.learned_mask >> static_cast<int>(h)) & 1u;
  };
  auto learn_now = [&](Head h, double label, double importance) {
    LearnOne(p, pack, cfg, s, ts, h, label, importance);
    v.learned_mask |= 1u << static_cast<int>(h);
  };
  switch (e.kind) {
    case EventKind::kImpression:
      if (p->has_view) CloseView(p, pack, cfg, ts);
      OpenView(p, cfg, snap, ts);
      break;
    case EventKind::kProgress:
    case EventKind::kComplete:
    case EventKind::kReplay:
    case EventKind::kSwipeAway:
      if (!same) {
        if (p->has_view) CloseView(p, pack, cfg, ts);
        OpenView(p, cfg, snap, ts);
      }
      AccumulateEvent(e, &v);
      if (e.kind == EventKind::kComplete && !learned(Head::kFinish)) {
        learn_now(Head::kFinish, 1.0, 1.0);
      }
      if (e.kind == EventKind::kSwipeAway) CloseView(p, pack, cfg, ts);
      break;
    case EventKind::kLike:
    case EventKind::kUnlike:
    case EventKind::kFollow:
    case EventKind::kShare:
    case EventKind::kComment:
    case EventKind::kNotInterested:
    case EventKind::kReport:
    case EventKind::kProfileVisit: {
      Head h = Head::kLike;
      double label = 1.0;
      double imp = 1.0;
      switch (e.kind) {
        case EventKind::kUnlike:
          label = 0.0;
          break;
        case EventKind::kFollow:
          h = Head::kFollow;
          break;
        case EventKind::kShare:
          h = Head::kShare;
          break;
        case EventKind::kComment:
          h = Head::kComment;
          break;
        case EventKind::kNotInterested:
        case EventKind::kReport:
          h = Head::kNegative;
          imp = cfg.learner.explicit_negative_weight;
          MarkNegative(p, cfg, s, ts);
          break;
        default:
          break;
      }
      if (e.kind == EventKind::kProfileVisit) {
        if (same) AccumulateEvent(e, &v);
        break;
      }
      if (same) {
        AccumulateEvent(e, &v);
        if (e.kind == EventKind::kNotInterested ||
            e.kind == EventKind::kReport) {
          CloseView(p, pack, cfg, ts);
        } else if (e.kind == EventKind::kUnlike) {
          if (learned(Head::kLike)) learn_now(Head::kLike, 0.0, 1.0);
        } else if (!learned(h)) {
          learn_now(h, label, imp);
        }
      } else {
        // Engagement on an item whose view is closed: learn that head alone.
        LearnOne(p, pack, cfg, s, ts, h, label, imp);
      }
      break;
    }
  }
  const bool sweep = (p->events & 4095) == 0;
  if (sweep ||
      p->features.size() > static_cast<size_t>(cfg.profile.max_features)) {
    p->features.Enforce(ts, cfg.profile, sweep);
  }
}

double EntryValueEffect(const FeatureEntry& e, FeatureKind kind,
                        const RankerConfig& cfg, int64_t now_ms) {
  const double scale = EntryScale(e, cfg.profile, now_ms);
  double v = 0.0;
  for (int h = 0; h < kNumHeads; ++h) {
    v += cfg.objective_weights[h] * 0.25 * scale *
         FtrlWeight(e.coords[h], cfg.learner.sparse);
  }
  const double neg = NegativeAt(e, cfg.profile, now_ms);
  if (neg > 0) {
    v -= cfg.negative_penalty * neg *
         (kind == FeatureKind::kAuthor ? 1.0 : cfg.tag_negative_share);
  }
  return v;
}

}  // namespace reelrank
