#include "dataset.h"

#include <algorithm>
#include <map>

#include "reelrank/feature_table.h"

namespace reelrank {
namespace eval {

std::vector<UserLog> GroupByUser(const std::vector<LogRow>& rows) {
  std::map<int64_t, UserLog> by_user;
  for (const LogRow& r : rows) {
    UserLog& u = by_user[r.user_id];
    u.user_id = r.user_id;
    u.rows.push_back(&r);
  }
  std::vector<UserLog> out;
  out.reserve(by_user.size());
  for (auto& kv : by_user) {
    std::stable_sort(kv.second.rows.begin(), kv.second.rows.end(),
                     [](const LogRow* a, const LogRow* b) {
                       return a->time_ms < b->time_ms;
                     });
    out.push_back(std::move(kv.second));
  }
  return out;
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

int FoldOf(int64_t user_id, const char* split, uint64_t seed, int folds) {
  uint64_t h = Mix(seed);
  for (const char* p = split; *p; ++p) h = Mix(h ^ static_cast<uint8_t>(*p));
  return static_cast<int>(Mix(h ^ static_cast<uint64_t>(user_id)) %
                          static_cast<uint64_t>(folds));
}

uint64_t SetSeed(const std::vector<const UserLog*>& users, uint64_t seed) {
  uint64_t s = Mix(seed);
  for (const UserLog* u : users) s += Mix(static_cast<uint64_t>(u->user_id));
  return Mix(s);
}

AffinityKeys AffinityKeysOf(const Video& video, int64_t duration_ms) {
  AffinityKeys k;
  k.reserve(video.tags.size() + 2);
  for (int t : video.tags) k.push_back("tag:" + std::to_string(t));
  k.push_back("author:" + std::to_string(video.author_id));
  k.push_back(duration_ms > 0
                  ? "dur:" +
                        std::to_string(reelrank::DurationBucket(duration_ms))
                  : std::string("dur:none"));
  return k;
}

UserCase BuildCase(const UserLog& user, const VideoMap& videos,
                   const PriorModel& prior, const DebiasTable* debias) {
  UserCase s;
  s.log = &user;
  int depth = 0;
  int64_t last = 0;
  for (size_t i = 0; i < user.rows.size(); ++i) {
    const LogRow& r = *user.rows[i];
    const Video& v = videos.at(r.video_id);
    const int64_t dur = KnownDurationMs(r, v);
    s.candidates.push_back(MakeCandidate(v, dur, prior.Predict(v, dur)));
    if (i > 0 && r.time_ms - last > kSessionGapMs) depth = 0;
    Context c;
    c.now_ms = r.time_ms;
    c.hour_of_day = (r.hourmin / 100) % 24;
    c.session_depth = depth++;
    last = r.time_ms;
    s.contexts.push_back(c);
    s.events.push_back(RowToEvents(
        r, dur, "u" + std::to_string(user.user_id) + ".r" + std::to_string(i)));
    s.long_view.push_back(r.long_view ? 1 : 0);
    s.watch_ratio.push_back(WatchRatioGain(r, v));
    s.debiased.push_back(debias != nullptr ? debias->Gain(dur, r.play_ms)
                                           : 0.0);
    s.duration_ms.push_back(dur);
    s.keys.push_back(AffinityKeysOf(v, dur));
  }
  return s;
}

}  // namespace eval
}  // namespace reelrank
