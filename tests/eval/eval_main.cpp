// reelrank_eval: offline evaluation of reelrank on KuaiRand-1K (random
// exposure). See tests/eval/README.md; run through tests/eval/run.sh.
//
// For every evaluated user, in time order:
//   - prequential: before each shown video, P(long view) from the server
//     prior and from reelrank, then reelrank observes the row's events;
//   - NDCG@10 of the user's later videos (rows after the 10th, users with
//     >= 20 rows) ranked after reelrank observed the first k in {0, 5, 10}
//     rows, against random order and prior order on the same lists.
// The prior (and anything else the server ships) is learned from other users
// only: the other folds of a 5-fold split by user id, or --prior-log.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "kuairand.h"
#include "metrics.h"
#include "prior.h"
#include "reel_adapter.h"

namespace reelrank {
namespace eval {
namespace {

constexpr int kFolds = 5;
constexpr int kListStart = 10;    // NDCG lists: rows after the 10th
constexpr int kMinListUser = 20;  // ... for users with >= 20 rows
constexpr int kNdcgAt = 10;
constexpr int kRandomShuffles = 20;
const int kObserved[] = {0, 5, 10};
constexpr int64_t kSessionGapMs = 30LL * 60 * 1000;

struct Options {
  std::string log = "../shared/data/kuairand/log_dev.csv";
  std::string videos = "../shared/data/kuairand/video_features_basic_pure.csv";
  std::string prior_log;
  uint64_t seed = 1;
  std::string json;
  std::string split = "all";  // all | a | b (validation halves by user hash)
  std::string config;         // JSON overriding reelrank's defaults
  bool quiet = false;
  std::string dump;  // per-row predictions as CSV (analysis aid)
  PriorOptions prior;
};

void Usage() {
  std::fprintf(stderr,
               "usage: reelrank_eval [--log F] [--videos F] [--prior-log F] "
               "[--seed N] [--json OUT]\n"
               "                     [--split all|a|b] [--config JSON] "
               "[--quiet]\n");
}

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Validation halves: "a" / "b" by a hash of the user id, independent of the
// folds (user_id % 5).
char HalfOf(int64_t user_id) {
  return (Mix(static_cast<uint64_t>(user_id) ^ 0x5eedULL) & 1) ? 'b' : 'a';
}

struct UserLog {
  int64_t user_id = 0;
  std::vector<const LogRow*> rows;  // time order
};

std::vector<UserLog> GroupByUser(const std::vector<LogRow>& rows) {
  std::map<int64_t, UserLog> by_user;
  for (const LogRow& r : rows) {
    UserLog& u = by_user[r.user_id];
    u.user_id = r.user_id;
    u.rows.push_back(&r);
  }
  std::vector<UserLog> out;
  for (auto& kv : by_user) {
    std::stable_sort(kv.second.rows.begin(), kv.second.rows.end(),
                     [](const LogRow* a, const LogRow* b) {
                       return a->time_ms < b->time_ms;
                     });
    out.push_back(std::move(kv.second));
  }
  return out;
}

// A user's rows turned into what reelrank sees, with the prior's scores.
UserSequence BuildSequence(const UserLog& u,
                           const std::unordered_map<int64_t, Video>& videos,
                           const PriorModel& prior) {
  UserSequence s;
  int depth = 0;
  int64_t last = 0;
  for (size_t i = 0; i < u.rows.size(); ++i) {
    const LogRow& r = *u.rows[i];
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
        r, dur, "u" + std::to_string(u.user_id) + ".r" + std::to_string(i)));
    s.long_view.push_back(r.long_view ? 1 : 0);
  }
  return s;
}

PriorOptions g_prior_options;

PriorModel TrainPrior(const std::vector<const UserLog*>& users,
                      const std::unordered_map<int64_t, Video>& videos,
                      uint64_t seed) {
  std::vector<const LogRow*> rows;
  for (const UserLog* u : users) {
    rows.insert(rows.end(), u->rows.begin(), u->rows.end());
  }
  PriorOptions o = g_prior_options;
  o.seed = seed;
  PriorModel m;
  m.Train(rows, videos, o);
  return m;
}

// Server-side training sequences for `users`, each scored by a prior that
// never saw that user (cross-fitted over kFolds folds of `users`).
std::vector<UserSequence> CrossFitSequences(
    const std::vector<const UserLog*>& users,
    const std::unordered_map<int64_t, Video>& videos, uint64_t seed) {
  std::vector<UserSequence> out;
  for (int g = 0; g < kFolds; ++g) {
    std::vector<const UserLog*> train, held;
    for (size_t i = 0; i < users.size(); ++i) {
      (static_cast<int>(i % kFolds) == g ? held : train).push_back(users[i]);
    }
    if (held.empty()) continue;
    PriorModel p = TrainPrior(train, videos, seed + 101 + g);
    for (const UserLog* u : held) out.push_back(BuildSequence(*u, videos, p));
  }
  return out;
}

struct NdcgAcc {
  double sum = 0.0;
  int n = 0;
  void Add(double x) {
    if (std::isnan(x)) return;
    sum += x;
    ++n;
  }
  double Mean() const { return n > 0 ? sum / n : std::nan(""); }
};

// Paired difference (reelrank - prior) per user, for a standard error.
struct PairedAcc {
  std::vector<double> d;
  void Add(double a, double b) {
    if (!std::isnan(a) && !std::isnan(b)) d.push_back(a - b);
  }
  double Mean() const {
    return d.empty() ? std::nan("")
                     : std::accumulate(d.begin(), d.end(), 0.0) / d.size();
  }
  double Se() const {
    if (d.size() < 2) return std::nan("");
    const double m = Mean();
    double ss = 0.0;
    for (double x : d) ss += (x - m) * (x - m);
    return std::sqrt(ss / (d.size() - 1) / d.size());
  }
};

struct Gain {
  const char* name = "";
  NdcgAcc random, prior, k[3];
  PairedAcc diff[3];
};

std::string Fmt(double x, int prec = 4) {
  if (std::isnan(x)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", prec, x);
  return buf;
}

void WriteSvg(const std::string& path, const Gain gains[2]) {
  const int w = 760, h = 330, pw = 300, ph = 220, top = 50, left0 = 70;
  std::string s;
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
       std::to_string(w) + "\" height=\"" + std::to_string(h) +
       "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + std::to_string(w / 2) +
       "\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">reelrank NDCG@10 "
       "vs events observed (KuaiRand-1K, Gao et al. CIKM 2022, CC BY-SA "
       "4.0)</text>\n";
  for (int g = 0; g < 2; ++g) {
    const Gain& G = gains[g];
    const int left = left0 + g * (pw + 80);
    double lo = 1.0, hi = 0.0;
    auto see = [&](double x) {
      if (std::isnan(x)) return;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    };
    see(G.random.Mean());
    see(G.prior.Mean());
    for (int k = 0; k < 3; ++k) see(G.k[k].Mean());
    if (hi < lo) lo = 0.0, hi = 1.0;
    const double pad = std::max(0.01, (hi - lo) * 0.15);
    lo = std::max(0.0, lo - pad);
    hi = std::min(1.0, hi + pad);
    auto X = [&](int k) { return left + 20 + (pw - 40) * k / 10.0; };
    auto Y = [&](double v) { return top + ph - (v - lo) / (hi - lo) * ph; };
    s += "<text x=\"" + std::to_string(left + pw / 2) + "\" y=\"" +
         std::to_string(top - 8) +
         "\" text-anchor=\"middle\">gain = " + G.name + "</text>\n";
    s += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(top) +
         "\" width=\"" + std::to_string(pw) + "\" height=\"" +
         std::to_string(ph) + "\" fill=\"none\" stroke=\"#888\"/>\n";
    for (int t = 0; t <= 4; ++t) {
      const double v = lo + (hi - lo) * t / 4.0;
      s += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" +
           Fmt(Y(v) + 4, 1) + "\" text-anchor=\"end\">" + Fmt(v, 3) +
           "</text>\n";
    }
    for (int k : kObserved) {
      s += "<text x=\"" + Fmt(X(k), 1) + "\" y=\"" +
           std::to_string(top + ph + 16) +
           "\" text-anchor=\"middle\">k=" + std::to_string(k) + "</text>\n";
    }
    s += "<text x=\"" + std::to_string(left + pw / 2) + "\" y=\"" +
         std::to_string(top + ph + 34) +
         "\" text-anchor=\"middle\">events observed (k)</text>\n";
    auto hline = [&](double v, const char* color, const char* label) {
      if (std::isnan(v)) return;
      s += "<line x1=\"" + Fmt(X(0), 1) + "\" x2=\"" + Fmt(X(10), 1) +
           "\" y1=\"" + Fmt(Y(v), 1) + "\" y2=\"" + Fmt(Y(v), 1) +
           "\" stroke=\"" + color +
           "\" stroke-dasharray=\"6 4\" stroke-width=\"2\"/>\n";
      s += "<text x=\"" + Fmt(X(10) + 4, 1) + "\" y=\"" + Fmt(Y(v) - 4, 1) +
           "\" fill=\"" + color + "\" text-anchor=\"end\">" + label +
           "</text>\n";
    };
    hline(G.random.Mean(), "#999999", "random");
    hline(G.prior.Mean(), "#1f77b4", "prior");
    std::string pts;
    for (int k = 0; k < 3; ++k) {
      const double v = G.k[k].Mean();
      if (std::isnan(v)) continue;
      pts += Fmt(X(kObserved[k]), 1) + "," + Fmt(Y(v), 1) + " ";
      s += "<circle cx=\"" + Fmt(X(kObserved[k]), 1) + "\" cy=\"" +
           Fmt(Y(v), 1) + "\" r=\"4\" fill=\"#d62728\"/>\n";
    }
    s += "<polyline points=\"" + pts +
         "\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2.5\"/>\n";
    s += "<text x=\"" + Fmt(X(0) + 4, 1) + "\" y=\"" +
         std::to_string(top + 14) + "\" fill=\"#d62728\">reelrank</text>\n";
  }
  s += "</svg>\n";
  std::ofstream out(path);
  out << s;
}

int Run(const Options& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  std::unordered_map<int64_t, Video> videos;
  std::vector<LogRow> log_rows, prior_rows;
  std::string err;
  if (!LoadVideos(opt.videos, &videos, &err) ||
      !LoadLog(opt.log, &log_rows, &err) ||
      (!opt.prior_log.empty() && !LoadLog(opt.prior_log, &prior_rows, &err))) {
    std::fprintf(stderr, "reelrank_eval: %s\n", err.c_str());
    return 2;
  }
  // Drop rows whose video is unknown (none in KuaiRand-1K), with a count.
  int64_t unknown = 0;
  auto known = [&](std::vector<LogRow>* rows) {
    const size_t before = rows->size();
    rows->erase(std::remove_if(rows->begin(), rows->end(),
                               [&](const LogRow& r) {
                                 return videos.count(r.video_id) == 0;
                               }),
                rows->end());
    unknown += static_cast<int64_t>(before - rows->size());
  };
  known(&log_rows);
  known(&prior_rows);
  const std::vector<UserLog> users = GroupByUser(log_rows);
  const std::vector<UserLog> prior_users = GroupByUser(prior_rows);
  const bool external_prior = !opt.prior_log.empty();

  ReelUnderTest reel(opt.config);
  if (!reel.status().ok()) {
    std::fprintf(stderr, "reelrank_eval: --config: %s\n",
                 reel.status().ToString().c_str());
    return 2;
  }
  std::vector<UserScores> gauc_prior, gauc_reel, gauc_value;
  std::vector<std::vector<UserScores>> gauc_head(kNumHeads);
  std::vector<double> all_p_prior, all_p_reel;
  std::vector<int> all_y;
  Gain gains[2];
  gains[0].name = "long view";
  gains[1].name = "watch ratio";
  int eval_users = 0, list_users = 0;
  int64_t eval_rows = 0, fed_events = 0;

  std::ofstream dump;
  if (!opt.dump.empty()) {
    dump.open(opt.dump);
    dump << "user_id,row,video_id,fold,p_prior,p_reelrank,value,long_view,"
            "watch_ratio\n";
  }
  const int folds = external_prior ? 1 : kFolds;
  for (int f = 0; f < folds; ++f) {
    std::vector<const UserLog*> train, test;
    if (external_prior) {
      for (const UserLog& u : prior_users) train.push_back(&u);
      for (const UserLog& u : users) test.push_back(&u);
    } else {
      for (const UserLog& u : users) {
        (static_cast<int>(u.user_id % kFolds) == f ? test : train)
            .push_back(&u);
      }
    }
    if (opt.split != "all") {
      test.erase(std::remove_if(test.begin(), test.end(),
                                [&](const UserLog* u) {
                                  return HalfOf(u->user_id) != opt.split[0];
                                }),
                 test.end());
    }
    if (test.empty()) continue;
    const PriorModel prior = TrainPrior(train, videos, opt.seed + f);
    reel.Prepare(CrossFitSequences(train, videos, opt.seed + 1000 * (f + 1)));

    for (const UserLog* u : test) {
      const UserSequence seq = BuildSequence(*u, videos, prior);
      const int n = static_cast<int>(seq.candidates.size());
      ++eval_users;
      eval_rows += n;
      const bool has_list = n >= kMinListUser;
      std::vector<Candidate> later;
      std::vector<double> g[2], prior_scores;
      if (has_list) {
        ++list_users;
        for (int i = kListStart; i < n; ++i) {
          later.push_back(seq.candidates[i]);
          const LogRow& r = *u->rows[i];
          g[0].push_back(r.long_view ? 1.0 : 0.0);
          g[1].push_back(WatchRatioGain(r, videos.at(r.video_id)));
          prior_scores.push_back(seq.candidates[i].server_score);
        }
        const std::vector<int> prior_order = OrderByScore(prior_scores);
        std::mt19937_64 rng(Mix(opt.seed) ^ Mix(u->user_id));
        std::vector<int> perm(later.size());
        for (int gi = 0; gi < 2; ++gi) {
          gains[gi].prior.Add(NdcgAtK(prior_order, g[gi], kNdcgAt));
        }
        double rnd[2] = {0.0, 0.0};
        bool defined[2] = {true, true};
        for (int t = 0; t < kRandomShuffles; ++t) {
          std::iota(perm.begin(), perm.end(), 0);
          std::shuffle(perm.begin(), perm.end(), rng);
          for (int gi = 0; gi < 2; ++gi) {
            const double x = NdcgAtK(perm, g[gi], kNdcgAt);
            if (std::isnan(x)) defined[gi] = false;
            rnd[gi] += x;
          }
        }
        for (int gi = 0; gi < 2; ++gi) {
          if (defined[gi]) gains[gi].random.Add(rnd[gi] / kRandomShuffles);
        }
      }
      reel.ResetUser();
      UserScores us_prior, us_reel, us_value;
      std::vector<UserScores> us_head(kNumHeads);
      for (int i = 0; i < n; ++i) {
        for (int k = 0; k < 3; ++k) {
          if (!has_list || i != kObserved[k]) continue;
          const std::vector<ReelScore> sc =
              reel.Score(later, seq.contexts[kListStart]);
          std::vector<int> order(sc.size());
          for (size_t j = 0; j < sc.size(); ++j) order[sc[j].rank] = j;
          for (int gi = 0; gi < 2; ++gi) {
            const double x = NdcgAtK(order, g[gi], kNdcgAt);
            gains[gi].k[k].Add(x);
            gains[gi].diff[k].Add(
                x, NdcgAtK(OrderByScore(prior_scores), g[gi], kNdcgAt));
          }
        }
        const std::vector<ReelScore> one =
            reel.Score({seq.candidates[i]}, seq.contexts[i]);
        const double p_reel = one[0].p_long_view;
        const double p_prior = seq.candidates[i].server_score;
        us_prior.scores.push_back(p_prior);
        us_reel.scores.push_back(p_reel);
        us_prior.labels.push_back(seq.long_view[i]);
        us_value.scores.push_back(one[0].value);
        us_value.labels.push_back(seq.long_view[i]);
        for (int h = 0; h < kNumHeads; ++h) {
          us_head[h].scores.push_back(one[0].heads[h]);
          us_head[h].labels.push_back(seq.long_view[i]);
        }
        us_reel.labels.push_back(seq.long_view[i]);
        all_p_prior.push_back(p_prior);
        all_p_reel.push_back(p_reel);
        all_y.push_back(seq.long_view[i]);
        if (dump.is_open()) {
          const LogRow& r = *u->rows[i];
          dump << u->user_id << "," << i << "," << r.video_id << "," << f << ","
               << p_prior << "," << p_reel << "," << one[0].value << ","
               << seq.long_view[i] << ","
               << WatchRatioGain(r, videos.at(r.video_id)) << "\n";
        }
        reel.Observe(seq.events[i]);
        fed_events += static_cast<int64_t>(seq.events[i].size());
      }
      gauc_prior.push_back(std::move(us_prior));
      gauc_reel.push_back(std::move(us_reel));
      gauc_value.push_back(std::move(us_value));
      for (int h = 0; h < kNumHeads; ++h) {
        gauc_head[h].push_back(std::move(us_head[h]));
      }
    }
  }

  const GroupAucResult ga_prior = GroupAuc(gauc_prior);
  const GroupAucResult ga_reel = GroupAuc(gauc_reel);
  const double ll_prior = LogLoss(all_p_prior, all_y);
  const double ll_reel = LogLoss(all_p_reel, all_y);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();

  if (!opt.quiet) {
    std::printf(
        "reelrank offline evaluation on KuaiRand-1K (random exposure)\n"
        "data: Gao et al., \"KuaiRand: An Unbiased Sequential Recommendation "
        "Dataset with Randomly Exposed Videos\", CIKM 2022, CC BY-SA 4.0\n");
    std::printf("log: %s\nprior: %s\nreelrank: %s\n", opt.log.c_str(),
                external_prior ? ("learned from " + opt.prior_log).c_str()
                               : "5-fold by user id (other folds only)",
                reel.Describe().c_str());
    std::printf(
        "users: %d  events (shown videos): %lld  reelrank events fed: %lld  "
        "seed: %llu  split: %s\n",
        eval_users, static_cast<long long>(eval_rows),
        static_cast<long long>(fed_events),
        static_cast<unsigned long long>(opt.seed), opt.split.c_str());
    if (reel.rejected_events() > 0) {
      std::printf("reelrank rejected %lld events (first: %s)\n",
                  static_cast<long long>(reel.rejected_events()),
                  reel.first_rejection().c_str());
    }
    if (unknown > 0) {
      std::printf("rows skipped (video unknown): %lld\n",
                  static_cast<long long>(unknown));
    }
    std::printf("\nprequential P(long view)      prior  reelrank\n");
    std::printf("  GAUC (%3d users)           %7s  %8s\n", ga_reel.users,
                Fmt(ga_prior.gauc).c_str(), Fmt(ga_reel.gauc).c_str());
    std::printf("  log-loss                   %7s  %8s\n",
                Fmt(ll_prior).c_str(), Fmt(ll_reel).c_str());
    std::printf("  diagnostics, GAUC of the value %s and of each head:",
                Fmt(GroupAuc(gauc_value).gauc).c_str());
    for (int h = 0; h < kNumHeads; ++h) {
      std::printf(" %s %s", HeadName(static_cast<Head>(h)),
                  Fmt(GroupAuc(gauc_head[h]).gauc, 3).c_str());
    }
    std::printf("\n");
    std::printf(
        "\nNDCG@10 of later videos (%d users with >= %d events)\n"
        "  gain          users  random   prior    k=0     k=5     k=10\n",
        list_users, kMinListUser);
    for (const Gain& G : gains) {
      std::printf("  %-12s  %5d  %6s  %6s  %6s  %6s  %6s\n", G.name, G.prior.n,
                  Fmt(G.random.Mean()).c_str(), Fmt(G.prior.Mean()).c_str(),
                  Fmt(G.k[0].Mean()).c_str(), Fmt(G.k[1].Mean()).c_str(),
                  Fmt(G.k[2].Mean()).c_str());
    }
    std::printf("  reelrank - prior (+-1 s.e.):\n");
    for (const Gain& G : gains) {
      std::printf("  %-12s                        ", G.name);
      for (int k = 0; k < 3; ++k) {
        std::printf(" %+.4f(%.4f)", G.diff[k].Mean(), G.diff[k].Se());
      }
      std::printf("\n");
    }
    std::printf("\ntime: %.2f s\n", secs);
  }

  if (!opt.json.empty()) {
    auto num = [](double x) {
      return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
    };
    nlohmann::json j;
    j["users"] = eval_users;
    j["events"] = eval_rows;
    j["seed"] = opt.seed;
    j["gauc_long_view"] = {{"prior", num(ga_prior.gauc)},
                           {"reelrank", num(ga_reel.gauc)}};
    j["logloss_long_view"] = {{"prior", num(ll_prior)},
                              {"reelrank", num(ll_reel)}};
    const char* keys[2] = {"ndcg10_long_view", "ndcg10_watch_ratio"};
    for (int gi = 0; gi < 2; ++gi) {
      const Gain& G = gains[gi];
      j[keys[gi]] = {
          {"random", num(G.random.Mean())}, {"prior", num(G.prior.Mean())},
          {"k0", num(G.k[0].Mean())},       {"k5", num(G.k[1].Mean())},
          {"k10", num(G.k[2].Mean())},      {"users", G.prior.n}};
    }
    j["gauc_users"] = ga_reel.users;
    nlohmann::json heads;
    for (int h = 0; h < kNumHeads; ++h) {
      heads[HeadName(static_cast<Head>(h))] = num(GroupAuc(gauc_head[h]).gauc);
    }
    j["diagnostics"] = {
        {"gauc_long_view_of_value", num(GroupAuc(gauc_value).gauc)},
        {"gauc_long_view_of_heads", heads}};
    j["ndcg_list_users"] = list_users;
    j["reelrank_events_fed"] = fed_events;
    j["split"] = opt.split;
    j["prior"] = external_prior ? "prior-log" : "5-fold by user id";
    j["log"] = opt.log;
    j["reelrank"] = reel.Describe();
    j["seconds"] = secs;
    j["data_attribution"] =
        "Gao et al., \"KuaiRand: An Unbiased Sequential Recommendation Dataset "
        "with Randomly Exposed Videos\", CIKM 2022, CC BY-SA 4.0";
    std::ofstream out(opt.json);
    if (!out) {
      std::fprintf(stderr, "reelrank_eval: cannot write %s\n",
                   opt.json.c_str());
      return 1;
    }
    out << j.dump(2) << "\n";
    std::string svg = opt.json;
    const size_t dot = svg.rfind('.');
    const size_t slash = svg.rfind('/');
    if (dot != std::string::npos &&
        (slash == std::string::npos || dot > slash)) {
      svg = svg.substr(0, dot);
    }
    svg += ".svg";
    WriteSvg(svg, gains);
    if (!opt.quiet) {
      std::printf("wrote %s and %s\n", opt.json.c_str(), svg.c_str());
    }
  }
  return 0;
}

}  // namespace
}  // namespace eval
}  // namespace reelrank

int main(int argc, char** argv) {
  reelrank::eval::Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "reelrank_eval: %s needs a value\n", a.c_str());
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--log") {
      if (!value(&opt.log)) return 2;
    } else if (a == "--videos") {
      if (!value(&opt.videos)) return 2;
    } else if (a == "--prior-log") {
      if (!value(&opt.prior_log)) return 2;
    } else if (a == "--json") {
      if (!value(&opt.json)) return 2;
    } else if (a == "--config") {
      if (!value(&opt.config)) return 2;
    } else if (a == "--split") {
      if (!value(&opt.split)) return 2;
      if (opt.split != "all" && opt.split != "a" && opt.split != "b") {
        std::fprintf(stderr, "reelrank_eval: --split must be all, a or b\n");
        return 2;
      }
    } else if (a == "--seed") {
      if (!value(&v)) return 2;
      opt.seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a == "--prior-options") {
      // epochs,learning_rate,l2,l2_id (tuning aid)
      if (!value(&v)) return 2;
      std::sscanf(v.c_str(), "%d,%lf,%lf,%lf", &opt.prior.epochs,
                  &opt.prior.learning_rate, &opt.prior.l2, &opt.prior.l2_id);
    } else if (a == "--dump") {
      if (!value(&opt.dump)) return 2;
    } else if (a == "--quiet") {
      opt.quiet = true;
    } else if (a == "-h" || a == "--help") {
      reelrank::eval::Usage();
      return 0;
    } else {
      std::fprintf(stderr, "reelrank_eval: unknown option %s\n", a.c_str());
      reelrank::eval::Usage();
      return 2;
    }
  }
  reelrank::eval::g_prior_options = opt.prior;
  return reelrank::eval::Run(opt);
}
