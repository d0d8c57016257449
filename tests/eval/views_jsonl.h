// The KuaiRand -> JSON Lines converter: one logged view of a UserCase as a
// line of the format reelrank_train reads (reelrank/trainer.h,
// core/tools/README.md). The evaluation fits its model packs by feeding
// these lines to the same PackTrainer the command wraps, and
// `reelrank_eval --prior-log F --export-views OUT` writes them so that
// `reelrank_train --in OUT --out pack.json` reproduces the evaluated pack.
#ifndef REELRANK_EVAL_VIEWS_JSONL_H_
#define REELRANK_EVAL_VIEWS_JSONL_H_

#include <cstddef>
#include <string>

#include "dataset.h"

namespace reelrank {
namespace eval {

// Row i of `c` (its candidate with the case's server_score, and what the
// user did with it), one JSON object without a trailing newline.
std::string ViewLine(const UserCase& c, size_t i);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_VIEWS_JSONL_H_
