#include "reelrank/diversify.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "reelrank/fatigue.h"
#include "reelrank/feature_table.h"

namespace reelrank {

RecentItem RecentItem::From(const Candidate& c, bool explored) {
  RecentItem r;
  r.author = c.author;
  r.sound = c.sound;
  r.topic = PrimaryTopic(c);
  r.embedding = c.embedding;
  r.explored = explored;
  return r;
}

namespace {

enum : unsigned {
  kCreator = 1u,
  kSound = 2u,
  kTopic = 4u,
  kExploreGap = 8u,
  kAll = 15u,
};

// FNV-1a 64 of `s` with ASCII letters lower-cased (the key of a topic; equal
// for strings that are equal after ToLowerAscii).
uint64_t LowerKey(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (char ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    h ^= static_cast<unsigned char>(ch);
    h *= kFnvPrime;
  }
  return h;
}

// a == b after ToLowerAscii on both.
bool SameLower(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A lightweight view of one item in the running sequence. Strings are
// compared by 64-bit key first and only confirmed when the keys agree.
// `topic` is PrimaryTopic before lower-casing (compared with SameLower).
struct Lite {
  std::string_view author, sound, topic;
  uint64_t author_key, sound_key, topic_key;
  const std::vector<float>* embedding;
  double norm;
  bool explored;
  int topic_id;  // TopicIds: equal for SameTopic items; -1 when no topic
};

double Norm(const std::vector<float>& e) {
  double s = 0.0;
  for (float x : e) s += static_cast<double>(x) * x;
  return std::sqrt(s);
}

Lite MakeLite(std::string_view author, std::string_view sound,
              std::string_view topic, const std::vector<float>& embedding,
              bool explored) {
  return {author,
          sound,
          topic,
          FeatureKey(author),
          FeatureKey(sound),
          LowerKey(topic),
          &embedding,
          Norm(embedding),
          explored,
          -1};
}

Lite FromRecent(const RecentItem& r) {
  return MakeLite(r.author, r.sound, r.topic, r.embedding, r.explored);
}

// PrimaryTopic(c) without the copy: the category (else the first tag) with
// one leading '#' removed; lower-casing is left to the comparison.
std::string_view RawTopic(const Candidate& c) {
  std::string_view t;
  if (!c.category.empty()) {
    t = c.category;
  } else if (!c.tags.empty()) {
    t = c.tags[0];
  }
  if (!t.empty() && t[0] == '#') t.remove_prefix(1);
  return t;
}

Lite FromItem(const DiversityItem& it) {
  const Candidate& c = *it.candidate;
  return MakeLite(c.author, c.sound, RawTopic(c), c.embedding, it.explored);
}

bool SameAuthor(const Lite& a, const Lite& b) {
  return a.author_key == b.author_key && a.author == b.author;
}
bool SameSound(const Lite& a, const Lite& b) {
  return a.sound_key == b.sound_key && a.sound == b.sound;
}
bool SameTopic(const Lite& a, const Lite& b) {
  return a.topic_key == b.topic_key && SameLower(a.topic, b.topic);
}

int TopicCap(const DiversityConfig& cfg) {
  const int cap = static_cast<int>(
      std::floor(std::max(cfg.topic_max_share, 0.0) * cfg.topic_window + 1e-9));
  return std::max(cap, 1);
}

// How many of the last topic_window - 1 items of `seq` share x's topic.
int TopicCountScan(const Lite& x, const std::vector<Lite>& seq,
                   const DiversityConfig& cfg) {
  const int n = static_cast<int>(seq.size());
  int count = 0;
  for (int i = std::max(0, n - (cfg.topic_window - 1)); i < n; ++i) {
    count += SameTopic(seq[i], x);
  }
  return count;
}

// Gives every item with a topic a small id, equal exactly when SameTopic.
class TopicIds {
 public:
  void Assign(Lite* x) {
    if (x->topic.empty()) return;
    for (const Lite* r : reps_) {
      if (SameTopic(*r, *x)) {
        x->topic_id = r->topic_id;
        return;
      }
    }
    x->topic_id = static_cast<int>(reps_.size());
    reps_.push_back(x);
  }
  int size() const { return static_cast<int>(reps_.size()); }

 private:
  std::vector<const Lite*> reps_;  // one per id (pointers into stable vectors)
};

// Topic counts over the last topic_window - 1 items of the running sequence,
// kept as items are appended (equal to TopicCountScan).
class TopicWindow {
 public:
  TopicWindow(int ids, const DiversityConfig& cfg, const std::vector<Lite>& seq)
      : span_(std::max(cfg.topic_window - 1, 0)), count_(ids, 0) {
    const size_t n = seq.size();
    const size_t span = static_cast<size_t>(span_);
    for (size_t i = n > span ? n - span : 0; i < n; ++i) Add(seq[i], 1);
  }
  // Call after seq->push_back(...).
  void Appended(const std::vector<Lite>& seq) {
    const size_t n = seq.size();
    if (span_ == 0) return;
    Add(seq[n - 1], 1);
    if (n > static_cast<size_t>(span_)) Add(seq[n - 1 - span_], -1);
  }
  int Count(const Lite& x) const {
    return x.topic_id >= 0 ? count_[x.topic_id] : 0;
  }

 private:
  void Add(const Lite& y, int d) {
    if (y.topic_id >= 0) count_[y.topic_id] += d;
  }
  int span_;
  std::vector<int> count_;
};

// Bitmask of the constraints `x` breaks when appended to `seq`, given
// `topic_count` = TopicCountScan(x, seq, cfg).
unsigned Violations(const Lite& x, const std::vector<Lite>& seq,
                    const DiversityConfig& cfg, int topic_count) {
  unsigned v = 0;
  const int n = static_cast<int>(seq.size());
  if (cfg.author_window > 0 && !x.author.empty()) {
    for (int i = std::max(0, n - cfg.author_window); i < n; ++i) {
      if (SameAuthor(seq[i], x)) {
        v |= kCreator;
        break;
      }
    }
  }
  if (cfg.sound_window > 0 && !x.sound.empty()) {
    for (int i = std::max(0, n - cfg.sound_window); i < n; ++i) {
      if (SameSound(seq[i], x)) {
        v |= kSound;
        break;
      }
    }
  }
  if (cfg.topic_window > 0 && !x.topic.empty()) {
    if (1 + topic_count > TopicCap(cfg)) v |= kTopic;
  }
  if (cfg.explore_gap > 1 && x.explored) {
    for (int i = std::max(0, n - (cfg.explore_gap - 1)); i < n; ++i) {
      if (seq[i].explored) {
        v |= kExploreGap;
        break;
      }
    }
  }
  return v;
}

// Cosine of x and y, or false when MaxSimilarity skips y (no embedding or
// another dimension). Requires x.norm > 0.
bool Cosine(const Lite& x, const Lite& y, double* out) {
  if (y.norm <= 0.0 || y.embedding->size() != x.embedding->size()) {
    return false;
  }
  double dot = 0.0;
  for (size_t d = 0; d < x.embedding->size(); ++d) {
    dot += static_cast<double>((*x.embedding)[d]) * (*y.embedding)[d];
  }
  *out = dot / (x.norm * y.norm);
  return true;
}

// Cosines of the competing items with the sequence, each pair computed once:
// max cosine(embedding, embeddings of the last `mmr_window` items) is then a
// scan of cached values, in the same order (so the same bits) as computing
// it directly.
class SimilarityCache {
 public:
  SimilarityCache(size_t items, size_t seq_capacity)
      : stride_(seq_capacity),
        cos_(items * seq_capacity),
        ok_(items * seq_capacity, 0) {}
  // Pairs (j, k) for every item j of `items` not `used` (null: all):
  // item j and seq[k] = y. Each cosine is Cosine's, bit for bit (its own
  // sum in the same order); four are computed side by side.
  void ComputeColumn(size_t k, const Lite& y, const std::vector<Lite>& items,
                     const std::vector<char>* used) {
    if (k >= stride_) return;
    size_t batch[4];
    int m = 0;
    for (size_t j = 0; j < items.size(); ++j) {
      if ((used && (*used)[j]) || items[j].norm <= 0.0) continue;
      const size_t at = j * stride_ + k;
      if (y.norm <= 0.0 || y.embedding->size() != items[j].embedding->size()) {
        ok_[at] = 0;
        continue;
      }
      batch[m++] = j;
      if (m == 4) {
        Four(k, y, items, batch);
        m = 0;
      }
    }
    for (int b = 0; b < m; ++b) {
      const size_t at = batch[b] * stride_ + k;
      ok_[at] = Cosine(items[batch[b]], y, &cos_[at]) ? 1 : 0;
    }
  }
  // Max over seq[lo, n) as MaxSimilarity computes it.
  double Max(size_t j, const Lite& x, size_t lo, size_t n) const {
    if (x.norm <= 0.0) return 0.0;
    double best = 0.0;
    bool any = false;
    for (size_t k = lo; k < n && k < stride_; ++k) {
      const size_t at = j * stride_ + k;
      if (!ok_[at]) continue;
      if (!any || cos_[at] > best) best = cos_[at];
      any = true;
    }
    return best;
  }

 private:
  // Cosine(items[j[i]], y) for i < 4, all of y's dimension.
  void Four(size_t k, const Lite& y, const std::vector<Lite>& items,
            const size_t* j) {
    const float* yv = y.embedding->data();
    const float* a = items[j[0]].embedding->data();
    const float* b = items[j[1]].embedding->data();
    const float* c = items[j[2]].embedding->data();
    const float* d = items[j[3]].embedding->data();
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    const size_t dim = y.embedding->size();
    for (size_t t = 0; t < dim; ++t) {
      const double yt = yv[t];
      s0 += static_cast<double>(a[t]) * yt;
      s1 += static_cast<double>(b[t]) * yt;
      s2 += static_cast<double>(c[t]) * yt;
      s3 += static_cast<double>(d[t]) * yt;
    }
    const double sums[4] = {s0, s1, s2, s3};
    for (int i = 0; i < 4; ++i) {
      const size_t at = j[i] * stride_ + k;
      cos_[at] = sums[i] / (items[j[i]].norm * y.norm);
      ok_[at] = 1;
    }
  }
  size_t stride_;
  std::vector<double> cos_;
  std::vector<uint8_t> ok_;
};

void Append(std::vector<std::string>* v, const char* s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

// Runs the greedy placement for up to `limit` positions.
DiversifyResult Run(const std::vector<DiversityItem>& items,
                    const std::vector<RecentItem>& history,
                    const DiversityConfig& cfg, size_t limit) {
  DiversifyResult out;
  const size_t n = items.size();
  limit = std::min(limit, n);
  out.order.reserve(limit);
  out.notes.reserve(limit);
  if (!cfg.enabled) {
    for (size_t i = 0; i < limit; ++i) {
      out.order.push_back(static_cast<int>(i));
      DiversityNote note;
      note.from = note.to = static_cast<int>(i);
      out.notes.push_back(note);
    }
    return out;
  }
  // Keep only as much history as any window needs.
  const int need =
      std::max({cfg.author_window, cfg.sound_window, cfg.topic_window,
                cfg.mmr_window, cfg.explore_gap, 1});
  std::vector<Lite> seq;
  seq.reserve(static_cast<size_t>(need) + limit);
  for (size_t i = history.size() > static_cast<size_t>(need)
                      ? history.size() - need
                      : 0;
       i < history.size(); ++i) {
    seq.push_back(FromRecent(history[i]));
  }
  const size_t depth = static_cast<size_t>(std::max(cfg.depth, 1));
  // Only the first `window` inputs compete for the diversified positions
  // (the input is in relevance order, so deeper items could only win a
  // position through MMR by an implausible margin); everything after them
  // keeps input order. This bounds the work per call by depth * window
  // instead of depth * n.
  const size_t window = std::min(n, depth * 4);
  std::vector<Lite> lite;
  lite.reserve(window);
  // Relevance is scaled over the first `depth` inputs (the ones that compete
  // for the diversified positions), so a long tail does not flatten it.
  double lo = 0.0, hi = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (i < window) lite.push_back(FromItem(items[i]));
    if (i >= depth) continue;
    const double r = items[i].relevance;
    if (i == 0 || r < lo) lo = r;
    if (i == 0 || r > hi) hi = r;
  }
  const double span = hi > lo ? hi - lo : 1.0;
  const double lambda = std::min(std::max(cfg.mmr_lambda, 0.0), 1.0);
  // Topic ids (seq only grows by copies of `lite` items) and the running
  // topic counts of the sequence.
  TopicIds ids;
  for (Lite& x : seq) ids.Assign(&x);
  for (Lite& x : lite) ids.Assign(&x);
  TopicWindow topics(ids.size(), cfg, seq);

  std::vector<char> used(n, 0);
  // Cosines are needed for the last `mmr_window` items of the sequence only.
  const bool mmr = lambda < 1.0 && cfg.mmr_window > 0;
  const size_t seq_cap = seq.size() + std::min(depth, window);
  SimilarityCache cache(mmr ? window : 0, mmr ? seq_cap : 0);
  if (mmr) {
    const size_t mw = static_cast<size_t>(cfg.mmr_window);
    for (size_t k = seq.size() > mw ? seq.size() - mw : 0; k < seq.size();
         ++k) {
      cache.ComputeColumn(k, seq[k], lite, nullptr);
    }
  }
  std::vector<DiversityNote> notes(window);
  std::vector<unsigned> viol(window);
  std::vector<double> sim(window);
  size_t next_unused = 0;  // first input not yet placed (for p >= depth)
  static const unsigned kRelaxOrder[] = {
      kAll, kAll & ~kTopic, kAll & ~kTopic & ~kSound, kExploreGap, 0u};
  for (size_t p = 0; p < limit; ++p) {
    size_t pick = n;
    bool relaxed = false;
    if (p >= depth || p >= window) {
      while (next_unused < n && used[next_unused]) ++next_unused;
      pick = next_unused;
    } else {
      size_t top = n;  // most relevant remaining (input order)
      for (size_t j = 0; j < window; ++j) {
        if (used[j]) continue;
        if (top == n) top = j;
        viol[j] = Violations(lite[j], seq, cfg, topics.Count(lite[j]));
        if (mmr) {
          const size_t ns = seq.size(),
                       mw = static_cast<size_t>(cfg.mmr_window);
          sim[j] = cache.Max(j, lite[j], ns > mw ? ns - mw : 0, ns);
        } else {
          sim[j] = 0.0;
        }
      }
      if (viol[top]) {
        if (viol[top] & kCreator) Append(&notes[top].held_back_by, "creator");
        if (viol[top] & kSound) Append(&notes[top].held_back_by, "sound");
        if (viol[top] & kTopic) Append(&notes[top].held_back_by, "topic");
        if (viol[top] & kExploreGap) {
          Append(&notes[top].held_back_by, "explore_gap");
        }
      }
      for (unsigned mask : kRelaxOrder) {
        double best = 0.0;
        for (size_t j = 0; j < window; ++j) {
          if (used[j] || (viol[j] & mask)) continue;
          const double rel = (items[j].relevance - lo) / span;
          const double mmr = lambda * rel - (1.0 - lambda) * sim[j];
          if (pick == n || mmr > best) {
            pick = j;
            best = mmr;
          }
        }
        if (pick != n) break;
        relaxed = true;
      }
    }
    used[pick] = 1;
    const bool diversified = p < depth && p < window;
    DiversityNote note = pick < window ? notes[pick] : DiversityNote{};
    note.from = static_cast<int>(pick);
    note.to = static_cast<int>(p);
    note.similarity = diversified ? sim[pick] : 0.0;
    note.relaxed = relaxed;
    out.order.push_back(static_cast<int>(pick));
    out.notes.push_back(std::move(note));
    if (diversified) {
      seq.push_back(lite[pick]);
      topics.Appended(seq);
      if (mmr) {
        const size_t k = seq.size() - 1;
        cache.ComputeColumn(k, seq[k], lite, &used);
      }
    }
  }
  return out;
}

}  // namespace

DiversifyResult Diversify(const std::vector<DiversityItem>& items,
                          const std::vector<RecentItem>& history,
                          const DiversityConfig& config) {
  return Run(items, history, config, items.size());
}

int DiversifyNext(const std::vector<DiversityItem>& items,
                  const std::vector<RecentItem>& history,
                  const DiversityConfig& config, DiversityNote* note) {
  if (items.empty()) return -1;
  DiversifyResult r = Run(items, history, config, 1);
  if (note) *note = r.notes[0];
  return r.order[0];
}

bool BreaksDiversity(const RecentItem& item,
                     const std::vector<RecentItem>& history,
                     const DiversityConfig& config) {
  std::vector<Lite> seq;
  seq.reserve(history.size());
  for (const auto& h : history) seq.push_back(FromRecent(h));
  const Lite x = FromRecent(item);
  return Violations(x, seq, config, TopicCountScan(x, seq, config)) != 0;
}

}  // namespace reelrank
