// Private: what a PreparedBatch holds (see reelrank/prepared_batch.h), shared
// by Ranker::Prepare and Ranker::Rank.
#ifndef REELRANK_SRC_PREPARED_H_
#define REELRANK_SRC_PREPARED_H_

#include <array>
#include <cstdint>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/policy.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/profile.h"

namespace reelrank {

// The input-only part of one valid candidate.
struct PreparedItem {
  // BuildItemSnapshot(candidate, hour 0). For another hour only `hour` and
  // the category x hour cross differ (see SnapshotAt).
  ItemSnapshot snap;
  int cat_hour = -1;  // index of the kCatHour feature in snap.features
  std::array<uint64_t, 4> cat_hour_keys{};  // its key per hour bucket (h / 6)
  // false: the cross collides with another feature for some bucket (so
  // BuildItemSnapshot would drop it); SnapshotAt then rebuilds from scratch.
  bool patchable = true;
  PolicyMatchInput policy;
  // Batch feature ids (indices into PreparedBatch::Data::feature_keys) of
  // snap.features, the hour cross at bucket 0, and the cross's id per
  // bucket; set for patchable items of a batch prepared with `precompute`.
  std::vector<uint32_t> feature_ids;
  std::array<uint32_t, 4> cat_hour_ids{};
  // The batch (a process-unique serial, 0 = none) and position it was
  // prepared in: a batch is immutable, so equal sources mean equal
  // candidates.
  uint64_t batch = 0;
  int batch_index = -1;
};

struct PreparedBatch::Data {
  // The candidates: `owned`, or borrowed from the caller for one Rank call
  // (Ranker::Rank(candidates, ...)).
  std::vector<Candidate> owned;
  const std::vector<Candidate>* candidates = &owned;
  int embedding_dim = 0;
  std::vector<Rejection> rejected;  // in input order
  std::vector<uint8_t> valid;       // per candidate
  // Per candidate (default when invalid); empty when only validated.
  std::vector<PreparedItem> items;
  // The distinct feature keys of `items` (every hour bucket of the hour
  // cross): Rank looks each one up once per call and indexes the rest.
  // Only items whose `batch` is `serial` (0: none) carry ids into it.
  std::vector<uint64_t> feature_keys;
  uint64_t serial = 0;

  Data() = default;
  Data(const Data&) = delete;
  Data& operator=(const Data&) = delete;
};

// Validates `*data->candidates` for `embedding_dim` and fills the rest of
// `data`, reusing its buffers. With `precompute` false (a batch ranked once)
// `items` is left empty: Rank then builds snapshots and policy views itself.
void PrepareData(int embedding_dim, bool precompute, PreparedBatch::Data* data);

// Fills `item` (snapshot, hour cross, policy input) for a valid candidate;
// leaves its source fields alone.
void PrepareItem(const Candidate& c, PreparedItem* item);

// Appends to `out` the batch feature ids of SnapshotAt(c, item,
// hour_of_day, ...)'s features (the hour cross for the hour's bucket) and
// returns true; false (nothing appended) when `item` has none in `d`
// (not prepared in `d`, or not patchable).
bool AppendFeatureIdsAt(const PreparedBatch::Data& d, const PreparedItem& item,
                        int hour_of_day, std::vector<uint32_t>* out);

// Writes into `out` exactly what BuildItemSnapshot(c, hour_of_day, out)
// would, reusing its buffers.
void SnapshotAt(const Candidate& c, const PreparedItem& item, int hour_of_day,
                ItemSnapshot* out);

}  // namespace reelrank

#endif  // REELRANK_SRC_PREPARED_H_
