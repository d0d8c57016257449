// Private: JSON form of PipelineConfig inside the ranker's config JSON.
//
// Top-level keys of the config object (all optional; missing keys keep their
// defaults, unknown keys are ignored (ParseConfig lists them as warnings),
// wrong types / ranges are errors naming "config.<key>.<field>"):
//   "policy":    {"enabled": bool}
//   "fatigue":   {"enabled", "filter_ms", "discount_ms", "start_multiplier",
//                 "track_authors", "track_topics", "max_entries"}
//   "explore":   {"enabled", "method": "thompson"|"ucb", "slot_every",
//                 "max_rate", "min_rate", "half_fill_events", "ucb_c",
//                 "prior_sigma"}
//   "diversity": {"enabled", "author_window", "sound_window", "topic_window",
//                 "topic_max_share", "mmr_lambda", "mmr_window",
//                 "explore_gap", "depth", "history_size"}
#ifndef REELRANK_SRC_PIPELINE_CONFIG_JSON_H_
#define REELRANK_SRC_PIPELINE_CONFIG_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "reelrank/pipeline.h"

namespace reelrank {

// Reads the keys above from `root` into *out (validated with
// ValidatePipelineConfig). On error *out may be partly updated; callers
// parse into a copy.
Status ParsePipelineConfigJson(const nlohmann::json& root,
                               const std::string& path, PipelineConfig* out);

// Writes the keys above into `root`.
void WritePipelineConfigJson(const PipelineConfig& config,
                             nlohmann::json* root);

}  // namespace reelrank

#endif  // REELRANK_SRC_PIPELINE_CONFIG_JSON_H_
