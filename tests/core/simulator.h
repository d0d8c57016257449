// Seeded simulator of a catalog and of users with known tastes (after Vowpal
// Wabbit's tests/simulator.h): topics, creators, preferred durations; users
// watch, finish, like, swipe fast and press "not interested". Fully
// deterministic (SplitMix64, no std distributions), so tests are stable.
#ifndef REELRANK_TESTS_CORE_SIMULATOR_H_
#define REELRANK_TESTS_CORE_SIMULATOR_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/config.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/ranker.h"

namespace reelrank {
namespace sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return (Next() >> 11) * (1.0 / 9007199254740992.0); }
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }
  double Gauss() {  // Box-Muller
    const double u = Uniform() + 1e-12, v = Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  uint64_t s_;
};

constexpr int kDim = 16;

// The config the simulator tests use: the defaults, with the learning
// hyper-parameters pinned so that retuning product defaults (issue 4) does
// not silently change what these tests measure.
inline RankerConfig SimConfig() {
  RankerConfig c;
  c.embedding_dim = kDim;
  c.seed = 7;
  c.learner.sparse = FtrlParams{0.25, 1.0, 0.0, 1.0};
  c.learner.dense = FtrlParams{0.05, 1.0, 0.0, 5.0};
  c.profile.frequency_gate = 1;
  c.profile.confidence_k = 1.0;
  c.learner.interest_rate = 1.0;
  c.learner.interest = FtrlParams{2.0, 1.0, 0.0, 1.0};
  c.learner.gate_z = 2.0;
  c.learner.evidence_half_life = 200.0;
  c.learner.explicit_negative_weight = 4.0;
  c.objective_weights = {0.5, 1.0, 0.5, 0.5, 0.3, 0.3, 0.2, -1.0};
  c.seen_penalty = 1.0;
  c.negative_penalty = 3.0;
  c.tag_negative_share = 0.25;
  // These tests measure the learner's order (the score stage): the feed
  // stages that reorder it (exploration, diversity) are pinned off.
  c.pipeline.explore.enabled = false;
  c.pipeline.diversity.enabled = false;
  return c;
}

struct Catalog {
  std::vector<Candidate> items;
  std::vector<int> topic;    // per item
  std::vector<int> creator;  // per item
};

inline std::string TopicTag(int t) { return "topic" + std::to_string(t); }
inline std::string CreatorId(int c) { return "creator" + std::to_string(c); }

// `topics` x `per_topic` items; embeddings = topic centroid + noise; server
// scores uniform in [0.05, 0.95]; creators drawn uniformly; durations from
// 5 s to 3 min.
inline Catalog MakeCatalog(uint64_t seed, int topics = 10, int per_topic = 20,
                           int creators = 25,
                           const std::string& id_prefix = "i") {
  Rng rng(seed);
  std::vector<std::vector<float>> centroid(topics, std::vector<float>(kDim));
  for (auto& c : centroid) {
    double n = 0;
    for (float& x : c) {
      x = static_cast<float>(rng.Gauss());
      n += x * x;
    }
    for (float& x : c) x = static_cast<float>(x / std::sqrt(n));
  }
  static const int64_t kDurations[] = {5000,  12000, 22000,
                                       45000, 90000, 180000};
  Catalog cat;
  int k = 0;
  for (int t = 0; t < topics; ++t) {
    for (int i = 0; i < per_topic; ++i, ++k) {
      Candidate c;
      c.id = id_prefix + std::to_string(k);
      const int cr = rng.Below(creators);
      c.author = CreatorId(cr);
      c.tags = {TopicTag(t), "misc" + std::to_string(rng.Below(30))};
      c.category = "cat" + std::to_string(t);
      c.sound = "sound" + std::to_string(rng.Below(50));
      c.duration_ms = kDurations[rng.Below(6)];
      c.server_score = 0.05 + 0.9 * rng.Uniform();
      c.embedding.resize(kDim);
      for (int d = 0; d < kDim; ++d) {
        c.embedding[d] = static_cast<float>(
            centroid[t][d] + 0.35 * rng.Gauss() / std::sqrt(kDim));
      }
      cat.items.push_back(std::move(c));
      cat.topic.push_back(t);
      cat.creator.push_back(cr);
    }
  }
  // Interleave so topics are not contiguous in input order.
  return cat;
}

// A user with known tastes.
struct User {
  int loved_topic = -1;           // watches to the end (and replays), likes
  std::vector<int> hated_topics;  // swipes away fast
  int disliked_creator = -1;      // presses "not interested"
  int64_t preferred_max_ms = 0;   // > 0: swipes fast on longer items
  double like_prob = 0.5;
};

// Event factory with a running clock and unique ids.
class Session {
 public:
  explicit Session(uint64_t seed, int64_t start_ms = 1700000000000LL)
      : rng_(seed), now_ms_(start_ms) {}

  int64_t now_ms() const { return now_ms_; }
  Context Ctx() const {
    Context c;
    c.now_ms = now_ms_;
    c.hour_of_day = 20;
    return c;
  }
  Event Make(const std::string& item, EventKind kind, int64_t dwell = 0,
             float velocity = 0.0f) {
    Event e;
    e.event_id = "e" + std::to_string(next_id_++);
    e.item_id = item;
    e.kind = kind;
    e.timestamp_ms = now_ms_;
    e.dwell_ms = dwell;
    e.velocity = velocity;
    return e;
  }

  // The events of the user viewing `item` (topic / creator known).
  std::vector<Event> View(const User& u, const Candidate& item, int topic,
                          int creator) {
    std::vector<Event> out;
    out.push_back(Make(item.id, EventKind::kImpression));
    bool hated = false;
    for (int t : u.hated_topics) hated |= (t == topic);
    if (u.preferred_max_ms > 0 && item.duration_ms > u.preferred_max_ms)
      hated = true;
    if (creator == u.disliked_creator) {
      now_ms_ += 800;
      out.push_back(Make(item.id, EventKind::kNotInterested));
    } else if (hated) {
      now_ms_ += 300;
      out.push_back(Make(item.id, EventKind::kSwipeAway, 300, 3.0f));
    } else if (topic == u.loved_topic) {
      now_ms_ += item.duration_ms;
      out.push_back(Make(item.id, EventKind::kComplete));
      if (rng_.Uniform() < u.like_prob)
        out.push_back(Make(item.id, EventKind::kLike));
      now_ms_ += 500;
      out.push_back(
          Make(item.id, EventKind::kSwipeAway, item.duration_ms + 500, 0.5f));
    } else {
      // Not their thing: a quick look, then a brisk swipe.
      const int64_t dwell = 800 + rng_.Below(1500);
      now_ms_ += dwell;
      out.push_back(Make(item.id, EventKind::kSwipeAway, dwell, 1.5f));
    }
    now_ms_ += 200;
    return out;
  }

  Rng& rng() { return rng_; }

 private:
  Rng rng_;
  int64_t now_ms_;
  int64_t next_id_ = 0;
};

// Share of the first `k` ranked items whose topic is `topic`.
inline double TopicShare(const RankResult& r, const Catalog& cat, int topic,
                         int k = 10) {
  int n = 0, hit = 0;
  for (const auto& s : r.ranked) {
    if (n == k) break;
    ++n;
    hit += cat.topic[s.index] == topic;
  }
  return n ? static_cast<double>(hit) / n : 0.0;
}

inline int CreatorCount(const RankResult& r, const Catalog& cat, int creator,
                        int k = 10) {
  int n = 0, hit = 0;
  for (const auto& s : r.ranked) {
    if (n == k) break;
    ++n;
    hit += cat.creator[s.index] == creator;
  }
  return hit;
}

// The first ranked item not yet shown (the full-screen feed's next item).
inline int NextUnseen(const RankResult& r) {
  for (const auto& s : r.ranked) {
    if (!s.seen) return s.index;
  }
  return r.ranked.empty() ? -1 : r.ranked.front().index;
}

}  // namespace sim
}  // namespace reelrank

#endif  // REELRANK_TESTS_CORE_SIMULATOR_H_
