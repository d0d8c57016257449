// KuaiRand-1K loader for the offline evaluator: parses the random-exposure
// log and the basic video features (CSV with quoted tag lists), and maps one
// log row to the reelrank events it stands for.
//
// Data: Gao et al., "KuaiRand: An Unbiased Sequential Recommendation Dataset
// with Randomly Exposed Videos", CIKM 2022, CC BY-SA 4.0. Read at run time
// from ../shared/data/kuairand/; never copied into the repository.
#ifndef REELRANK_EVAL_KUAIRAND_H_
#define REELRANK_EVAL_KUAIRAND_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/event.h"

namespace reelrank {
namespace eval {

// One row of video_features_basic_pure.csv.
struct Video {
  int64_t video_id = 0;
  int64_t author_id = 0;
  std::string video_type;   // NORMAL / AD
  std::string upload_type;  // LongImport, Web, ShortImport, ...
  int64_t upload_day = 0;   // days since 1970-01-01, 0 = unknown
  int64_t duration_ms = 0;  // 0 = unknown (picture posts)
  int width = 0;
  int height = 0;
  int64_t music_id = 0;
  int music_type = -1;  // -1 = unknown
  std::vector<int> tags;
};

// One row of the interaction log. `long_view` is the evaluation label only.
struct LogRow {
  int64_t user_id = 0;
  int64_t video_id = 0;
  int64_t time_ms = 0;
  int hourmin = 0;  // HHMM of the row (hour resolution)
  bool click = false, like = false, follow = false, comment = false;
  bool forward = false, hate = false, long_view = false;
  bool profile_enter = false;
  int64_t play_ms = 0;
  int64_t duration_ms = 0;  // the log's duration; 0 = unknown
  int64_t profile_stay_ms = 0;
  int64_t comment_stay_ms = 0;
  int tab = 0;
};

// Reads the video features. On failure returns false and sets *error.
bool LoadVideos(const std::string& path,
                std::unordered_map<int64_t, Video>* videos, std::string* error);

// Reads the log (in file order). On failure returns false and sets *error.
bool LoadLog(const std::string& path, std::vector<LogRow>* rows,
             std::string* error);

// Duration used for candidates and watch ratios: the log's duration when
// known, else the video's, else 0 (picture posts).
int64_t KnownDurationMs(const LogRow& row, const Video& video);

// Nominal duration given to candidates whose duration is unknown (a
// Candidate needs duration_ms > 0).
constexpr int64_t kNominalDurationMs = 15000;

// The evaluation's "watch ratio" gain: play / duration capped at 1; 0 when
// the duration is unknown.
double WatchRatioGain(const LogRow& row, const Video& video);

// The candidate a server would send for this video (no personal data).
// `server_score` is the prior's P(long view).
Candidate MakeCandidate(const Video& video, int64_t duration_ms,
                        double server_score);

// The events one log row stands for, in time order, all for item
// `std::to_string(video_id)`, ids "<prefix>.<n>":
//   impression at time_ms;
//   like / follow / comment / share (forward) / profile_visit
//     (profile_stay_time > 0 or is_profile_enter) during the watch;
//   complete when play >= duration (known durations only);
//   not_interested (hate);
//   swipe_away with dwell_ms = play_ms at time_ms + play_ms.
// long_view and is_click are never turned into events.
std::vector<Event> RowToEvents(const LogRow& row, int64_t duration_ms,
                               const std::string& id_prefix);

}  // namespace eval
}  // namespace reelrank

#endif  // REELRANK_EVAL_KUAIRAND_H_
