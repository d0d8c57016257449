// Fuzz target: event streams. Bytes -> a sequence of Rank / Observe /
// Forget / ExportProfile / ImportProfile / Reset / PauseLearning /
// SetObjectiveWeight calls on one ranker with small caps. Never crashes;
// after every call the profile stays within its caps; an exported profile
// always imports back (into this ranker and a fresh one) and re-exports to
// the same bytes; a failed Observe / Forget / Import changes nothing; no
// accepted event is more than Limits::kEventLeadMs ahead of every earlier
// accepted event and Rank clock (issue 20 item 7).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include <algorithm>
#include <limits>

#include "fuzz_gen.h"
#include "reelrank/limits.h"
#include "reelrank/ranker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  reelrank::RankerConfig config = reelrank_fuzz::SmallConfig(fdp);
  reelrank::Ranker ranker(config);
  int64_t now = 1700000000000LL;
  int serial = 0;
  std::deque<std::string> event_ids;
  std::string last_export;
  // The latest of every accepted event and Rank clock so far: the ranker's
  // clock is never later.
  int64_t latest = std::numeric_limits<int64_t>::min();
  bool any_clock = false;
  int ops = 0;
  while (fdp.remaining_bytes() > 0 && ops++ < 200) {
    now += fdp.ConsumeIntegralInRange<int64_t>(0, 3600000);
    switch (fdp.ConsumeIntegralInRange<int>(0, 11)) {
      case 0:
      case 1: {
        std::vector<reelrank::Candidate> cands =
            reelrank_fuzz::MakeCandidates(fdp, config.embedding_dim, 12);
        reelrank::RankResult r =
            ranker.Rank(cands, reelrank_fuzz::MakeContext(fdp, now));
        reelrank_fuzz::CheckRankResult(r, cands.size());
        latest = std::max(latest, now);
        any_clock = true;
        break;
      }
      case 2:
      case 3:
      case 4:
      case 5: {
        reelrank::Event e = reelrank_fuzz::MakeEvent(fdp, serial++, now);
        std::string before;
        const bool check = fdp.ConsumeIntegralInRange<int>(0, 7) == 0;
        if (check) before = ranker.ExportProfile();
        reelrank::Status s = ranker.Observe(e);
        if (s.ok()) {
          FUZZ_CHECK(!any_clock || e.timestamp_ms <= latest ||
                         e.timestamp_ms - latest <=
                             reelrank::Limits::kEventLeadMs,
                     "accepted an event %lld ms ahead of every clock",
                     static_cast<long long>(e.timestamp_ms - latest));
          latest = std::max(latest, e.timestamp_ms);
          any_clock = true;
          event_ids.push_back(e.event_id);
          if (event_ids.size() > 64) event_ids.pop_front();
        } else if (check) {
          FUZZ_CHECK(ranker.ExportProfile() == before,
                     "failed Observe changed the profile: %s",
                     s.ToString().c_str());
        }
        break;
      }
      case 6: {
        std::string id;
        if (!event_ids.empty() && fdp.ConsumeBool()) {
          id = event_ids[fdp.ConsumeIntegralInRange<size_t>(
              0, event_ids.size() - 1)];
        } else {
          id = fdp.ConsumeRandomLengthString(8);
        }
        const bool check = fdp.ConsumeIntegralInRange<int>(0, 3) == 0;
        std::string before;
        if (check) before = ranker.ExportProfile();
        reelrank::Status s = ranker.Forget(id);
        if (!s.ok() && check) {
          FUZZ_CHECK(ranker.ExportProfile() == before,
                     "failed Forget changed the profile: %s",
                     s.ToString().c_str());
        }
        break;
      }
      case 7: {
        last_export = ranker.ExportProfile();
        reelrank::Ranker fresh(config);
        reelrank::Status s = fresh.ImportProfile(last_export);
        FUZZ_CHECK(s.ok(), "own export does not import: %s",
                   s.ToString().c_str());
        FUZZ_CHECK(fresh.ExportProfile() == last_export,
                   "export -> import -> export differs");
        break;
      }
      case 8: {
        if (last_export.empty()) break;
        reelrank::Status s = ranker.ImportProfile(last_export);
        FUZZ_CHECK(s.ok(), "re-import failed: %s", s.ToString().c_str());
        break;
      }
      case 9:
        if (fdp.ConsumeIntegralInRange<int>(0, 3) == 0) ranker.Reset();
        else ranker.PauseLearning(fdp.ConsumeBool());
        break;
      case 10: {
        auto head = static_cast<reelrank::Head>(
            fdp.ConsumeIntegralInRange<int>(0, reelrank::kNumHeads));
        double w = fdp.ConsumeIntegralInRange<int>(0, 7) == 0
                       ? reelrank_fuzz::AnyScore(fdp) * 1e3
                       : fdp.ConsumeFloatingPointInRange<double>(-1, 6);
        (void)ranker.SetObjectiveWeight(head, w);
        break;
      }
      case 11: {
        // Bytes as a forget id, import text or objective-weights JSON.
        std::string s = fdp.ConsumeRandomLengthString(64);
        if (fdp.ConsumeBool()) {
          std::string before = ranker.ExportProfile();
          if (!ranker.ImportProfile(s).ok()) {
            FUZZ_CHECK(ranker.ExportProfile() == before,
                       "failed import changed the profile");
          }
        } else {
          (void)ranker.SetObjectiveWeights(s);
        }
        break;
      }
    }
    reelrank_fuzz::CheckStats(ranker);
  }
  return 0;
}
