#include "views_jsonl.h"

#include <nlohmann/json.hpp>

namespace reelrank {
namespace eval {

std::string ViewLine(const UserCase& c, size_t i) {
  const Candidate& k = c.candidates[i];
  const LogRow& row = *c.log->rows[i];
  nlohmann::json cand = {{"id", k.id},
                         {"author", k.author},
                         {"tags", k.tags},
                         {"duration_ms", k.duration_ms},
                         {"server_score", k.server_score}};
  if (!k.category.empty()) cand["category"] = k.category;
  if (!k.sound.empty()) cand["sound"] = k.sound;
  if (k.created_at_ms != 0) cand["created_at"] = k.created_at_ms;
  const int64_t play = row.play_ms > 0 ? row.play_ms : 0;
  const int64_t known = c.duration_ms[i];
  nlohmann::json outcome = {
      {"play_ms", play},
      {"completed", known > 0 && play >= known},
      {"like", row.like},
      {"follow", row.follow},
      {"share", row.forward},
      {"comment", row.comment},
      {"profile_visit", row.profile_stay_ms > 0 || row.profile_enter},
      {"not_interested", row.hate}};
  nlohmann::json line = {{"candidate", std::move(cand)},
                         {"outcome", std::move(outcome)},
                         {"user", std::to_string(row.user_id)},
                         {"time_ms", row.time_ms}};
  return line.dump();
}

}  // namespace eval
}  // namespace reelrank
