#include "report.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "metrics.h"
#include "reelrank/heads.h"

namespace reelrank {
namespace eval {
namespace {

using json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

json Num(double x) {
  return std::isnan(x) || std::isinf(x) ? json(nullptr) : json(x);
}
double Get(const json& j) { return j.is_number() ? j.get<double>() : kNaN; }

json Diff(const PairedDiff& d) {
  return {{"mean", Num(d.mean)}, {"se", Num(d.se)}, {"n", d.n}};
}

// Collects one figure per user.
template <typename F>
std::vector<double> Column(size_t n, F f) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = f(i);
  return v;
}

double Share(double diff, double prior, double oracle) {
  const double gap = oracle - prior;
  return gap > 0 ? diff / gap : kNaN;
}

json NdcgBlock(const std::vector<BaseRecord>& b,
               const std::vector<ReelRecord>& r, int g) {
  const size_t n = b.size();
  json out;
  for (int l = 0; l < 2; ++l) {
    const auto prior = Column(n, [&](size_t i) { return b[i].prior[g][l]; });
    const auto random = Column(n, [&](size_t i) { return b[i].random[g][l]; });
    const auto shortest =
        Column(n, [&](size_t i) { return b[i].shortest[g][l]; });
    const auto oracle = Column(n, [&](size_t i) { return b[i].oracle[g][l]; });
    json block;
    int users = 0;
    for (double x : prior) users += std::isnan(x) ? 0 : 1;
    block["users"] = users;
    block["random"] = Num(MeanDefined(random));
    block["prior"] = Num(MeanDefined(prior));
    block["shortest_first"] = Num(MeanDefined(shortest));
    block["oracle"] = Num(MeanDefined(oracle));
    json bdiff;
    bdiff["random"] = Diff(PairedDifference(random, prior));
    bdiff["shortest_first"] = Diff(PairedDifference(shortest, prior));
    bdiff["oracle"] = Diff(PairedDifference(oracle, prior));
    const double p = MeanDefined(prior), o = MeanDefined(oracle);
    json eb, reel;
    for (int ki = 0; ki < kNumK; ++ki) {
      if ((l == 1) != KOnList20(ki)) continue;
      const std::string k = "k" + std::to_string(kObserved[ki]);
      const auto aff =
          Column(n, [&](size_t i) { return b[i].affinity[g][ki]; });
      const auto rr = Column(n, [&](size_t i) { return r[i].ndcg[g][ki]; });
      eb[k] = Num(MeanDefined(aff));
      reel[k] = Num(MeanDefined(rr));
      bdiff["eb_affinity_" + k] = Diff(PairedDifference(aff, prior));
      const PairedDiff d = PairedDifference(rr, prior);
      out["diff_" + k] = Diff(d);
      out["gap_share_" + k] = Num(Share(d.mean, p, o));
    }
    block["eb_affinity"] = eb;
    block["reelrank"] = reel;
    block["baseline_diff"] = bdiff;
    if (l == 0) {
      for (auto it = block.begin(); it != block.end(); ++it) {
        out[it.key()] = it.value();
      }
    } else {
      out["k20"] = block;
    }
  }
  return out;
}

json LoopBlock(const std::vector<BaseRecord>& b,
               const std::vector<ReelRecord>& r) {
  const size_t n = b.size();
  json out;
  int users = 0, dry = 0;
  for (size_t i = 0; i < n; ++i) {
    users += b[i].loop ? 1 : 0;
    dry += r[i].loop_dry_steps;
  }
  out["users"] = users;
  out["steps"] = kLoopSteps;
  out["dry_steps"] = dry;
  for (int m = 0; m < kLoopMetrics; ++m) {
    const auto prior = Column(n, [&](size_t i) { return b[i].loop_prior[m]; });
    const auto random =
        Column(n, [&](size_t i) { return b[i].loop_random[m]; });
    const auto oracle =
        Column(n, [&](size_t i) { return b[i].loop_oracle[m]; });
    const auto feed = Column(n, [&](size_t i) { return r[i].loop_feed[m]; });
    const auto exploit =
        Column(n, [&](size_t i) { return r[i].loop_exploit[m]; });
    json j;
    j["prior_greedy"] = Num(MeanDefined(prior));
    j["random"] = Num(MeanDefined(random));
    j["oracle"] = Num(MeanDefined(oracle));
    j["reelrank_feed"] = Num(MeanDefined(feed));
    j["reelrank_exploit"] = Num(MeanDefined(exploit));
    j["diff_feed"] = Diff(PairedDifference(feed, prior));
    j["diff_exploit"] = Diff(PairedDifference(exploit, prior));
    j["diff_random"] = Diff(PairedDifference(random, prior));
    j["diff_oracle"] = Diff(PairedDifference(oracle, prior));
    out[LoopMetricKey(m)] = j;
  }
  return out;
}

}  // namespace

json Summarize(const std::vector<BaseRecord>& b,
               const std::vector<ReelRecord>& r) {
  const size_t n = b.size();
  json s;
  int64_t rows = 0, rejected = 0, dropped = 0;
  std::string first_error;
  for (size_t i = 0; i < n; ++i) {
    rows += b[i].rows;
    rejected += r[i].rejected_events;
    dropped += r[i].dropped;
    if (first_error.empty()) first_error = r[i].first_error;
  }
  s["users"] = static_cast<int64_t>(n);
  s["events"] = rows;
  // GAUC: impression-weighted over users with both classes.
  const auto w = Column(n, [&](size_t i) {
    return std::isnan(b[i].auc_prior) ? 0.0 : static_cast<double>(b[i].rows);
  });
  const auto auc_prior = Column(n, [&](size_t i) { return b[i].auc_prior; });
  const auto auc_reel = Column(n, [&](size_t i) { return r[i].auc_value; });
  auto weighted_mean = [&](const std::vector<double>& v) {
    double sw = 0.0, s = 0.0;
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(v[i]) || !(w[i] > 0)) continue;
      sw += w[i];
      s += w[i] * v[i];
    }
    return sw > 0 ? s / sw : kNaN;
  };
  int gauc_users = 0;
  for (double x : w) gauc_users += x > 0 ? 1 : 0;
  json heads_gauc, heads_ll;
  double ll_prior = 0.0;
  for (size_t i = 0; i < n; ++i) ll_prior += b[i].ll_prior_sum;
  for (int h = 0; h < kNumHeads; ++h) {
    heads_gauc[HeadName(static_cast<Head>(h))] = Num(
        weighted_mean(Column(n, [&](size_t i) { return r[i].auc_head[h]; })));
    double ll = 0.0;
    for (size_t i = 0; i < n; ++i) ll += r[i].ll_head_sum[h];
    heads_ll[HeadName(static_cast<Head>(h))] = Num(rows > 0 ? ll / rows : kNaN);
  }
  s["gauc_long_view"] = {
      {"users", gauc_users},
      {"of", "the value Ranker::Rank sorts by"},
      {"prior", Num(weighted_mean(auc_prior))},
      {"reelrank", Num(weighted_mean(auc_reel))},
      {"diff", Diff(WeightedPairedDifference(auc_reel, auc_prior, w))},
      {"of_heads", heads_gauc}};
  s["logloss_long_view"] = {{"head", "finish"},
                            {"of", "the finish head used as P(long view)"},
                            {"prior", Num(rows > 0 ? ll_prior / rows : kNaN)},
                            {"reelrank", heads_ll["finish"]},
                            {"of_heads", heads_ll}};
  for (int g = 0; g < kGains; ++g) {
    s[std::string("ndcg10_") + GainKey(g)] = NdcgBlock(b, r, g);
  }
  s["loop"] = LoopBlock(b, r);
  s["rejected_events"] = rejected;
  s["dropped_candidates"] = dropped;
  if (!first_error.empty()) s["first_error"] = first_error;
  return s;
}

std::string ObjectiveNames() {
  return "lv_k0|5|10|20, wr_k.., deb_k.., gauc, mean_k5_k10, combined, "
         "loop_lv10|lv20|deb10|deb20, loop_exploit_.. (prefix pack. for the "
         "model-pack variant; sums of w*name)";
}

namespace {

double Metric(const json& s, const std::string& m, bool* ok) {
  *ok = true;
  auto ndcg = [&](const char* gain, const std::string& k) {
    const json& block = s.at(std::string("ndcg10_") + gain);
    auto it = block.find("diff_" + k);
    if (it == block.end()) {
      *ok = false;
      return kNaN;
    }
    return Get((*it)["mean"]);
  };
  static const char* kPrefixes[3][2] = {
      {"lv_", "long_view"}, {"wr_", "watch_ratio"}, {"deb_", "debiased"}};
  for (const auto& p : kPrefixes) {
    const std::string pre = p[0];
    if (m.rfind(pre, 0) == 0) return ndcg(p[1], m.substr(pre.size()));
  }
  if (m == "gauc") return Get(s["gauc_long_view"]["diff"]["mean"]);
  if (m == "mean_k5_k10") {
    return 0.5 * (ndcg("debiased", "k5") + ndcg("debiased", "k10"));
  }
  if (m == "combined") {
    double v = 0.5 * (ndcg("debiased", "k5") + ndcg("debiased", "k10"));
    for (const char* g : {"long_view", "watch_ratio"}) {
      for (const char* k : {"k5", "k10"}) v -= std::max(0.0, -ndcg(g, k));
    }
    return v;
  }
  for (const char* which : {"loop_exploit_", "loop_"}) {
    const std::string pre = which;
    if (m.rfind(pre, 0) != 0) continue;
    const std::string metric = m.substr(pre.size());
    auto it = s["loop"].find(metric);
    if (it == s["loop"].end()) break;
    return Get((*it)[pre == "loop_" ? "diff_feed" : "diff_exploit"]["mean"]);
  }
  *ok = false;
  return kNaN;
}

}  // namespace

double Objective(const json& report, const std::string& name,
                 std::string* error) {
  double total = 0.0;
  std::stringstream ss(name);
  std::string term;
  bool any = false;
  while (std::getline(ss, term, '+')) {
    any = true;
    double w = 1.0;
    const size_t star = term.find('*');
    if (star != std::string::npos) {
      char* end = nullptr;
      w = std::strtod(term.c_str(), &end);
      if (end != term.c_str() + star) {
        *error = "objective: bad weight in '" + term + "'";
        return kNaN;
      }
      term = term.substr(star + 1);
    }
    std::string variant = "no_pack";
    if (term.rfind("pack.", 0) == 0) {
      variant = "pack";
      term = term.substr(5);
    }
    auto it = report.find(variant);
    if (it == report.end()) {
      *error = "objective: '" + term + "' needs the " + variant +
               " variant (not evaluated)";
      return kNaN;
    }
    bool ok = false;
    const double v = Metric(*it, term, &ok);
    if (!ok) {
      *error = "objective: unknown metric '" + term +
               "' (known: " + ObjectiveNames() + ")";
      return kNaN;
    }
    total += w * v;
  }
  if (!any) {
    *error = "objective: empty";
    return kNaN;
  }
  return total;
}

namespace {

std::string F(double x, int prec = 4) {
  if (std::isnan(x)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", prec, x);
  return buf;
}
std::string D(const json& d) {
  const double m = Get(d["mean"]), se = Get(d["se"]);
  if (std::isnan(m)) return "";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%+.4f(%.4f)", m, std::isnan(se) ? 0.0 : se);
  return buf;
}
std::string Cell(double v, const std::string& d = "") {
  std::string s = F(v);
  if (!d.empty()) s += " " + d;
  return s;
}

void PrintNdcg(const json& report, const char* gain, const char* title) {
  const std::string key = std::string("ndcg10_") + gain;
  const json& a = report["no_pack"][key];
  const bool has_pack = report.contains("pack");
  std::printf(
      "\nNDCG@10, gain = %s: rows after the 10th of %d users with >= 20 "
      "rows (k = 0, 5, 10);\n  k = 20: rows after the 20th of %d users with "
      ">= 40 rows.  Value, then - prior (s.e.)\n",
      title, a["users"].get<int>(), a["k20"]["users"].get<int>());
  std::printf("  %-22s %-22s %-22s %-22s %-22s\n", "", "k=0", "k=5", "k=10",
              "k=20");
  auto row = [&](const char* name, const std::string& c0, const std::string& c5,
                 const std::string& c10, const std::string& c20) {
    std::printf("  %-22s %-22s %-22s %-22s %-22s\n", name, c0.c_str(),
                c5.c_str(), c10.c_str(), c20.c_str());
  };
  const json& k20 = a["k20"];
  row("prior", Cell(Get(a["prior"])), "", "", Cell(Get(k20["prior"])));
  row("random", Cell(Get(a["random"]), D(a["baseline_diff"]["random"])), "", "",
      Cell(Get(k20["random"]), D(k20["baseline_diff"]["random"])));
  row("shortest first",
      Cell(Get(a["shortest_first"]), D(a["baseline_diff"]["shortest_first"])),
      "", "",
      Cell(Get(k20["shortest_first"]),
           D(k20["baseline_diff"]["shortest_first"])));
  row("oracle", Cell(Get(a["oracle"]), D(a["baseline_diff"]["oracle"])), "", "",
      Cell(Get(k20["oracle"]), D(k20["baseline_diff"]["oracle"])));
  row("EB affinity",
      Cell(Get(a["eb_affinity"]["k0"]),
           D(a["baseline_diff"]["eb_affinity_k0"])),
      Cell(Get(a["eb_affinity"]["k5"]),
           D(a["baseline_diff"]["eb_affinity_k5"])),
      Cell(Get(a["eb_affinity"]["k10"]),
           D(a["baseline_diff"]["eb_affinity_k10"])),
      Cell(Get(k20["eb_affinity"]["k20"]),
           D(k20["baseline_diff"]["eb_affinity_k20"])));
  for (const char* v : {"no_pack", "pack"}) {
    if (std::string(v) == "pack" && !has_pack) continue;
    const json& s = report[v][key];
    row(std::string(v) == "pack" ? "reelrank (b) pack" : "reelrank (a) no pack",
        Cell(Get(s["reelrank"]["k0"]), D(s["diff_k0"])),
        Cell(Get(s["reelrank"]["k5"]), D(s["diff_k5"])),
        Cell(Get(s["reelrank"]["k10"]), D(s["diff_k10"])),
        Cell(Get(s["k20"]["reelrank"]["k20"]), D(s["diff_k20"])));
    std::printf("  %-22s %-22s %-22s %-22s %-22s\n", "  share of prior->oracle",
                F(Get(s["gap_share_k0"]), 3).c_str(),
                F(Get(s["gap_share_k5"]), 3).c_str(),
                F(Get(s["gap_share_k10"]), 3).c_str(),
                F(Get(s["gap_share_k20"]), 3).c_str());
  }
}

}  // namespace

void PrintReport(const json& report) {
  const json& a = report["no_pack"];
  const bool has_pack = report.contains("pack");
  std::printf(
      "\nprequential P(long view)           users   prior    reelrank - prior "
      "(s.e.)\n");
  for (const char* v : {"no_pack", "pack"}) {
    if (std::string(v) == "pack" && !has_pack) continue;
    const json& g = report[v]["gauc_long_view"];
    std::printf("  GAUC of the value, %-12s %5d  %s  %s %s\n",
                std::string(v) == "pack" ? "(b) pack" : "(a) no pack",
                g["users"].get<int>(), F(Get(g["prior"])).c_str(),
                F(Get(g["reelrank"])).c_str(), D(g["diff"]).c_str());
  }
  for (const char* v : {"no_pack", "pack"}) {
    if (std::string(v) == "pack" && !has_pack) continue;
    const json& l = report[v]["logloss_long_view"];
    std::printf("  log-loss, finish head, %-8s        %s  %s\n",
                std::string(v) == "pack" ? "(b)" : "(a)",
                F(Get(l["prior"])).c_str(), F(Get(l["reelrank"])).c_str());
  }
  std::printf("  GAUC of each head (a):");
  for (auto it = a["gauc_long_view"]["of_heads"].begin();
       it != a["gauc_long_view"]["of_heads"].end(); ++it) {
    std::printf(" %s %s", it.key().c_str(), F(Get(it.value()), 3).c_str());
  }
  std::printf("\n");
  PrintNdcg(report, "long_view", "long view");
  PrintNdcg(report, "watch_ratio", "watch ratio");
  PrintNdcg(report, "debiased",
            "debiased (top quarter of plays in duration bucket)");

  const json& loop = a["loop"];
  std::printf(
      "\nfeed loop: %d users with >= %d rows; %d picks by next(), each "
      "followed by its logged reaction.\n  Mean gain of the first 10 / 20 "
      "picks, then - prior-greedy (s.e.)\n",
      loop["users"].get<int>(), kLoopMinRows, kLoopSteps);
  std::printf("  %-28s", "");
  for (int m = 0; m < kLoopMetrics; ++m) {
    static const char* kTitles[] = {"long view @10", "long view @20",
                                    "debiased @10", "debiased @20"};
    std::printf(" %-22s", kTitles[m]);
  }
  std::printf("\n");
  auto loop_row = [&](const char* name, const json& l, const char* value,
                      const char* diff) {
    std::printf("  %-28s", name);
    for (int m = 0; m < kLoopMetrics; ++m) {
      const json& x = l[LoopMetricKey(m)];
      std::printf(" %-22s",
                  Cell(Get(x[value]), diff ? D(x[diff]) : "").c_str());
    }
    std::printf("\n");
  };
  loop_row("prior-greedy", loop, "prior_greedy", nullptr);
  loop_row("random", loop, "random", "diff_random");
  loop_row("oracle", loop, "oracle", "diff_oracle");
  for (const char* v : {"no_pack", "pack"}) {
    if (std::string(v) == "pack" && !has_pack) continue;
    const bool p = std::string(v) == "pack";
    loop_row(p ? "reelrank feed (b)" : "reelrank feed (a)", report[v]["loop"],
             "reelrank_feed", "diff_feed");
    loop_row(p ? "  explore+diversity off (b)" : "  explore+diversity off (a)",
             report[v]["loop"], "reelrank_exploit", "diff_exploit");
    if (report[v]["loop"]["dry_steps"].get<int>() > 0) {
      std::printf("  (%s: %d steps where next() found nothing)\n", v,
                  report[v]["loop"]["dry_steps"].get<int>());
    }
  }
}

}  // namespace eval
}  // namespace reelrank
