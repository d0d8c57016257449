// reelrank_eval: offline evaluation of reelrank on KuaiRand-1K (random
// exposure), and nested user-level cross-validation of config overrides.
// See tests/eval/README.md; run through tests/eval/run.sh.
//
// Every evaluated user is scored by a server side (prior, debiased-gain
// bins, affinity baseline, model pack) learned from other users only:
//   default            5 folds by user (a hash of the user id and --seed);
//   --prior-log F      server side from F's users, every --log user evaluated;
//   --outer-fold o --part outer   outer fold o only (server side from the
//                      other 4 folds);
//   --outer-fold o --part inner   the users outside outer fold o, by 5 inner
//                      folds within them (what the nested CV chooses on);
//   --grid F --objective NAME     nested CV: for each outer fold, every grid
//                      point on the inner folds, the best by NAME evaluated
//                      on the outer fold; pooled outer figures reported.
// reelrank is evaluated as shipped: Ranker::Rank / Next under the default
// config (plus --config and the grid point), (a) without a model pack and
// (b) with the pack fitted on the training users' logged views.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dataset.h"
#include "evaluate.h"
#include "kuairand.h"
#include "prior.h"
#include "reelrank/config.h"
#include "report.h"
#include "server_side.h"

namespace reelrank {
namespace eval {
namespace {

using json = nlohmann::json;
constexpr int kFolds = 5;

struct Options {
  std::string log = "../shared/data/kuairand/log_dev.csv";
  std::string videos = "../shared/data/kuairand/video_features_basic_pure.csv";
  std::string prior_log;
  std::string export_views;  // with --prior-log: the pack's training lines
  std::string trace;         // with --prior-log: the calls, for replay
  int trace_users = 2;
  uint64_t seed = 1;
  std::string json_out;
  std::string config;  // JSON (or @file) patched onto the defaults
  bool no_pack = false;
  bool quiet = false;
  int outer_fold = -1;
  std::string part;  // "", "outer", "inner"
  std::string grid;  // file: JSON lines or a JSON array of overrides
  std::string objective = "combined";
  int jobs = 1;
  PriorOptions prior;
};

void Usage() {
  std::fprintf(
      stderr,
      "usage: reelrank_eval [--log F] [--videos F] [--prior-log F] [--seed N]\n"
      "         [--config JSON|@FILE] [--no-pack] [--json OUT] [--quiet]\n"
      "         [--jobs N] [--outer-fold O --part outer|inner]\n"
      "         [--grid FILE --objective NAME] [--export-views OUT.jsonl]\n"
      "         [--trace OUT.json [--trace-users N]]\n"
      "objectives: %s\n",
      ObjectiveNames().c_str());
}

bool ReadText(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Runs fn(i) for i in [0, n) on `jobs` threads (results are per index, so
// the outcome does not depend on the thread count).
void ParallelFor(size_t n, int jobs, const std::function<void(size_t)>& fn) {
  if (jobs <= 1 || n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < jobs; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < n; i = next++) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

// The evaluated configs: `feed` (the defaults patched with --config and the
// grid point) and `exploit` (the same with exploration and diversity off).
struct Configs {
  RankerConfig feed, exploit;
  json patch;  // the effective override (for the report)
};

bool MakeConfigs(const json& base, const json& point, Configs* out,
                 std::string* error) {
  json patch = base;
  patch.merge_patch(point);
  std::vector<std::string> warnings;
  Result<RankerConfig> feed = ParseConfig(patch.dump(), &warnings);
  if (!feed.ok()) {
    *error = feed.status().ToString();
    return false;
  }
  if (!warnings.empty()) {  // a typo would otherwise evaluate the defaults
    *error = warnings[0];
    return false;
  }
  json off = patch;
  off.merge_patch(
      {{"explore", {{"enabled", false}}}, {"diversity", {{"enabled", false}}}});
  Result<RankerConfig> exploit = ParseConfig(off.dump());
  if (!exploit.ok()) {
    *error = exploit.status().ToString();
    return false;
  }
  out->feed = feed.value();
  out->exploit = exploit.value();
  out->patch = patch;
  return true;
}

// One server side and the users it scores.
struct Fold {
  std::string label;
  std::vector<const UserLog*> train, test;
  ServerSide server;
  std::vector<UserCase> cases;
  std::vector<BaseRecord> base;
};

void PrepareFolds(std::vector<Fold>* folds, const VideoMap& videos,
                  const ServerOptions& so, int jobs) {
  ParallelFor(folds->size(), jobs, [&](size_t f) {
    Fold& fold = (*folds)[f];
    fold.server = BuildServerSide(fold.train, videos, so);
    for (const UserLog* u : fold.test) {
      fold.cases.push_back(
          BuildCase(*u, videos, fold.server.prior, &fold.server.debias));
    }
  });
  for (Fold& fold : *folds) {
    fold.base.resize(fold.cases.size());
    ParallelFor(fold.cases.size(), jobs, [&](size_t i) {
      fold.base[i] = EvaluateBaselines(fold.cases[i], fold.server.affinity_m,
                                       fold.server.rates, so.seed);
    });
  }
}

// Per-user records of one reelrank variant on every user of `folds`.
struct Records {
  std::vector<BaseRecord> base;
  std::vector<ReelRecord> reel;
  void Append(const Records& o) {
    base.insert(base.end(), o.base.begin(), o.base.end());
    reel.insert(reel.end(), o.reel.begin(), o.reel.end());
  }
};

Records RunVariant(const std::vector<Fold>& folds, const Configs& c,
                   bool with_pack, int jobs) {
  Records out;
  for (const Fold& fold : folds) {
    std::vector<ReelRecord> r(fold.cases.size());
    const std::string& pack = with_pack ? fold.server.pack_json : std::string();
    ParallelFor(fold.cases.size(), jobs, [&](size_t i) {
      r[i] = EvaluateReel(fold.cases[i], c.feed, c.exploit, pack);
    });
    out.base.insert(out.base.end(), fold.base.begin(), fold.base.end());
    out.reel.insert(out.reel.end(), r.begin(), r.end());
  }
  return out;
}

// Records of the variants evaluated: [0] no pack, [1] pack.
struct VariantRecords {
  bool has[2] = {false, false};
  Records r[2];
  void Append(const VariantRecords& o) {
    for (int v = 0; v < 2; ++v) {
      has[v] = has[v] || o.has[v];
      r[v].Append(o.r[v]);
    }
  }
  json Report() const {
    json report;
    for (int v = 0; v < 2; ++v) {
      if (has[v]) {
        report[v == 0 ? "no_pack" : "pack"] = Summarize(r[v].base, r[v].reel);
      }
    }
    return report;
  }
};

VariantRecords RunVariants(const std::vector<Fold>& folds, const Configs& c,
                           bool no_pack, bool pack, int jobs) {
  VariantRecords out;
  for (int v = 0; v < 2; ++v) {
    if (!(v == 0 ? no_pack : pack)) continue;
    out.has[v] = true;
    out.r[v] = RunVariant(folds, c, v == 1, jobs);
  }
  return out;
}

json FoldsJson(const std::vector<Fold>& folds) {
  json out = json::array();
  for (const Fold& f : folds) {
    out.push_back({{"fold", f.label},
                   {"train_users", f.train.size()},
                   {"test_users", f.test.size()},
                   {"affinity_m", f.server.affinity_m}});
  }
  return out;
}

std::vector<Fold> OuterFolds(const std::vector<UserLog>& users, uint64_t seed,
                             int only) {
  std::vector<Fold> folds;
  for (int f = 0; f < kFolds; ++f) {
    if (only >= 0 && f != only) continue;
    Fold fold;
    fold.label = "outer " + std::to_string(f);
    for (const UserLog& u : users) {
      (FoldOf(u.user_id, "outer", seed, kFolds) == f ? fold.test : fold.train)
          .push_back(&u);
    }
    folds.push_back(std::move(fold));
  }
  return folds;
}

// The inner folds of outer fold `o`: the users outside it, by 5 folds.
std::vector<Fold> InnerFolds(const std::vector<UserLog>& users, uint64_t seed,
                             int o) {
  std::vector<const UserLog*> outer_train;
  for (const UserLog& u : users) {
    if (FoldOf(u.user_id, "outer", seed, kFolds) != o)
      outer_train.push_back(&u);
  }
  std::vector<Fold> folds;
  for (int g = 0; g < kFolds; ++g) {
    Fold fold;
    fold.label = "outer " + std::to_string(o) + " inner " + std::to_string(g);
    for (const UserLog* u : outer_train) {
      (FoldOf(u->user_id, "inner", seed, kFolds) == g ? fold.test : fold.train)
          .push_back(u);
    }
    folds.push_back(std::move(fold));
  }
  return folds;
}

bool ReadGrid(const std::string& path, std::vector<json>* points,
              std::string* error) {
  std::string text;
  if (!ReadText(path, &text)) {
    *error = "cannot read " + path;
    return false;
  }
  json all = json::parse(text, nullptr, false);
  if (!all.is_discarded() && all.is_array()) {
    for (const json& p : all) points->push_back(p);
  } else {
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      json p = json::parse(line, nullptr, false);
      if (p.is_discarded()) {
        *error = path + ":" + std::to_string(n) + ": malformed JSON";
        return false;
      }
      points->push_back(p);
    }
  }
  for (size_t i = 0; i < points->size(); ++i) {
    if (!(*points)[i].is_object()) {
      *error =
          path + ": grid point " + std::to_string(i) + " is not a JSON object";
      return false;
    }
  }
  if (points->empty()) {
    *error = path + ": no grid points";
    return false;
  }
  return true;
}

std::string Fmt(double x) {
  if (std::isnan(x)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%+.4f", x);
  return buf;
}

bool WriteJson(const std::string& path, const json& j) {
  std::ofstream out(path);
  if (!out) {
    std::fprintf(stderr, "reelrank_eval: cannot write %s\n", path.c_str());
    return false;
  }
  out << j.dump(2) << "\n";
  return true;
}

// The calls of the first `trace_users` users with a feed loop, without and
// with the pack (trace.h), for tests/node/eval_parity.test.mjs.
bool WriteTrace(const Options& opt, const Fold& fold, const Configs& configs) {
  json users = json::array();
  for (const UserCase& c : fold.cases) {
    if (static_cast<int>(users.size()) >= 2 * opt.trace_users) break;
    if (static_cast<int>(c.size()) < kLoopMinRows) continue;
    for (int with_pack = 0; with_pack < 2; ++with_pack) {
      const std::string pack = with_pack ? fold.server.pack_json : "";
      if (with_pack && pack.empty()) continue;
      CallTrace pre, loop;
      EvaluateReel(c, configs.feed, configs.exploit, pack, &pre, &loop);
      users.push_back(
          {{"user", c.log->user_id},
           {"pack", pack.empty() ? json(nullptr) : json::parse(pack)},
           {"prequential", std::move(pre.ops())},
           {"loop", std::move(loop.ops())}});
    }
  }
  return WriteJson(opt.trace, {{"config", configs.patch}, {"users", users}});
}

const char* kAttribution =
    "Gao et al., \"KuaiRand: An Unbiased Sequential Recommendation Dataset "
    "with Randomly Exposed Videos\", CIKM 2022, CC BY-SA 4.0";

int Run(const Options& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  VideoMap videos;
  std::vector<LogRow> log_rows, prior_rows;
  std::string err;
  if (!LoadVideos(opt.videos, &videos, &err) ||
      !LoadLog(opt.log, &log_rows, &err) ||
      (!opt.prior_log.empty() && !LoadLog(opt.prior_log, &prior_rows, &err))) {
    std::fprintf(stderr, "reelrank_eval: %s\n", err.c_str());
    return 2;
  }
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

  json base = json::object();
  if (!opt.config.empty()) {
    std::string text = opt.config;
    if (text[0] == '@' && !ReadText(text.substr(1), &text)) {
      std::fprintf(stderr, "reelrank_eval: --config: cannot read %s\n",
                   opt.config.c_str() + 1);
      return 2;
    }
    base = json::parse(text, nullptr, false);
    if (base.is_discarded() || !base.is_object()) {
      std::fprintf(stderr, "reelrank_eval: --config: expected a JSON object\n");
      return 2;
    }
  }
  Configs configs;
  if (!MakeConfigs(base, json::object(), &configs, &err)) {
    std::fprintf(stderr, "reelrank_eval: --config: %s\n", err.c_str());
    return 2;
  }
  ServerOptions so;
  so.seed = opt.seed;
  so.prior = opt.prior;
  so.signals = configs.feed.signals;
  so.with_pack = !opt.no_pack;
  so.keep_view_lines = !opt.export_views.empty();

  json out;
  out["seed"] = opt.seed;
  out["log"] = opt.log;
  out["data_attribution"] = kAttribution;
  if (unknown > 0) out["rows_skipped_unknown_video"] = unknown;

  if (!opt.grid.empty()) {
    // ---- nested cross-validation ----
    std::vector<json> points;
    if (!ReadGrid(opt.grid, &points, &err)) {
      std::fprintf(stderr, "reelrank_eval: --grid: %s\n", err.c_str());
      return 2;
    }
    std::vector<Configs> grid(points.size());
    for (size_t p = 0; p < points.size(); ++p) {
      if (!MakeConfigs(base, points[p], &grid[p], &err)) {
        std::fprintf(stderr, "reelrank_eval: grid point %zu: %s\n", p,
                     err.c_str());
        return 2;
      }
    }
    // Which variants the objective reads (terms "[w*][pack.]metric").
    bool obj_pack = false, obj_no_pack = false;
    {
      std::stringstream terms(opt.objective);
      std::string t;
      while (std::getline(terms, t, '+')) {
        const size_t star = t.find('*');
        if (star != std::string::npos) t = t.substr(star + 1);
        (t.rfind("pack.", 0) == 0 ? obj_pack : obj_no_pack) = true;
      }
    }
    if (obj_pack && opt.no_pack) {
      std::fprintf(
          stderr, "reelrank_eval: --objective uses the pack; drop --no-pack\n");
      return 2;
    }
    {  // Check the objective's name on an empty report shape first.
      std::string e;
      json probe;
      probe["no_pack"] = Summarize({}, {});
      probe["pack"] = probe["no_pack"];
      Objective(probe, opt.objective, &e);
      if (!e.empty()) {
        std::fprintf(stderr, "reelrank_eval: %s\n", e.c_str());
        return 2;
      }
    }
    out["mode"] = "nested-cv";
    out["objective"] = opt.objective;
    out["grid"] = points;
    out["base_config"] = base;
    VariantRecords pooled_records;
    json outer_json = json::array();
    for (int o = 0; o < kFolds; ++o) {
      if (opt.outer_fold >= 0 && o != opt.outer_fold) continue;
      std::vector<Fold> inner = InnerFolds(users, opt.seed, o);
      ServerOptions inner_so = so;
      inner_so.with_pack = obj_pack;
      PrepareFolds(&inner, videos, inner_so, opt.jobs);
      std::vector<double> scores(points.size());
      for (size_t p = 0; p < points.size(); ++p) {
        const json r =
            RunVariants(inner, grid[p], obj_no_pack, obj_pack, opt.jobs)
                .Report();
        std::string e;
        scores[p] = Objective(r, opt.objective, &e);
        if (!opt.quiet) {
          std::fprintf(stderr, "outer %d: point %zu %s: inner %s = %s\n", o, p,
                       points[p].dump().c_str(), opt.objective.c_str(),
                       Fmt(scores[p]).c_str());
        }
      }
      size_t best = 0;
      for (size_t p = 1; p < points.size(); ++p) {
        if (!std::isnan(scores[p]) &&
            (std::isnan(scores[best]) || scores[p] > scores[best])) {
          best = p;
        }
      }
      std::vector<Fold> test = OuterFolds(users, opt.seed, o);
      PrepareFolds(&test, videos, so, opt.jobs);
      const VariantRecords rec =
          RunVariants(test, grid[best], true, !opt.no_pack, opt.jobs);
      pooled_records.Append(rec);
      std::string e;
      json fold_json = {
          {"fold", o},
          {"chosen", best},
          {"chosen_point", points[best]},
          {"inner_objective", scores},
          {"outer_objective", Objective(rec.Report(), opt.objective, &e)},
          {"affinity_m", test[0].server.affinity_m},
          {"inner_affinity_m", json::array()}};
      for (const Fold& f : inner) {
        fold_json["inner_affinity_m"].push_back(f.server.affinity_m);
      }
      outer_json.push_back(fold_json);
    }
    // Pooled outer-fold figures, each fold under its own chosen point.
    const json pooled = pooled_records.Report();
    std::string e;
    out["outer_folds"] = outer_json;
    out["pooled_objective"] = Objective(pooled, opt.objective, &e);
    out["pooled"] = pooled;
    out["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    if (!opt.quiet) {
      std::printf("nested user-level cross-validation on %s\n",
                  opt.log.c_str());
      std::printf(
          "objective: %s; %zu grid points; 5 outer x 5 inner folds "
          "by user; seed %llu\n",
          opt.objective.c_str(), points.size(),
          static_cast<unsigned long long>(opt.seed));
      for (const json& f : outer_json) {
        std::printf(
            "  outer fold %d: chose point %d %s (inner %s, outer %s)\n",
            f["fold"].get<int>(), f["chosen"].get<int>(),
            f["chosen_point"].dump().c_str(),
            Fmt(f["inner_objective"][f["chosen"].get<int>()].get<double>())
                .c_str(),
            Fmt(f["outer_objective"].is_number()
                    ? f["outer_objective"].get<double>()
                    : NAN)
                .c_str());
      }
      std::printf(
          "\npooled outer-fold figures (each fold under its chosen "
          "point; the only figures to report):\n");
      PrintReport(pooled);
      std::printf("\npooled outer objective %s = %s; time %.1f s\n",
                  opt.objective.c_str(),
                  Fmt(out["pooled_objective"].is_number()
                          ? out["pooled_objective"].get<double>()
                          : NAN)
                      .c_str(),
                  out["seconds"].get<double>());
    }
    if (!opt.json_out.empty() && !WriteJson(opt.json_out, out)) return 1;
    return 0;
  }

  // ---- one evaluation ----
  std::vector<Fold> folds;
  std::string mode;
  if (!opt.prior_log.empty()) {
    Fold f;
    f.label = "prior-log";
    for (const UserLog& u : prior_users) f.train.push_back(&u);
    for (const UserLog& u : users) f.test.push_back(&u);
    folds.push_back(std::move(f));
    mode = "server side from " + opt.prior_log;
  } else if (opt.part == "inner") {
    folds = InnerFolds(users, opt.seed, opt.outer_fold);
    mode = "inner folds of outer fold " + std::to_string(opt.outer_fold);
  } else {
    folds = OuterFolds(users, opt.seed, opt.outer_fold);
    mode = opt.outer_fold >= 0 ? "outer fold " + std::to_string(opt.outer_fold)
                               : "5 folds by user";
  }
  PrepareFolds(&folds, videos, so, opt.jobs);
  if (!opt.export_views.empty()) {
    std::ofstream views(opt.export_views, std::ios::binary | std::ios::trunc);
    for (const std::string& line : folds[0].server.view_lines) {
      views << line << "\n";
    }
    if (!views) {
      std::fprintf(stderr, "reelrank_eval: cannot write %s\n",
                   opt.export_views.c_str());
      return 1;
    }
  }
  if (!opt.trace.empty() && !WriteTrace(opt, folds[0], configs)) return 1;
  const json report =
      RunVariants(folds, configs, true, !opt.no_pack, opt.jobs).Report();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  out["mode"] = mode;
  out["config"] = base;
  out["folds"] = FoldsJson(folds);
  for (auto it = report.begin(); it != report.end(); ++it) {
    out[it.key()] = it.value();
  }
  out["seconds"] = secs;
  if (!opt.quiet) {
    std::printf(
        "reelrank offline evaluation on KuaiRand-1K (random exposure)\n"
        "data: %s\n",
        kAttribution);
    std::printf("log: %s; %s; seed %llu\n", opt.log.c_str(), mode.c_str(),
                static_cast<unsigned long long>(opt.seed));
    std::printf(
        "reelrank: Ranker::Rank / Next, shipped defaults%s%s; "
        "(a) no model pack%s\n",
        base.empty() ? "" : " + --config ",
        base.empty() ? "" : base.dump().c_str(),
        opt.no_pack ? ""
                    : ", (b) model pack fitted on the training "
                      "users' logged views");
    std::printf(
        "users %d, rows %lld; affinity m per fold:",
        report["no_pack"]["users"].get<int>(),
        static_cast<long long>(report["no_pack"]["events"].get<int64_t>()));
    for (const Fold& f : folds) std::printf(" %g", f.server.affinity_m);
    std::printf("\n");
    const json& a = report["no_pack"];
    if (a["rejected_events"].get<int64_t>() > 0 ||
        a["dropped_candidates"].get<int64_t>() > 0) {
      std::printf(
          "(a): %lld events rejected, %lld prequential candidates "
          "dropped by the policy; first error: %s\n",
          static_cast<long long>(a["rejected_events"].get<int64_t>()),
          static_cast<long long>(a["dropped_candidates"].get<int64_t>()),
          a.value("first_error", std::string("-")).c_str());
    }
    PrintReport(report);
    std::printf("\ntime: %.2f s\n", secs);
  }
  if (!opt.json_out.empty()) {
    if (!WriteJson(opt.json_out, out)) return 1;
    if (!opt.quiet) std::printf("wrote %s\n", opt.json_out.c_str());
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
    auto integer = [&](long long lo, long long hi, long long* out) {
      std::string v;
      if (!value(&v)) return false;
      char* end = nullptr;
      const long long x = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || x < lo || x > hi) {
        std::fprintf(stderr,
                     "reelrank_eval: %s: expected an integer in [%lld, %lld]\n",
                     a.c_str(), lo, hi);
        return false;
      }
      *out = x;
      return true;
    };
    std::string v;
    long long n = 0;
    if (a == "--log") {
      if (!value(&opt.log)) return 2;
    } else if (a == "--videos") {
      if (!value(&opt.videos)) return 2;
    } else if (a == "--prior-log") {
      if (!value(&opt.prior_log)) return 2;
    } else if (a == "--trace") {
      if (!value(&opt.trace)) return 2;
    } else if (a == "--trace-users") {
      if (!integer(1, 1000, &n)) return 2;
      opt.trace_users = static_cast<int>(n);
    } else if (a == "--export-views") {
      if (!value(&opt.export_views)) return 2;
    } else if (a == "--json") {
      if (!value(&opt.json_out)) return 2;
    } else if (a == "--config") {
      if (!value(&opt.config)) return 2;
    } else if (a == "--grid") {
      if (!value(&opt.grid)) return 2;
    } else if (a == "--objective") {
      if (!value(&opt.objective)) return 2;
    } else if (a == "--part") {
      if (!value(&opt.part)) return 2;
      if (opt.part != "inner" && opt.part != "outer") {
        std::fprintf(stderr, "reelrank_eval: --part must be inner or outer\n");
        return 2;
      }
    } else if (a == "--outer-fold") {
      if (!integer(0, 4, &n)) return 2;
      opt.outer_fold = static_cast<int>(n);
    } else if (a == "--jobs") {
      if (!integer(1, 64, &n)) return 2;
      opt.jobs = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!integer(0, INT64_MAX, &n)) return 2;
      opt.seed = static_cast<uint64_t>(n);
    } else if (a == "--prior-options") {
      // epochs,learning_rate,l2,l2_id (tuning aid for the prior)
      if (!value(&v)) return 2;
      std::sscanf(v.c_str(), "%d,%lf,%lf,%lf", &opt.prior.epochs,
                  &opt.prior.learning_rate, &opt.prior.l2, &opt.prior.l2_id);
    } else if (a == "--no-pack") {
      opt.no_pack = true;
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
  if (!opt.part.empty() && opt.outer_fold < 0) {
    std::fprintf(stderr, "reelrank_eval: --part needs --outer-fold\n");
    return 2;
  }
  if (opt.part == "inner" && !opt.grid.empty()) {
    std::fprintf(stderr,
                 "reelrank_eval: --grid chooses on the inner folds "
                 "itself; use --outer-fold without --part\n");
    return 2;
  }
  if (!opt.prior_log.empty() && (!opt.grid.empty() || opt.outer_fold >= 0)) {
    std::fprintf(stderr,
                 "reelrank_eval: --prior-log evaluates every --log "
                 "user; it does not combine with --grid / --outer-fold\n");
    return 2;
  }
  if (!opt.export_views.empty() && (opt.prior_log.empty() || opt.no_pack)) {
    std::fprintf(stderr,
                 "reelrank_eval: --export-views writes the views the pack "
                 "is fitted on from --prior-log; it needs --prior-log and "
                 "a pack\n");
    return 2;
  }
  if (!opt.trace.empty() && opt.prior_log.empty()) {
    std::fprintf(stderr, "reelrank_eval: --trace needs --prior-log\n");
    return 2;
  }
  return reelrank::eval::Run(opt);
}
