// Soak: one ranker, a long simulated session history (default 1,000,000
// events) with Rank calls interleaved, as a feed would make them. Checks that
// memory (RSS), profile size (export bytes) and Rank latency stay flat and
// that the profile stays under its caps.
//
// The simulated world churns: new items and new hashtags keep appearing, so
// the known-item pool, the seen memory and the feature table must evict.
// Every `--every` events the program samples RSS, the export size, the
// profile stats and the Rank latency of the segment, and prints one row.
//
//   reelrank_soak [--events N] [--rows R] [--batch B]
//
// Exit status: 0 when every cap held and the last 10% is "flat" against the
// first 10% (RSS and export bytes within 1.5x, mean Rank latency within 3x),
// else 1. Latency is reported, never asserted in unit tests; this program is
// not a unit test (ctest runs a short smoke run of it without the ratios).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <string>
#include <vector>

#include "reelrank/ranker.h"

namespace {

using reelrank::Candidate;
using reelrank::Event;
using reelrank::EventKind;

constexpr int kDim = 32;

// SplitMix64: the simulation's own deterministic generator.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return (Next() >> 11) * (1.0 / 9007199254740992.0); }
  int Int(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
};

double RssMb() {
  long pages = 0, resident = 0;
  std::ifstream f("/proc/self/statm");
  f >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
}

// Items are generated on demand from their number (no catalog is stored):
// item n has a topic (one of 64, drifting), an author (one of 2000), two
// hashtags from an ever-growing vocabulary, and an embedding near its topic.
Candidate MakeItem(int64_t n) {
  Rng r{static_cast<uint64_t>(n) * 7919 + 17};
  Candidate c;
  c.id = "item" + std::to_string(n);
  const int topic = r.Int(64);
  c.author = "creator" + std::to_string(r.Int(2000));
  c.category = "topic" + std::to_string(topic);
  // Hashtags: one stable per topic, one trending (new tags keep appearing).
  c.tags = {"t" + std::to_string(topic),
            "trend" + std::to_string(n / 500 + r.Int(20))};
  c.sound = "sound" + std::to_string(r.Int(5000));
  c.caption = "clip number " + std::to_string(n);
  c.duration_ms = 5000 + r.Int(55000);
  c.created_at_ms = 1700000000000LL + n * 1000;
  c.embedding.resize(kDim);
  for (int d = 0; d < kDim; ++d) {
    const double base = ((topic * 31 + d * 7) % 13) / 13.0 - 0.5;
    c.embedding[d] = static_cast<float>(base + 0.2 * (r.Uniform() - 0.5));
  }
  c.server_score = 0.2 + 0.6 * r.Uniform();
  return c;
}

struct Segment {
  int64_t events = 0;
  double rss_mb = 0;
  size_t export_bytes = 0;
  reelrank::ProfileStats stats;
  double rank_mean_us = 0, rank_p50_us = 0, rank_p99_us = 0;
  int64_t rank_calls = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int64_t total = 1000000;
  int rows = 10;
  int batch = 50;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> int64_t {
      return i + 1 < argc ? std::atoll(argv[++i]) : 0;
    };
    if (!std::strcmp(argv[i], "--events")) total = next();
    else if (!std::strcmp(argv[i], "--rows")) rows = static_cast<int>(next());
    else if (!std::strcmp(argv[i], "--batch")) batch = static_cast<int>(next());
    else if (!std::strcmp(argv[i], "--smoke")) smoke = true;
    else {
      std::fprintf(stderr, "usage: %s [--events N] [--rows R] [--batch B] [--smoke]\n", argv[0]);
      return 2;
    }
  }
  if (total < rows || rows < 2 || batch < 1) return 2;

  reelrank::RankerConfig config;
  config.embedding_dim = kDim;
  config.seed = 42;
  reelrank::Ranker ranker(config);
  if (!ranker.config_status().ok()) return 2;
  const auto& caps = config.profile;

  Rng rng{2026};
  // The user's taste: likes 6 of the 64 topics, dislikes 4.
  auto affinity = [](int topic) {
    if (topic % 11 == 0) return 0.9;
    if (topic % 16 == 5) return 0.05;
    return 0.35;
  };

  int64_t now = 1700000000000LL;
  int64_t next_item = 0;
  int64_t events = 0;
  int64_t event_serial = 0;
  std::deque<std::string> recent_ids;
  std::vector<Candidate> cands;
  std::vector<double> lat_us;
  std::vector<Segment> segs;
  bool caps_ok = true;
  int64_t observe_errors = 0, forget_ok = 0, forget_calls = 0;
  const int64_t every = total / rows;
  int64_t next_mark = every;
  int64_t views = 0;

  auto observe = [&](const std::string& item, EventKind kind, int64_t dwell,
                     float velocity) {
    Event e;
    e.event_id = "ev" + std::to_string(event_serial++);
    e.item_id = item;
    e.kind = kind;
    e.timestamp_ms = now;
    e.dwell_ms = dwell;
    e.velocity = velocity;
    reelrank::Status s = ranker.Observe(e);
    if (!s.ok()) {
      if (++observe_errors <= 3) {
        std::fprintf(stderr, "observe: %s\n", s.ToString().c_str());
      }
    } else {
      recent_ids.push_back(e.event_id);
      if (recent_ids.size() > 64) recent_ids.pop_front();
    }
    ++events;
  };

  while (events < total) {
    // A session gap now and then (hours to days), so decay and expiry run.
    if (views % 200 == 199) now += (1 + rng.Int(48)) * 3600000LL;
    // The server's batch: mostly fresh items, some older ones again.
    cands.clear();
    for (int i = 0; i < batch; ++i) {
      const int64_t n = (i < batch * 4 / 5 || next_item < 1000)
                            ? next_item++
                            : next_item - 1 - rng.Int(1000);
      cands.push_back(MakeItem(n));
    }
    reelrank::Context ctx;
    ctx.now_ms = now;
    ctx.hour_of_day = static_cast<int>((now / 3600000) % 24);
    ctx.session_depth = static_cast<int>(views % 200);
    auto t0 = std::chrono::steady_clock::now();
    reelrank::RankResult r = ranker.Rank(cands, ctx);
    auto t1 = std::chrono::steady_clock::now();
    lat_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    if (r.ranked.empty()) {
      std::fprintf(stderr, "rank returned nothing\n");
      return 1;
    }
    // Watch the top item (and sometimes the second: a short scroll).
    const int show = 1 + (rng.Int(4) == 0 ? 1 : 0);
    for (int k = 0; k < show && k < static_cast<int>(r.ranked.size()); ++k) {
      const Candidate& c = cands[r.ranked[k].index];
      const int topic = std::atoi(c.category.c_str() + 5);
      const double a = affinity(topic);
      observe(c.id, EventKind::kImpression, 0, 0);
      now += 200;
      const bool stays = rng.Uniform() < a + 0.1;
      const int64_t dwell =
          stays ? static_cast<int64_t>(c.duration_ms * (0.5 + rng.Uniform()))
                : 300 + rng.Int(2000);
      if (stays) observe(c.id, EventKind::kProgress, dwell / 2, 0);
      if (stays && dwell >= c.duration_ms) observe(c.id, EventKind::kComplete, c.duration_ms, 0);
      if (stays && rng.Uniform() < a * 0.3) observe(c.id, EventKind::kLike, 0, 0);
      if (stays && rng.Uniform() < a * 0.03) observe(c.id, EventKind::kFollow, 0, 0);
      if (stays && rng.Uniform() < a * 0.02) observe(c.id, EventKind::kShare, 0, 0);
      if (!stays && rng.Uniform() < 0.02) observe(c.id, EventKind::kNotInterested, 0, 0);
      now += dwell;
      observe(c.id, EventKind::kSwipeAway, dwell,
              stays ? 0.8f : 2.5f + static_cast<float>(rng.Uniform()));
      ++views;
    }
    // Now and then the user takes something back (forget a recent event).
    if (views % 997 == 0 && !recent_ids.empty()) {
      ++forget_calls;
      if (ranker.Forget(recent_ids[rng.Int(static_cast<int>(recent_ids.size()))]).ok()) {
        ++forget_ok;
      }
    }
    const reelrank::ProfileStats st = ranker.Stats();
    if (st.features > caps.max_features || st.seen_items > caps.max_seen_items ||
        st.event_log > caps.max_event_log || st.known_items > caps.max_known_items) {
      caps_ok = false;
    }
    if (events >= next_mark || events >= total) {
      Segment s;
      s.events = events;
      s.rss_mb = RssMb();
      s.export_bytes = ranker.ExportProfile().size();
      s.stats = st;
      std::vector<double> l = lat_us;
      std::sort(l.begin(), l.end());
      double sum = 0;
      for (double x : l) sum += x;
      s.rank_calls = static_cast<int64_t>(l.size());
      s.rank_mean_us = l.empty() ? 0 : sum / l.size();
      s.rank_p50_us = l.empty() ? 0 : l[l.size() / 2];
      s.rank_p99_us = l.empty() ? 0 : l[std::min(l.size() - 1, l.size() * 99 / 100)];
      lat_us.clear();
      segs.push_back(s);
      std::printf("%10" PRId64 " events  rss %7.1f MB  export %8zu B  features %5d  seen %5d  log %4d  known %5d  rank(n=%d) mean %7.1f us  p50 %7.1f  p99 %7.1f  (%" PRId64 " calls)\n",
                  s.events, s.rss_mb, s.export_bytes, st.features, st.seen_items,
                  st.event_log, st.known_items, batch, s.rank_mean_us, s.rank_p50_us,
                  s.rank_p99_us, s.rank_calls);
      std::fflush(stdout);
      next_mark += every;
    }
  }

  const Segment& first = segs.front();
  const Segment& last = segs.back();
  std::printf("\n| metric | first 10%% | last 10%% | last/first |\n|---|---:|---:|---:|\n");
  std::printf("| RSS (MB) | %.1f | %.1f | %.2f |\n", first.rss_mb, last.rss_mb,
              last.rss_mb / first.rss_mb);
  std::printf("| profile export (bytes) | %zu | %zu | %.2f |\n", first.export_bytes,
              last.export_bytes,
              static_cast<double>(last.export_bytes) / first.export_bytes);
  std::printf("| feature-table entries (cap %d) | %d | %d | %.2f |\n", caps.max_features,
              first.stats.features, last.stats.features,
              static_cast<double>(last.stats.features) / std::max(1, first.stats.features));
  std::printf("| rank mean (us, %d candidates) | %.1f | %.1f | %.2f |\n", batch,
              first.rank_mean_us, last.rank_mean_us, last.rank_mean_us / first.rank_mean_us);
  std::printf("| rank p99 (us) | %.1f | %.1f | %.2f |\n", first.rank_p99_us,
              last.rank_p99_us, last.rank_p99_us / first.rank_p99_us);
  std::printf("\nevents %" PRId64 ", views %" PRId64 ", observe errors %" PRId64
              ", forget %" PRId64 "/%" PRId64 " ok, caps %s\n",
              events, views, observe_errors, forget_ok, forget_calls,
              caps_ok ? "held" : "EXCEEDED");
  bool ok = caps_ok && observe_errors == 0;
  if (!smoke) {
    ok = ok && last.rss_mb <= 1.5 * first.rss_mb &&
         last.export_bytes <= 1.5 * first.export_bytes &&
         last.rank_mean_us <= 3.0 * first.rank_mean_us;
  }
  std::printf("%s\n", ok ? "SOAK OK" : "SOAK FAILED");
  return ok ? 0 : 1;
}
