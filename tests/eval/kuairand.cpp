#include "kuairand.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace reelrank {
namespace eval {
namespace {

bool ReadFile(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open " + path;
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Splits one CSV record into fields; double quotes group commas, "" is a
// literal quote. `pos` advances past the record's newline.
void NextRecord(const std::string& s, size_t* pos,
                std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false;
  size_t i = *pos;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      fields->push_back(cur);
      cur.clear();
    } else if (ch == '\n') {
      break;
    } else if (ch != '\r') {
      cur.push_back(ch);
    }
  }
  fields->push_back(cur);
  *pos = i + 1;
}

int64_t ToInt(const std::string& f) {
  if (f.empty()) return 0;
  // Some integer columns are written as floats ("87433.0").
  return static_cast<int64_t>(std::strtod(f.c_str(), nullptr));
}

// "2022-04-10" -> days since the epoch (civil-from-days inverse).
int64_t DaysFromDate(const std::string& f) {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(f.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return 0;
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Maps header names to column indices; false if one is missing.
bool Columns(const std::vector<std::string>& header,
             const std::vector<std::string>& names, std::vector<int>* idx,
             std::string* missing) {
  idx->assign(names.size(), -1);
  for (size_t n = 0; n < names.size(); ++n) {
    for (size_t h = 0; h < header.size(); ++h) {
      if (header[h] == names[n]) (*idx)[n] = static_cast<int>(h);
    }
    if ((*idx)[n] < 0) {
      *missing = names[n];
      return false;
    }
  }
  return true;
}

// Reads the CSV at `path`, checks its header has every column of `names`,
// and calls row(fields, column_index) for each record (column_index[k] is
// the field index of names[k]). False with `*error` set on a missing file,
// a missing column or a short record.
template <typename RowFn>
bool ReadTable(const std::string& path, const std::vector<std::string>& names,
               std::string* error, RowFn row) {
  std::string text;
  if (!ReadFile(path, &text, error)) return false;
  size_t pos = 0;
  std::vector<std::string> f;
  NextRecord(text, &pos, &f);
  std::vector<int> c;
  std::string missing;
  if (!Columns(f, names, &c, &missing)) {
    *error = path + ": missing column '" + missing + "'";
    return false;
  }
  while (pos < text.size()) {
    NextRecord(text, &pos, &f);
    if (f.size() == 1 && f[0].empty()) continue;
    if (f.size() < names.size()) {
      *error = path + ": short record at byte " + std::to_string(pos);
      return false;
    }
    row(f, c);
  }
  return true;
}

}  // namespace

bool LoadVideos(const std::string& path,
                std::unordered_map<int64_t, Video>* videos,
                std::string* error) {
  const std::vector<std::string> names = {
      "video_id",    "author_id",      "video_type",   "upload_dt",
      "upload_type", "video_duration", "server_width", "server_height",
      "music_id",    "music_type",     "tag"};
  return ReadTable(
      path, names, error,
      [&](const std::vector<std::string>& f, const std::vector<int>& c) {
        Video v;
        v.video_id = ToInt(f[c[0]]);
        v.author_id = ToInt(f[c[1]]);
        v.video_type = f[c[2]];
        v.upload_day = DaysFromDate(f[c[3]]);
        v.upload_type = f[c[4]];
        v.duration_ms = ToInt(f[c[5]]);
        v.width = static_cast<int>(ToInt(f[c[6]]));
        v.height = static_cast<int>(ToInt(f[c[7]]));
        v.music_id = ToInt(f[c[8]]);
        v.music_type = f[c[9]].empty() ? -1 : static_cast<int>(ToInt(f[c[9]]));
        const std::string& tags = f[c[10]];
        size_t a = 0;
        while (a < tags.size()) {
          size_t b = tags.find(',', a);
          if (b == std::string::npos) b = tags.size();
          if (b > a) v.tags.push_back(std::atoi(tags.substr(a, b - a).c_str()));
          a = b + 1;
        }
        (*videos)[v.video_id] = std::move(v);
      });
}

bool LoadLog(const std::string& path, std::vector<LogRow>* rows,
             std::string* error) {
  const std::vector<std::string> names = {"user_id",
                                          "video_id",
                                          "time_ms",
                                          "hourmin",
                                          "is_click",
                                          "is_like",
                                          "is_follow",
                                          "is_comment",
                                          "is_forward",
                                          "is_hate",
                                          "long_view",
                                          "play_time_ms",
                                          "duration_ms",
                                          "profile_stay_time",
                                          "comment_stay_time",
                                          "is_profile_enter",
                                          "tab"};
  return ReadTable(
      path, names, error,
      [&](const std::vector<std::string>& f, const std::vector<int>& c) {
        LogRow r;
        r.user_id = ToInt(f[c[0]]);
        r.video_id = ToInt(f[c[1]]);
        r.time_ms = ToInt(f[c[2]]);
        r.hourmin = static_cast<int>(ToInt(f[c[3]]));
        r.click = ToInt(f[c[4]]) != 0;
        r.like = ToInt(f[c[5]]) != 0;
        r.follow = ToInt(f[c[6]]) != 0;
        r.comment = ToInt(f[c[7]]) != 0;
        r.forward = ToInt(f[c[8]]) != 0;
        r.hate = ToInt(f[c[9]]) != 0;
        r.long_view = ToInt(f[c[10]]) != 0;
        r.play_ms = ToInt(f[c[11]]);
        r.duration_ms = ToInt(f[c[12]]);
        r.profile_stay_ms = ToInt(f[c[13]]);
        r.comment_stay_ms = ToInt(f[c[14]]);
        r.profile_enter = ToInt(f[c[15]]) != 0;
        r.tab = static_cast<int>(ToInt(f[c[16]]));
        rows->push_back(r);
      });
}

int64_t KnownDurationMs(const LogRow& row, const Video& video) {
  if (row.duration_ms > 0) return row.duration_ms;
  if (video.duration_ms > 0) return video.duration_ms;
  return 0;
}

double WatchRatioGain(const LogRow& row, const Video& video) {
  const int64_t d = KnownDurationMs(row, video);
  if (d <= 0) return 0.0;
  const double r = static_cast<double>(row.play_ms) / static_cast<double>(d);
  return r > 1.0 ? 1.0 : (r < 0.0 ? 0.0 : r);
}

Candidate MakeCandidate(const Video& video, int64_t duration_ms,
                        double server_score) {
  Candidate c;
  c.id = std::to_string(video.video_id);
  c.author = std::to_string(video.author_id);
  c.tags.reserve(video.tags.size());
  for (int t : video.tags) c.tags.push_back(std::to_string(t));
  c.category = video.upload_type;
  c.sound = video.music_id != 0 ? std::to_string(video.music_id) : "";
  c.duration_ms = duration_ms > 0 ? duration_ms : kNominalDurationMs;
  c.created_at_ms = video.upload_day * 86400000LL;
  c.server_score = server_score;
  return c;
}

std::vector<Event> RowToEvents(const LogRow& row, int64_t duration_ms,
                               const std::string& id_prefix) {
  std::vector<Event> out;
  const std::string item = std::to_string(row.video_id);
  const int64_t t0 = row.time_ms;
  const int64_t play = row.play_ms > 0 ? row.play_ms : 0;
  auto add = [&](EventKind kind, int64_t t) {
    Event e;
    e.event_id = id_prefix + "." + std::to_string(out.size());
    e.item_id = item;
    e.kind = kind;
    e.timestamp_ms = t;
    out.push_back(e);
    return &out.back();
  };
  add(EventKind::kImpression, t0);
  // Interactions happen while watching; place them mid-watch.
  const int64_t mid = t0 + play / 2;
  if (row.like) add(EventKind::kLike, mid);
  if (row.follow) add(EventKind::kFollow, mid);
  if (row.comment) add(EventKind::kComment, mid);
  if (row.forward) add(EventKind::kShare, mid);
  if (row.profile_stay_ms > 0 || row.profile_enter) {
    add(EventKind::kProfileVisit, mid);
  }
  if (duration_ms > 0 && play >= duration_ms) {
    add(EventKind::kComplete, t0 + duration_ms);
  }
  if (row.hate) add(EventKind::kNotInterested, t0 + play);
  Event* swipe = add(EventKind::kSwipeAway, t0 + play);
  swipe->dwell_ms = play;
  return out;
}

}  // namespace eval
}  // namespace reelrank
