#include "learner.h"

#include <algorithm>
#include <cmath>

#include "scorer.h"

namespace reelrank {
namespace {

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
  LearnItem(p, pack, cfg, s, now, l, imp, mask);
  if (!s.embedding.empty() && cfg.learner.interest_rate > 0) {
    // The interest vectors: decayed sums of the viewed items' embeddings,
    // each weighted by how the view went.
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
  LearnItem(p, pack, cfg, s, ts, l, imp, 1u << static_cast<int>(h));
}

}  // namespace

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
        // A not-interested / report learns the negative head now and
        // leaves the view open: the swipe that usually follows closes it
        // (as one view, not a second one).
        if (e.kind == EventKind::kUnlike) {
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

}  // namespace reelrank
