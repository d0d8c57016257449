// Fuzz target: candidate input. Bytes -> a batch of candidates (ids, tags,
// labels, embeddings of any size and value, scores, durations) -> Rank.
// Rank must never crash, must account for each input index at most once,
// and must return finite values; ranking twice gives the same order.
#include <cstddef>
#include <cstdint>

#include "fuzz_gen.h"
#include "reelrank/ranker.h"

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
  reelrank_fuzz::CheckStats(ranker);
  return 0;
}
