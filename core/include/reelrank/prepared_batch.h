// PreparedBatch: a candidate batch validated and pre-digested once, to be
// ranked many times ("prepare once, rank many").
//
// A feed re-ranks the same batch after every swipe; only the profile, the
// model pack, the policy / user controls, the objective weights and the time
// change between those calls. Ranker::Prepare does the input-only work once:
// it validates the candidates (rejections with field-named reasons, duplicate
// ids), builds each valid candidate's feature keys and hashes (tags, author,
// sound, category, duration, crosses; the hour cross for every hour bucket)
// and its unit embedding, and lower-cases the strings the policy matches on.
// Ranker::Rank(const PreparedBatch&, ...) then gives exactly (bit for bit)
// what Ranker::Rank(candidates, ...) gives for the same candidates and state.
// Everything that depends on the ranker's state is still computed per call.
//
//   reelrank::PreparedBatch batch = ranker.Prepare(std::move(candidates));
//   for (const auto& r : batch.rejected()) Log(r.status);
//   reelrank::RankResult r = ranker.Rank(batch, context);  // after each swipe
//   Show(batch.candidates()[r.ranked[0].index]);
//
// A batch is immutable once prepared, movable, not copyable; ranking it does
// not change it, so one batch may be ranked by any ranker of the same
// embedding dimension (another dimension: it is validated again per call).
#ifndef REELRANK_PREPARED_BATCH_H_
#define REELRANK_PREPARED_BATCH_H_

#include <memory>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/ranker.h"

namespace reelrank {

class PreparedBatch {
 public:
  // An empty batch (ranks to an empty result).
  PreparedBatch();
  ~PreparedBatch();
  PreparedBatch(PreparedBatch&& other) noexcept;
  PreparedBatch& operator=(PreparedBatch&& other) noexcept;
  PreparedBatch(const PreparedBatch&) = delete;
  PreparedBatch& operator=(const PreparedBatch&) = delete;

  // The candidates as given, in input order (ScoredCandidate::index,
  // Rejection::index and DroppedCandidate::index point here).
  const std::vector<Candidate>& candidates() const;
  // Invalid candidates with field-named reasons, in input order; the same
  // list RankResult::rejected reports.
  const std::vector<Rejection>& rejected() const;
  // The embedding dimension the batch was validated for.
  int embedding_dim() const;
  size_t size() const { return candidates().size(); }

  struct Data;  // private (core/src/prepared.h)

 private:
  friend class Ranker;
  explicit PreparedBatch(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

}  // namespace reelrank

#endif  // REELRANK_PREPARED_BATCH_H_
