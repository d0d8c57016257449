// Pooling per-user records into the evaluation's figures (JSON), the
// objectives the nested cross-validation chooses by, and the printed table.
//
// Every reelrank figure is paired with the prior on the same users and
// lists: "diff" = mean over users of (reelrank - prior) with its standard
// error (GAUC: impression-weighted, as GAUC itself).
#ifndef REELRANK_EVAL_REPORT_H_
#define REELRANK_EVAL_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evaluate.h"

namespace reelrank {
namespace eval {

// The figures of one reelrank variant on `base.size()` users (reel[i] is
// the same user as base[i]): keys gauc_long_view, logloss_long_view,
// ndcg10_long_view, ndcg10_watch_ratio, ndcg10_debiased, loop, counters.
nlohmann::json Summarize(const std::vector<BaseRecord>& base,
                         const std::vector<ReelRecord>& reel);

// The value of an objective on a report holding "no_pack" (and "pack")
// summaries. `name` is a sum of terms "[w*][pack.]metric", e.g.
// "deb_k10", "mean_k5_k10", "combined", "pack.deb_k10+0.5*loop_deb20".
// Metrics (reelrank - prior, or - prior-greedy for loop_*):
//   lv_k{0,5,10,20}, wr_k{...}, deb_k{...}  NDCG@10 differences;
//   gauc                                    GAUC difference;
//   mean_k5_k10   (deb_k5 + deb_k10) / 2;
//   combined      mean_k5_k10 - sum of max(0, -x) over x in lv_k5, lv_k10,
//                 wr_k5, wr_k10 (a penalty for long-view / watch-ratio
//                 losses);
//   loop_{lv10,lv20,deb10,deb20}            the feed - prior-greedy;
//   loop_exploit_{lv10,...}                 exploration and diversity off.
// Sets *error and returns NaN for an unknown name.
double Objective(const nlohmann::json& report, const std::string& name,
                 std::string* error);
// The metric names Objective accepts (for --help and errors).
std::string ObjectiveNames();

// Prints the table of a report (holding "no_pack" and optionally "pack").
void PrintReport(const nlohmann::json& report);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_REPORT_H_
