// Fuzz input generators shared by the libFuzzer targets: turn fuzzer bytes
// into candidates, events, contexts and small ranker configs. Mostly from
// small vocabularies (so ids collide, events refer to ranked items and policy
// rules match), sometimes arbitrary bytes or out-of-range values (so
// validation is exercised).
#ifndef REELRANK_TESTS_FUZZ_FUZZ_GEN_H_
#define REELRANK_TESTS_FUZZ_FUZZ_GEN_H_

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/config.h"
#include "reelrank/context.h"
#include "reelrank/event.h"
#include "reelrank/limits.h"
#include "reelrank/ranker.h"

namespace reelrank_fuzz {

using reelrank::Candidate;
using reelrank::Context;
using reelrank::Event;
using reelrank::EventKind;

#define FUZZ_CHECK(cond, ...)                                      \
  do {                                                             \
    if (!(cond)) {                                                 \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d): ", #cond, \
                   __FILE__, __LINE__);                            \
      std::fprintf(stderr, __VA_ARGS__);                           \
      std::fprintf(stderr, "\n");                                  \
      std::abort();                                                \
    }                                                              \
  } while (0)

inline const std::vector<std::string>& Words() {
  static const std::vector<std::string> w = {
      "cats",     "dogs",  "cooking", "news",   "scam",     "violence",
      "adult",    "hate",  "gore",    "Cats",   "#cats",    "music",
      "dance",    "prank", "sports",  "travel", "clickbait", "",
      "self_harm", "food", "a b",     "ünï",    "x",        "dangerous_acts",
      // Unicode separators, case and normalization variants (issue 20 item
      // 5): the same words behind curly quotes, dashes, ellipses, no-break
      // spaces, CJK punctuation, emoji; folded forms that must match.
      "\xe2\x80\x9cscam\xe2\x80\x9d", "no\xe2\x80\x94prank",
      "prank\xe2\x80\xa6", "a\xc2\xa0" "b", "scam\xe3\x80\x82",
      "prank\xf0\x9f\x94\xa5", "\xc2\xbf" "scam?", "CAF\xc3\x89",
      "caf\xc3\xa9", "cafe\xcc\x81", "\xc4\xb0stanbul", "\xc4\xb1stanbul",
      "Stra\xc3\x9f" "e", "STRASSE", "\xef\xbc\xb3\xef\xbc\xa3\xef\xbc\xa1\xef\xbc\xad",
      "\xef\xac\x81x", "\xe5\x89\xa7\xe9\x80\x8f", "\xef\xbc\x83" "cats",
      "sc\xc2\xad" "am", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"};
  return w;
}

// A string of about `limit` bytes: just at it, one byte over, or far over
// (issue 20 item 2: huge fields).
inline std::string Huge(FuzzedDataProvider& fdp, size_t limit) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 2)) {
    case 0:
      return std::string(limit, 'h');
    case 1:
      return std::string(limit + 1, 'h');
    default:
      return std::string(limit * 4 + 7, 'h');
  }
}

inline std::string Pick(FuzzedDataProvider& fdp,
                        const std::vector<std::string>& v) {
  return v[fdp.ConsumeIntegralInRange<size_t>(0, v.size() - 1)];
}

// A word from the vocabulary, or (1 in 8) arbitrary bytes.
inline std::string Word(FuzzedDataProvider& fdp) {
  if (fdp.ConsumeIntegralInRange<int>(0, 7) == 0) {
    return fdp.ConsumeRandomLengthString(24);
  }
  return Pick(fdp, Words());
}

inline std::string ItemId(FuzzedDataProvider& fdp) {
  uint8_t b = fdp.ConsumeIntegral<uint8_t>();
  if (b == 255) return fdp.ConsumeRandomLengthString(16);
  if (b == 254) return "";
  return "v" + std::to_string(b % 40);
}

inline float AnyFloat(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      return std::numeric_limits<float>::quiet_NaN();
    case 1:
      return std::numeric_limits<float>::infinity();
    case 2:
      return -std::numeric_limits<float>::infinity();
    case 3:
      return std::numeric_limits<float>::max();
    case 4:
      return std::numeric_limits<float>::denorm_min();
    case 5:
      return 0.0f;
    case 6: {
      float f;
      uint32_t u = fdp.ConsumeIntegral<uint32_t>();
      static_assert(sizeof(f) == sizeof(u), "float");
      __builtin_memcpy(&f, &u, sizeof(f));
      return f;
    }
    default:
      return fdp.ConsumeFloatingPointInRange<float>(-2.0f, 2.0f);
  }
}

inline double AnyScore(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      return std::numeric_limits<double>::quiet_NaN();
    case 1:
      return -1.0;
    case 2:
      return 1e300;
    case 3:
      return 0.0;
    case 4:
      return 1.0;
    default:
      return fdp.ConsumeProbability<double>();
  }
}

inline Candidate MakeCandidate(FuzzedDataProvider& fdp, int dim) {
  Candidate c;
  c.id = ItemId(fdp);
  c.author = "a" + std::to_string(fdp.ConsumeIntegralInRange<int>(0, 9));
  if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0) c.author = Word(fdp);
  int ntags = fdp.ConsumeIntegralInRange<int>(0, 5);
  if (fdp.ConsumeIntegralInRange<int>(0, 31) == 0) ntags = 40;
  for (int i = 0; i < ntags; ++i) c.tags.push_back(Word(fdp));
  c.category = Word(fdp);
  c.sound = "s" + std::to_string(fdp.ConsumeIntegralInRange<int>(0, 5));
  int nwords = fdp.ConsumeIntegralInRange<int>(0, 4);
  for (int i = 0; i < nwords; ++i) c.caption += Word(fdp) + " ";
  c.region = fdp.ConsumeBool() ? "US" : Word(fdp);
  switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      c.duration_ms = fdp.ConsumeIntegral<int64_t>();
      break;
    case 1:
    case 2:
      c.duration_ms = 0;  // a photo post
      break;
    case 3:
      c.duration_ms = reelrank::Limits::kDurationMs +
                      fdp.ConsumeIntegralInRange<int64_t>(-1, 1);
      break;
    default:
      c.duration_ms = fdp.ConsumeIntegralInRange<int64_t>(1, 600000);
  }
  c.created_at_ms = fdp.ConsumeBool()
                        ? 0
                        : fdp.ConsumeIntegralInRange<int64_t>(
                              -1000, 1800000000000LL);
  if (fdp.ConsumeIntegralInRange<int>(0, 31) == 0) {
    c.created_at_ms = fdp.ConsumeIntegral<int64_t>();
  }
  switch (fdp.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      break;  // no embedding
    case 1: {  // wrong size
      int n = fdp.ConsumeIntegralInRange<int>(0, dim * 2 + 1);
      for (int i = 0; i < n; ++i) c.embedding.push_back(AnyFloat(fdp));
      break;
    }
    case 2:  // right size, any values (NaN, inf, zero vector, huge)
      for (int i = 0; i < dim; ++i) c.embedding.push_back(AnyFloat(fdp));
      break;
    default:
      for (int i = 0; i < dim; ++i) {
        c.embedding.push_back(fdp.ConsumeFloatingPointInRange<float>(-1, 1));
      }
  }
  int nlabels = fdp.ConsumeIntegralInRange<int>(0, 3);
  for (int i = 0; i < nlabels; ++i) {
    reelrank::SafetyLabel l;
    l.name = Word(fdp);
    l.confidence = fdp.ConsumeIntegralInRange<int>(0, 7) == 0
                       ? AnyFloat(fdp)
                       : fdp.ConsumeProbability<float>();
    c.safety.push_back(l);
  }
  int m = fdp.ConsumeIntegralInRange<int>(0, 4);
  // 3: out of range; 4: what 2**32 + 2 becomes packed as int32 (2) and
  // INT32_MIN.
  c.maturity = static_cast<reelrank::Maturity>(
      m == 3 ? 7 : (m == 4 ? (fdp.ConsumeBool() ? 2 : INT32_MIN) : m));
  c.server_score = AnyScore(fdp);
  if (fdp.ConsumeIntegralInRange<int>(0, 47) == 0) {
    // One field at, just over or far over its byte / count limit.
    using L = reelrank::Limits;
    switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
        c.id = Huge(fdp, L::kIdBytes);
        break;
      case 1:
        c.author = Huge(fdp, L::kAuthorBytes);
        break;
      case 2:
        c.tags.push_back(Huge(fdp, L::kTagBytes));
        break;
      case 3:
        c.tags.assign(L::kTags + fdp.ConsumeIntegralInRange<size_t>(0, 1),
                      "t");
        break;
      case 4:
        c.category = Huge(fdp, L::kCategoryBytes);
        break;
      case 5:
        c.sound = Huge(fdp, L::kSoundBytes);
        break;
      case 6:
        c.caption = Huge(fdp, L::kCaptionBytes);
        break;
      case 7:
        c.region = Huge(fdp, L::kRegionBytes);
        break;
      case 8:
        c.safety.assign(
            L::kSafetyLabels + fdp.ConsumeIntegralInRange<size_t>(0, 1),
            {"x", 0.5f});
        break;
      default:
        // Many short words (the caption word cap and the keyword index).
        for (int i = 0; i < 3000; ++i) c.caption += "w ";
    }
  }
  return c;
}

inline std::vector<Candidate> MakeCandidates(FuzzedDataProvider& fdp, int dim,
                                             int max_n) {
  std::vector<Candidate> out;
  int n = fdp.ConsumeIntegralInRange<int>(0, max_n);
  for (int i = 0; i < n && fdp.remaining_bytes() > 0; ++i) {
    out.push_back(MakeCandidate(fdp, dim));
  }
  return out;
}

inline Context MakeContext(FuzzedDataProvider& fdp, int64_t now_ms) {
  Context ctx;
  ctx.now_ms = now_ms;
  ctx.hour_of_day = fdp.ConsumeIntegralInRange<int>(0, 23);
  if (fdp.ConsumeIntegralInRange<int>(0, 31) == 0) {
    ctx.hour_of_day = fdp.ConsumeIntegral<int>();
  }
  ctx.session_depth = fdp.ConsumeIntegralInRange<int>(0, 100);
  ctx.surface = static_cast<reelrank::Surface>(
      fdp.ConsumeIntegralInRange<int>(0, 3));
  return ctx;
}

inline Event MakeEvent(FuzzedDataProvider& fdp, int serial, int64_t now_ms) {
  Event e;
  uint8_t id = fdp.ConsumeIntegral<uint8_t>();
  e.event_id = id < 240 ? "e" + std::to_string(serial)
                        : (id < 250 ? "e" + std::to_string(id % 8) : "");
  e.item_id = ItemId(fdp);
  int k = fdp.ConsumeIntegralInRange<int>(0, reelrank::kNumEventKinds);
  e.kind = static_cast<EventKind>(k == reelrank::kNumEventKinds ? 99 : k);
  e.timestamp_ms = now_ms;
  switch (fdp.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      e.timestamp_ms = fdp.ConsumeIntegral<int64_t>();
      break;
    case 1:  // far future (issue 20 item 7), or just at / over the bound
      e.timestamp_ms = fdp.ConsumeBool()
                           ? 1000000000000000LL
                           : now_ms + reelrank::Limits::kEventLeadMs +
                                 fdp.ConsumeIntegralInRange<int64_t>(-1, 1);
      break;
    case 2:  // late (behind the clock)
      e.timestamp_ms = now_ms - fdp.ConsumeIntegralInRange<int64_t>(
                                    0, 90LL * 24 * 3600 * 1000);
      break;
    default:
      break;
  }
  if (fdp.ConsumeIntegralInRange<int>(0, 63) == 0) {
    e.event_id = Huge(fdp, reelrank::Limits::kIdBytes);
  }
  e.dwell_ms = fdp.ConsumeIntegralInRange<int>(0, 15) == 0
                   ? fdp.ConsumeIntegral<int64_t>()
                   : fdp.ConsumeIntegralInRange<int64_t>(0, 120000);
  e.velocity = fdp.ConsumeIntegralInRange<int>(0, 15) == 0
                   ? AnyFloat(fdp)
                   : fdp.ConsumeFloatingPointInRange<float>(0, 10);
  return e;
}

// A small config so caps and evictions are reached quickly.
inline reelrank::RankerConfig SmallConfig(FuzzedDataProvider& fdp) {
  reelrank::RankerConfig c;
  c.embedding_dim = fdp.ConsumeIntegralInRange<int>(1, 6);
  c.seed = fdp.ConsumeIntegral<uint8_t>();
  c.profile.max_features = fdp.ConsumeIntegralInRange<int>(16, 64);
  c.profile.max_seen_items = fdp.ConsumeIntegralInRange<int>(1, 24);
  c.profile.max_event_log = fdp.ConsumeIntegralInRange<int>(1, 24);
  c.profile.max_known_items = fdp.ConsumeIntegralInRange<int>(1, 32);
  c.explain = fdp.ConsumeBool();
  return c;
}

// Checks the shape of a Rank result: every input index appears exactly once
// (ranked or rejected), values and head predictions are finite.
inline void CheckRankResult(const reelrank::RankResult& r, size_t n) {
  std::vector<int> hits(n, 0);
  for (const auto& s : r.ranked) {
    FUZZ_CHECK(s.index >= 0 && static_cast<size_t>(s.index) < n,
               "ranked index %d of %zu", s.index, n);
    ++hits[s.index];
    FUZZ_CHECK(std::isfinite(s.value), "non-finite value for index %d",
               s.index);
    for (float h : s.heads) {
      FUZZ_CHECK(std::isfinite(h) && h >= 0.0f && h <= 1.0f,
                 "head prediction %g", static_cast<double>(h));
    }
    FUZZ_CHECK(s.num_contributions >= 0 &&
                   s.num_contributions <= reelrank::kMaxContributions,
               "num_contributions %d", s.num_contributions);
  }
  for (const auto& j : r.rejected) {
    FUZZ_CHECK(j.index >= 0 && static_cast<size_t>(j.index) < n,
               "rejected index %d of %zu", j.index, n);
    FUZZ_CHECK(!j.status.ok(), "rejection with ok status");
    ++hits[j.index];
  }
  for (size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(hits[i] <= 1, "index %zu appears %d times", i, hits[i]);
  }
}

inline void CheckStats(const reelrank::Ranker& r) {
  reelrank::ProfileStats s = r.Stats();
  const auto& p = r.config().profile;
  FUZZ_CHECK(s.features <= p.max_features, "features %d > cap %d", s.features,
             p.max_features);
  FUZZ_CHECK(s.seen_items <= p.max_seen_items, "seen %d > cap %d",
             s.seen_items, p.max_seen_items);
  FUZZ_CHECK(s.event_log <= p.max_event_log, "log %d > cap %d", s.event_log,
             p.max_event_log);
  FUZZ_CHECK(s.known_items <= p.max_known_items, "known %d > cap %d",
             s.known_items, p.max_known_items);
}

}  // namespace reelrank_fuzz

#endif  // REELRANK_TESTS_FUZZ_FUZZ_GEN_H_
