// Fuzz target: candidate input. Bytes -> a batch of candidates (ids, tags,
// labels, embeddings of any size and value, scores, durations) -> Rank.
// Rank must never crash, must account for each input index at most once,
// and must return finite values; ranking twice gives the same order. The
// same batch prepared once (Prepare, the web package's setCandidates path)
// and ranked by a twin ranker gives bit for bit the same results, call after
// call and at another hour.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_gen.h"
#include "reelrank/policy.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/ranker.h"

namespace {

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void CheckSame(const reelrank::RankResult& a, const reelrank::RankResult& b,
               const char* where) {
  FUZZ_CHECK(a.ranked.size() == b.ranked.size(), "%s: ranked %zu vs %zu", where,
             a.ranked.size(), b.ranked.size());
  for (size_t i = 0; i < a.ranked.size(); ++i) {
    const reelrank::ScoredCandidate& x = a.ranked[i];
    const reelrank::ScoredCandidate& y = b.ranked[i];
    FUZZ_CHECK(
        x.index == y.index && SameBits(x.value, y.value) &&
            x.num_contributions == y.num_contributions &&
            x.rule_id == y.rule_id && x.explored == y.explored &&
            std::memcmp(x.heads.data(), y.heads.data(), sizeof(x.heads)) == 0,
        "%s: position %zu differs (index %d vs %d)", where, i, x.index,
        y.index);
  }
  FUZZ_CHECK(a.rejected.size() == b.rejected.size(), "%s: rejected", where);
  for (size_t i = 0; i < a.rejected.size(); ++i) {
    FUZZ_CHECK(
        a.rejected[i].index == b.rejected[i].index &&
            a.rejected[i].status.ToString() == b.rejected[i].status.ToString(),
        "%s: rejection %zu differs", where, i);
  }
  FUZZ_CHECK(a.dropped.size() == b.dropped.size(), "%s: dropped", where);
  for (size_t i = 0; i < a.dropped.size(); ++i) {
    FUZZ_CHECK(a.dropped[i].index == b.dropped[i].index &&
                   a.dropped[i].rule_id == b.dropped[i].rule_id,
               "%s: dropped %zu differs", where, i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  reelrank::RankerConfig config = reelrank_fuzz::SmallConfig(fdp);
  reelrank::Ranker ranker(config);
  FUZZ_CHECK(ranker.config_status().ok(), "config: %s",
             ranker.config_status().ToString().c_str());
  const int64_t now = 1700000000000LL;
  std::vector<reelrank::Candidate> cands =
      reelrank_fuzz::MakeCandidates(fdp, config.embedding_dim, 48);
  reelrank::Context ctx = reelrank_fuzz::MakeContext(fdp, now);
  reelrank::RankResult a = ranker.Rank(cands, ctx);
  reelrank_fuzz::CheckRankResult(a, cands.size());
  reelrank::RankResult b = ranker.Rank(cands, ctx);
  FUZZ_CHECK(a.ranked.size() == b.ranked.size(), "rank not repeatable");
  reelrank::Ranker twin(config);
  const reelrank::PreparedBatch batch = twin.Prepare(cands);
  CheckSame(a, twin.Rank(batch, ctx), "prepared, first call");
  CheckSame(b, twin.Rank(batch, ctx), "prepared, second call");
  reelrank::Context later = ctx;
  later.now_ms += 3600000;
  later.hour_of_day = (std::clamp(ctx.hour_of_day, 0, 23) + 7) % 24;
  for (const char* where : {"prepared, other hour", "prepared, again"}) {
    reelrank::RankResult x = ranker.Rank(cands, later);
    CheckSame(x, twin.Rank(batch, later), where);
  }
  // User controls that hold back the first `split` candidates' authors for
  // two calls, then none: items the held-back calls never looked up come
  // back into a small known pool (insertions, evictions).
  const size_t split = fdp.ConsumeIntegralInRange<size_t>(0, cands.size());
  reelrank::UserControls uc;
  for (size_t i = 0; i < split; ++i) {
    uc.blocked_authors.push_back(cands[i].author);
  }
  const std::string controls = reelrank::UserControlsToJson(uc);
  FUZZ_CHECK(ranker.SetUserControls(controls).ok() ==
                 twin.SetUserControls(controls).ok(),
             "controls accepted by one twin only");
  for (const char* where : {"held back", "held back again"}) {
    reelrank::RankResult x = ranker.Rank(cands, later);
    CheckSame(x, twin.Rank(batch, later), where);
  }
  FUZZ_CHECK(
      ranker.SetUserControls("{}").ok() && twin.SetUserControls("{}").ok(),
      "clearing controls failed");
  for (const char* where : {"released", "released again"}) {
    reelrank::RankResult x = ranker.Rank(cands, later);
    CheckSame(x, twin.Rank(batch, later), where);
  }
  reelrank_fuzz::CheckStats(ranker);
  return 0;
}
