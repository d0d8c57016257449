// Native benchmarks of the reelrank core (Google Benchmark).
//
// Usage:
// - reelrank_bench [google benchmark flags]: rank / observe / export / import;
// - reelrank_bench --dump_profile=FILE: writes the 2,000-view profile;
// - reelrank_bench --profile_sizes: profile bytes after 1e3..1e6 events and
//   peak RSS (JSON lines);
// - reelrank_bench --dump_outputs=FILE: every output of a scripted session,
//   floats as exact bits (tests/bench/diff_outputs.sh compares two builds).
//
// The workload (tests/bench/workload.h) is the same one the wasm and JS
// benchmarks use (tests/bench/workload.mjs).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/dense_kernel.h"
#include "reelrank/explain.h"
#include "reelrank/prepared_batch.h"
#include "reelrank/ranker.h"
#include "workload.h"

namespace {

using Clock = std::chrono::steady_clock;

// Per-call wall times, reported as the counter "median_us": the same statistic
// the wasm and JS benchmarks report (a noisy 2-core machine makes means
// unreliable).
class CallTimes {
 public:
  void Start() { t0_ = Clock::now(); }
  void Stop() {
    us_.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - t0_).count());
  }
  void Report(benchmark::State& state) {
    if (us_.empty()) return;
    std::sort(us_.begin(), us_.end());
    state.counters["median_us"] = us_[us_.size() / 2];
    state.counters["p10_us"] = us_[us_.size() / 10];
  }

 private:
  Clock::time_point t0_;
  std::vector<double> us_;
};

using reelrank::Candidate;
using reelrank::Event;
using reelrank::Ranker;
using reelrank::RankerConfig;
using reelrank_bench::Rng;

// The "full" configuration turns every stage and explanations on; "lean"
// turns every switchable stage off (pure scoring + sort). Same JSON as
// suite.mjs (FULL / LEAN); keys of stages this build lacks are ignored.
constexpr const char* kFullJson =
    R"({"explain": true, "rank_feed_order": true})";
constexpr const char* kLeanJson =
    R"({"explain": false, "policy": {"enabled": false},
        "fatigue": {"enabled": false}, "explore": {"enabled": false},
        "diversity": {"enabled": false}})";

RankerConfig MakeConfig(int dim, bool full) {
  reelrank::Result<RankerConfig> parsed =
      reelrank::ParseConfig(full ? kFullJson : kLeanJson);
  RankerConfig c = parsed.ok() ? parsed.value() : RankerConfig{};
  if (!parsed.ok())
    std::fprintf(stderr, "config: %s\n", parsed.status().ToString().c_str());
  c.embedding_dim = dim;
  c.seed = 7;
  return c;
}

// The model pack of suite.mjs (modelPack()): global sparse weights on
// categories and duration buckets, drawn from the same generator.
std::string ModelPackJson() {
  Rng r(77);
  static const char* kHeads[] = {"continue", "watch_ratio", "finish",
                                 "like",     "follow",      "share",
                                 "comment",  "negative"};
  std::string out =
      R"({"format": "reelrank-model-pack", "version": 1, "name": "bench", "heads": {)";
  char buf[256];
  for (int h = 0; h < 8; ++h) {
    std::string sparse;
    for (int k = 0; k < reelrank_bench::kCategories; ++k) {
      std::snprintf(
          buf, sizeof(buf), "%s\"category:k%d\": %.9g", k ? ", " : "", k,
          static_cast<double>(static_cast<float>(0.6 * (r.Uniform() - 0.5))));
      sparse += buf;
    }
    for (int b = 0; b < 7; ++b) {
      std::snprintf(
          buf, sizeof(buf), ", \"dur:%d\": %.9g", b,
          static_cast<double>(static_cast<float>(0.4 * (r.Uniform() - 0.5))));
      sparse += buf;
    }
    const bool neg = h == 7;
    const double bias = neg ? -2.0 : -0.5 + 0.5 * r.Uniform();
    const double prior = neg ? 0.0 : 0.5 + 0.5 * r.Uniform();
    std::snprintf(
        buf, sizeof(buf),
        "%s\"%s\": {\"bias\": %.17g, \"prior\": %.17g, \"interest_long\": %g, "
        "\"interest_session\": %g, \"sparse\": {",
        h ? ", " : "", kHeads[h], bias, prior, neg ? -1.0 : 1.0,
        neg ? -0.5 : 0.5);
    out += buf;
    out += sparse + "}}";
  }
  return out + "}}";
}

std::unique_ptr<Ranker> MakeRanker(int dim, bool full) {
  auto ranker = std::make_unique<Ranker>(MakeConfig(dim, full));
  reelrank::Status s = ranker->LoadModelPack(ModelPackJson());
  if (!s.ok()) std::fprintf(stderr, "model pack: %s\n", s.ToString().c_str());
  return ranker;
}

// Learns from `views` simulated views over a 200-item pool (re-ranked every 50
// views so the pool stays known). Returns the clock after the last event.
int64_t Learn(Ranker* ranker, int dim, int views,
              int64_t now_ms = reelrank_bench::kT0, int64_t* seq_io = nullptr) {
  const std::vector<Candidate> pool =
      reelrank_bench::MakeCandidates(200, dim, 0);
  Rng r(42);
  int64_t seq = seq_io ? *seq_io : 0;
  std::vector<Event> events;
  for (int v = 0; v < views; ++v) {
    if (v % 50 == 0) ranker->Rank(pool, reelrank_bench::MakeContext(now_ms));
    const Candidate& c = pool[r.Below(200)];
    events.clear();
    reelrank_bench::ViewEvents(c, reelrank_bench::CategoryOf(c), &r, &now_ms,
                               &seq, &events);
    for (const Event& e : events) ranker->Observe(e);
  }
  if (seq_io) *seq_io = seq;
  return now_ms;
}

void BM_Rank(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int dim = static_cast<int>(state.range(1));
  const bool full = state.range(2) != 0;
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, full);
  Ranker& ranker = *ranker_ptr;
  const int64_t now = Learn(&ranker, dim, 300);
  const std::vector<Candidate> cands =
      reelrank_bench::MakeCandidates(n, dim, 1);
  const reelrank::Context ctx = reelrank_bench::MakeContext(now);
  size_t ranked = 0;
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    reelrank::RankResult r = ranker.Rank(cands, ctx);
    times.Stop();
    ranked = r.ranked.size();
    benchmark::DoNotOptimize(r);
  }
  times.Report(state);
  if (ranked == 0) state.SkipWithError("nothing ranked");
  state.counters["ranked"] = static_cast<double>(ranked);
  state.SetItemsProcessed(state.iterations() * n);
}

// The same batch prepared once (Ranker::Prepare), then ranked per iteration:
// the web package's register-once path (setCandidates + rank).
void BM_RankPrepared(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int dim = static_cast<int>(state.range(1));
  const bool full = state.range(2) != 0;
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, full);
  Ranker& ranker = *ranker_ptr;
  const int64_t now = Learn(&ranker, dim, 300);
  const reelrank::PreparedBatch batch =
      ranker.Prepare(reelrank_bench::MakeCandidates(n, dim, 1));
  const reelrank::Context ctx = reelrank_bench::MakeContext(now);
  size_t ranked = 0;
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    reelrank::RankResult r = ranker.Rank(batch, ctx);
    times.Stop();
    ranked = r.ranked.size();
    benchmark::DoNotOptimize(r);
  }
  times.Report(state);
  if (ranked == 0) state.SkipWithError("nothing ranked");
  state.counters["ranked"] = static_cast<double>(ranked);
  state.SetItemsProcessed(state.iterations() * n);
}

void BM_Observe(benchmark::State& state) {
  const int dim = 32;
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, true);
  Ranker& ranker = *ranker_ptr;
  int64_t seq = 0;
  int64_t now = Learn(&ranker, dim, 300, reelrank_bench::kT0, &seq);
  // Pre-generated views over the known pool; the pool is re-ranked between
  // chunks with the timer paused. Only items the ranker ranked (the policy
  // drops some pool items: events about them are refused), as suite.mjs.
  const std::vector<Candidate> pool =
      reelrank_bench::MakeCandidates(200, dim, 0);
  Rng r(4242);
  std::vector<Event> events, view;
  auto refill = [&] {
    events.clear();
    std::vector<char> known(pool.size(), 0);
    for (const auto& s :
         ranker.Rank(pool, reelrank_bench::MakeContext(now)).ranked)
      known[s.index] = 1;
    while (events.size() < 2000) {
      const int k = r.Below(200);
      view.clear();
      reelrank_bench::ViewEvents(pool[k], reelrank_bench::CategoryOf(pool[k]),
                                 &r, &now, &seq, &view);
      if (known[k]) events.insert(events.end(), view.begin(), view.end());
    }
  };
  refill();
  size_t i = 0;
  int errors = 0;
  CallTimes times;
  for (auto _ : state) {
    if (i == events.size()) {
      state.PauseTiming();
      refill();  // fresh ids and later timestamps for the next chunk
      i = 0;
      state.ResumeTiming();
    }
    times.Start();
    reelrank::Status s = ranker.Observe(events[i++]);
    times.Stop();
    if (!s.ok()) ++errors;
    benchmark::DoNotOptimize(s);
  }
  times.Report(state);
  state.counters["errors"] = errors;
}

// next(): the item the feed shows now, over the known pool after a rank of
// 1,000 candidates (every stage on). Next is pure for a state, so each call
// does the same work.
void BM_Next(benchmark::State& state) {
  const int n = 1000;
  const int dim = 32;
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, true);
  Ranker& ranker = *ranker_ptr;
  const int64_t now = Learn(&ranker, dim, 300);
  const reelrank::Context ctx = reelrank_bench::MakeContext(now);
  ranker.Rank(reelrank_bench::MakeCandidates(n, dim, 1), ctx);
  int found = 0;
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    reelrank::NextItem item = ranker.Next(ctx);
    times.Stop();
    found += item.found ? 1 : 0;
    benchmark::DoNotOptimize(item);
  }
  times.Report(state);
  if (found == 0) state.SkipWithError("next found nothing");
}

void BM_ExportProfile(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0));
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, true);
  Ranker& ranker = *ranker_ptr;
  Learn(&ranker, dim, 2000);
  size_t bytes = 0;
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    std::string s = ranker.ExportProfile();
    times.Stop();
    bytes = s.size();
    benchmark::DoNotOptimize(s);
  }
  times.Report(state);
  state.counters["bytes"] = static_cast<double>(bytes);
}

void BM_ImportProfile(benchmark::State& state) {
  const int dim = static_cast<int>(state.range(0));
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, true);
  Ranker& ranker = *ranker_ptr;
  Learn(&ranker, dim, 2000);
  const std::string saved = ranker.ExportProfile();
  std::unique_ptr<Ranker> target_ptr = MakeRanker(dim, true);
  Ranker& target = *target_ptr;
  int errors = 0;
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    reelrank::Status s = target.ImportProfile(saved);
    times.Stop();
    if (!s.ok()) ++errors;
    benchmark::DoNotOptimize(s);
  }
  times.Report(state);
  state.counters["bytes"] = static_cast<double>(saved.size());
  state.counters["errors"] = errors;
}

// The core's dense scoring kernel alone (reelrank/dense_kernel.h, what
// Ranker::Rank runs once per call over the scored items): n items with unit
// embeddings (as the ranker holds them, no normalisation), sparse logits,
// head probabilities written as in the ranker.
void BM_DenseKernel(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const int dim = static_cast<int>(state.range(1));
  constexpr int H = reelrank::kNumHeads;
  Rng r(4242u);
  std::vector<float> e(static_cast<size_t>(n) * dim), prior(n),
      sparse(static_cast<size_t>(n) * H);
  std::vector<const float*> rows(n);
  for (int i = 0; i < n; ++i) {
    float* row = &e[static_cast<size_t>(i) * dim];
    double nn = 0.0;
    for (int d = 0; d < dim; ++d) {
      row[d] = static_cast<float>(2.0 * r.Uniform() - 1.0);
      nn += static_cast<double>(row[d]) * row[d];
    }
    for (int d = 0; d < dim; ++d)
      row[d] = static_cast<float>(row[d] / std::sqrt(nn));
    rows[i] = row;
    prior[i] = static_cast<float>(4.0 * r.Uniform() - 2.0);
    for (int h = 0; h < H; ++h)
      sparse[static_cast<size_t>(i) * H + h] =
          static_cast<float>(r.Uniform() - 0.5);
  }
  std::vector<float> lu(dim), su(dim);
  for (std::vector<float>* v : {&lu, &su}) {
    double nn = 0.0;
    for (float& x : *v) {
      x = static_cast<float>(2.0 * r.Uniform() - 1.0);
      nn += static_cast<double>(x) * x;
    }
    for (float& x : *v) x = static_cast<float>(x / std::sqrt(nn));
  }
  reelrank::DenseWeights w;
  for (int h = 0; h < H; ++h) {
    w.bias[h] = static_cast<float>(r.Uniform() - 1.0);
    w.prior[h] = static_cast<float>(0.5 + 0.5 * r.Uniform());
    w.interest_long[h] = 1.0f;
    w.interest_session[h] = 0.5f;
    w.objective[h] = static_cast<float>(r.Uniform());
  }
  reelrank::DenseBatch in;
  in.n = n;
  in.dim = dim;
  in.embeddings = rows.data();
  in.long_interest = lu.data();
  in.session_interest = su.data();
  in.prior = prior.data();
  in.sparse = sparse.data();
  std::vector<float> value(n), p(static_cast<size_t>(n) * H);
  reelrank::DenseBatchOutput out;
  out.value = value.data();
  out.p = p.data();
  CallTimes times;
  for (auto _ : state) {
    times.Start();
    reelrank::ScoreDenseBatch(in, w, out);
    times.Stop();
    benchmark::DoNotOptimize(value.data());
    benchmark::ClobberMemory();
  }
  times.Report(state);
  state.SetItemsProcessed(state.iterations() * n);
}

BENCHMARK(BM_Rank)
    ->ArgNames({"n", "dim", "full"})
    ->ArgsProduct({{100, 1000, 10000}, {32, 64}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_RankPrepared)
    ->ArgNames({"n", "dim", "full"})
    ->ArgsProduct({{1000}, {32, 64}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DenseKernel)
    ->ArgNames({"n", "dim"})
    ->ArgsProduct({{1000}, {32, 64}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Observe)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Next)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ExportProfile)->Arg(32)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ImportProfile)->Arg(32)->Unit(benchmark::kMicrosecond);

// Profile size after 1e3, 1e4, 1e5, 1e6 events of a user who keeps meeting new
// items and creators (a fresh batch of 100 candidates, viewed in feed order).
int ProfileSizes(int64_t max_events) {
  const int dim = 32;
  std::unique_ptr<Ranker> ranker_ptr = MakeRanker(dim, true);
  Ranker& ranker = *ranker_ptr;
  Rng r(99);
  int64_t now = reelrank_bench::kT0;
  int64_t seq = 0;
  int64_t observed = 0;
  int64_t failed = 0;
  int64_t next_report = 1000;
  int batch = 10;
  std::vector<Candidate> cands;
  std::vector<Event> events;
  const auto t0 = std::chrono::steady_clock::now();
  while (next_report <= max_events) {
    cands = reelrank_bench::MakeCandidates(100, dim, batch++);
    // The user views what the feed shows, in its order (items the policy or
    // fatigue stage dropped are never shown, so never observed).
    const reelrank::RankResult shown =
        ranker.Rank(cands, reelrank_bench::MakeContext(now));
    for (size_t v = 0; v < shown.ranked.size() && next_report <= max_events;
         ++v) {
      const Candidate& c = cands[shown.ranked[v].index];
      events.clear();
      reelrank_bench::ViewEvents(c, reelrank_bench::CategoryOf(c), &r, &now,
                                 &seq, &events);
      for (const Event& e : events) {
        if (!ranker.Observe(e).ok()) ++failed;
        ++observed;
        if (observed == next_report) {
          const std::string p = ranker.ExportProfile();
          const double secs = std::chrono::duration<double>(
                                  std::chrono::steady_clock::now() - t0)
                                  .count();
          const reelrank::ProfileStats st = ranker.Stats();
          std::printf(
              "{\"events\": %lld, \"profile_bytes\": %zu, \"features\": %d, "
              "\"failed\": %lld, \"seconds\": %.3f}\n",
              static_cast<long long>(observed), p.size(), st.features,
              static_cast<long long>(failed), secs);
          std::fflush(stdout);
          next_report *= 10;
        }
      }
    }
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::printf("{\"peak_rss_bytes\": %lld}\n",
              static_cast<long long>(ru.ru_maxrss) * 1024);
  return 0;
}

// --dump_outputs: one line per output of a scripted session, floats as
// exact bits, so two builds of the core that must rank alike can be compared
// byte for byte (tests/bench/diff_outputs.sh). Per config (dim 32 / 64,
// lean / full): 300 learned views, then 40 rounds of Rank(candidates),
// Rank(prepared) a second later, Explain of the top 3, views of the top 5,
// the prepared batch re-ranked now and twice at another hour; then 20
// Next() (each followed by its impression) and the exported profile.
void DumpResult(std::FILE* f, const reelrank::RankResult& r) {
  std::fprintf(f, "R %zu %zu %zu\n", r.ranked.size(), r.dropped.size(),
               r.rejected.size());
  for (const reelrank::ScoredCandidate& s : r.ranked) {
    uint64_t bits;
    std::memcpy(&bits, &s.value, sizeof bits);
    std::fprintf(f, "%d %016" PRIx64 " %d %d %d %s %a %d %d %d |", s.index,
                 bits, s.seen, static_cast<int>(s.action), s.num_contributions,
                 s.rule_id.c_str(), s.policy_multiplier, s.interstitial,
                 s.explored, s.pre_diversity_rank);
    for (float h : s.heads) std::fprintf(f, " %a", h);
    for (int k = 0; k < s.num_contributions; ++k) {
      const reelrank::Contribution& c = s.contributions[k];
      std::fprintf(f, " c%d/%d/%a", static_cast<int>(c.kind), c.index, c.value);
    }
    std::fprintf(f, "\n");
  }
  for (const auto& d : r.dropped) {
    std::fprintf(f, "D %d %s %d %s\n", d.index, d.rule_id.c_str(),
                 static_cast<int>(d.source), d.reason.c_str());
  }
  for (const auto& d : r.rejected) {
    std::fprintf(f, "J %d %s\n", d.index, d.status.ToString().c_str());
  }
}

int DumpOutputs(const char* path) {
  std::FILE* f = std::fopen(path, "w");
  if (!f) return 1;
  for (int cfg = 0; cfg < 4; ++cfg) {
    const int dim = cfg & 1 ? 64 : 32;
    const bool full = (cfg & 2) != 0;
    std::unique_ptr<Ranker> ranker = MakeRanker(dim, full);
    int64_t seq = 0;
    int64_t now = Learn(ranker.get(), dim, 300, reelrank_bench::kT0, &seq);
    Rng r(1234 + cfg);
    for (int round = 0; round < 40; ++round) {
      std::vector<Candidate> cands =
          reelrank_bench::MakeCandidates(300 + 10 * round, dim, 2 + round % 5);
      if (round % 7 == 3) cands[5].id = "";  // one rejected
      DumpResult(f, ranker->Rank(cands, reelrank_bench::MakeContext(now)));
      const reelrank::PreparedBatch b = ranker->Prepare(cands);
      const reelrank::RankResult c =
          ranker->Rank(b, reelrank_bench::MakeContext(now + 1000));
      DumpResult(f, c);
      for (int t = 0; t < 3 && t < static_cast<int>(c.ranked.size()); ++t) {
        auto e = ranker->Explain(cands[c.ranked[t].index].id);
        if (e.ok()) {
          std::fprintf(f, "E %s\n",
                       reelrank::ExplanationToJson(e.value()).c_str());
        }
      }
      std::vector<Event> events;
      for (int v = 0; v < 5 && v < static_cast<int>(c.ranked.size()); ++v) {
        const Candidate& cc = cands[c.ranked[v].index];
        events.clear();
        reelrank_bench::ViewEvents(cc, reelrank_bench::CategoryOf(cc), &r, &now,
                                   &seq, &events);
        for (const Event& e : events) ranker->Observe(e);
      }
      DumpResult(f, ranker->Rank(b, reelrank_bench::MakeContext(now)));
      reelrank::Context other = reelrank_bench::MakeContext(now);
      other.hour_of_day = (other.hour_of_day + 7 * round) % 24;
      DumpResult(f, ranker->Rank(b, other));
      DumpResult(f, ranker->Rank(b, other));
      now += 60000;
    }
    for (int k = 0; k < 20; ++k) {
      const reelrank::NextItem ni =
          ranker->Next(reelrank_bench::MakeContext(now + k * 1000));
      std::fprintf(f, "N %s %a\n", ni.id.c_str(), ni.scored.value);
      if (!ni.id.empty()) {
        Event e;
        e.event_id = "n" + std::to_string(k);
        e.item_id = ni.id;
        e.kind = reelrank::EventKind::kImpression;
        e.timestamp_ms = now + k * 1000 + 10;
        ranker->Observe(e);
      }
    }
    std::fprintf(f, "P %s\n", ranker->ExportProfile().c_str());
  }
  return std::fclose(f) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--dump_profile=", 15) == 0) {
      // The profile BM_ImportProfile restores (2,000 views, dim 32).
      std::unique_ptr<Ranker> ranker = MakeRanker(32, true);
      Learn(ranker.get(), 32, 2000);
      const std::string p = ranker->ExportProfile();
      std::FILE* f = std::fopen(argv[i] + 15, "wb");
      if (!f || std::fwrite(p.data(), 1, p.size(), f) != p.size()) return 1;
      std::fclose(f);
      return 0;
    }
    if (std::strncmp(argv[i], "--dump_outputs=", 15) == 0) {
      return DumpOutputs(argv[i] + 15);
    }
    if (std::strncmp(argv[i], "--profile_sizes", 15) == 0) {
      long long max_events = 1000000;
      if (argv[i][15] == '=') max_events = std::atoll(argv[i] + 16);
      return ProfileSizes(max_events);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
