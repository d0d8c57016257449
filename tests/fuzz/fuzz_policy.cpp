// Fuzz target: policy JSON and the drop invariant.
//
// Bytes -> operator policy JSON + user controls JSON -> ParsePolicy /
// PolicyEngine::SetPolicyJson / SetUserControlsJson (never crash; a
// rejected policy leaves the previous one in place), then a batch of
// candidates through the pipeline (Decide -> Order / Next with exploration
// and diversity on, several feed steps) with random stage configs.
//
// Then the same policy, controls and candidates through the public facade
// (Ranker::SetPolicy / SetUserControls / Rank / Observe / Next) with random
// stage configs, a few feed steps with events in between.
//
// Invariant (aborts on violation): an item the policy drops is never
// returned by Order or Next, nor by Ranker::Rank or Ranker::Next, whatever
// exploration and diversity do (the oracle is a separate PolicyEngine built
// from the ranker's own policy and controls JSON); a non-dropped decision has
// a multiplier in [kMinPolicyMultiplier, kMaxPolicyMultiplier], a dropped one
// has multiplier 0. Ranker::SetPolicyAndControls is all or nothing: on error
// the previous policy and controls stay, on success both are the new ones.
// The text folding policy matching uses (unicode_text.h) is stable (folding
// folded text changes nothing), always valid UTF-8, and its word spans are
// ordered and inside the text, whatever the bytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_gen.h"
#include "reelrank/limits.h"
#include "reelrank/pipeline.h"
#include "reelrank/policy.h"
#include "reelrank/ranker.h"
#include "unicode_text.h"
#include "utf8.h"

namespace {

using reelrank::Candidate;
using reelrank::PolicyDecision;

void CheckDecision(const PolicyDecision& d) {
  if (d.dropped()) {
    FUZZ_CHECK(d.multiplier == 0.0, "dropped with multiplier %g", d.multiplier);
  } else {
    FUZZ_CHECK(d.multiplier >= reelrank::kMinPolicyMultiplier &&
                   d.multiplier <= reelrank::kMaxPolicyMultiplier,
               "multiplier %g out of range (action %s)", d.multiplier,
               reelrank::PolicyActionName(d.action));
  }
}

reelrank::PipelineConfig MakePipelineConfig(FuzzedDataProvider& fdp) {
  reelrank::PipelineConfig c;
  c.policy.enabled = fdp.ConsumeIntegralInRange<int>(0, 7) != 0;
  c.explore.enabled = fdp.ConsumeIntegralInRange<int>(0, 7) != 0;
  c.explore.method = fdp.ConsumeBool() ? reelrank::ExploreMethod::kThompson
                                       : reelrank::ExploreMethod::kUcb;
  c.explore.slot_every = fdp.ConsumeIntegralInRange<int>(2, 6);
  c.explore.max_rate = fdp.ConsumeProbability<double>();
  c.explore.min_rate = c.explore.max_rate * fdp.ConsumeProbability<double>();
  c.diversity.enabled = fdp.ConsumeIntegralInRange<int>(0, 7) != 0;
  c.diversity.author_window = fdp.ConsumeIntegralInRange<int>(0, 3);
  c.diversity.sound_window = fdp.ConsumeIntegralInRange<int>(0, 3);
  c.diversity.topic_window = fdp.ConsumeIntegralInRange<int>(0, 10);
  c.diversity.mmr_window = fdp.ConsumeIntegralInRange<int>(0, 5);
  c.diversity.explore_gap = fdp.ConsumeIntegralInRange<int>(0, 3);
  c.diversity.depth = fdp.ConsumeIntegralInRange<int>(1, 20);
  c.history_size = fdp.ConsumeIntegralInRange<int>(1, 16);
  // Ranker::Rank runs exploration and diversity too (the feed order).
  c.rank_feed_order = fdp.ConsumeBool();
  return c;
}

void CheckFold(const std::string& text) {
  const std::string f = reelrank::FoldText(text);
  FUZZ_CHECK(reelrank::IsValidUtf8(f), "folded text is not UTF-8");
  FUZZ_CHECK(reelrank::FoldText(f) == f, "folding is not stable");
  uint32_t at = 0;
  for (const auto& [begin, end] :
       reelrank::FoldWords(f, reelrank::Limits::kCaptionWords)) {
    FUZZ_CHECK(begin >= at && begin < end && end <= f.size(),
               "word span [%u, %u) after %u in %zu bytes", begin, end, at,
               f.size());
    at = end;
  }
}

// The facade: Rank and Next never return an item the oracle drops, nor an
// index Rank itself lists as dropped.
void CheckRankerDrops(FuzzedDataProvider& fdp, const std::string& policy_json,
                      const std::string& controls_json,
                      const reelrank::PipelineConfig& pc,
                      const std::vector<Candidate>& cands, int dim,
                      int64_t now) {
  reelrank::RankerConfig rc;
  rc.embedding_dim = dim;
  rc.seed = fdp.ConsumeIntegral<uint8_t>();
  rc.explain = fdp.ConsumeBool();
  rc.pipeline = pc;
  rc.profile.max_known_items = fdp.ConsumeIntegralInRange<int>(1, 48);
  reelrank::Result<std::unique_ptr<reelrank::Ranker>> made =
      reelrank::Ranker::Create(rc);
  if (!made.ok()) return;
  reelrank::Ranker& ranker = *made.value();
  // Both at once: all or nothing.
  const std::string policy_before = ranker.PolicyJson();
  const std::string controls_before = ranker.UserControlsJson();
  const reelrank::Status both =
      ranker.SetPolicyAndControls(policy_json, controls_json);
  if (both.ok()) {
    FUZZ_CHECK(ranker.PolicyJson() == policy_json, "policy not applied");
    reelrank::Result<reelrank::UserControls> want =
        reelrank::ParseUserControls(controls_json);
    FUZZ_CHECK(want.ok(), "SetPolicyAndControls took invalid controls");
    FUZZ_CHECK(ranker.UserControlsJson() ==
                   reelrank::UserControlsToJson(want.value()),
               "controls not applied");
  } else {
    FUZZ_CHECK(ranker.PolicyJson() == policy_before &&
                   ranker.UserControlsJson() == controls_before,
               "failed SetPolicyAndControls changed something: %s",
               both.ToString().c_str());
    // Each alone (what is valid of them applies).
    ranker.SetPolicy(policy_json);
    ranker.SetUserControls(controls_json);
  }

  reelrank::PolicyEngine oracle;
  FUZZ_CHECK(oracle.SetPolicyJson(ranker.PolicyJson()).ok(),
             "ranker policy JSON does not parse back");
  FUZZ_CHECK(oracle.SetUserControlsJson(ranker.UserControlsJson()).ok(),
             "ranker controls JSON do not parse back");
  oracle.set_operator_enabled(pc.policy.enabled);

  int serial = 0;
  const int steps = fdp.ConsumeIntegralInRange<int>(1, 6);
  for (int step = 0; step < steps; ++step) {
    reelrank::Context ctx = reelrank_fuzz::MakeContext(fdp, now);
    reelrank::RankResult r = ranker.Rank(cands, ctx);
    reelrank_fuzz::CheckRankResult(r, cands.size());
    std::vector<bool> listed_dropped(cands.size(), false);
    for (const auto& d : r.dropped) {
      FUZZ_CHECK(d.index >= 0 && static_cast<size_t>(d.index) < cands.size(),
                 "dropped index %d", d.index);
      listed_dropped[d.index] = true;
    }
    for (const auto& s : r.ranked) {
      FUZZ_CHECK(!listed_dropped[s.index], "Rank ranked and dropped %d",
                 s.index);
      FUZZ_CHECK(!oracle.Decide(cands[s.index], ctx.now_ms).dropped(),
                 "Rank returned dropped item '%s'", cands[s.index].id.c_str());
    }
    for (int view = fdp.ConsumeIntegralInRange<int>(0, 3); view > 0; --view) {
      reelrank::NextItem next = ranker.Next(ctx);
      if (!next.found) break;
      // The accepted copy of that id (Rank lists it as ranked or dropped).
      const Candidate* c = nullptr;
      for (const auto& s : r.ranked) {
        if (cands[s.index].id == next.id) c = &cands[s.index];
      }
      for (const auto& d : r.dropped) {
        if (cands[d.index].id == next.id) c = &cands[d.index];
      }
      FUZZ_CHECK(c != nullptr, "Next returned unknown id '%s'",
                 next.id.c_str());
      FUZZ_CHECK(!oracle.Decide(*c, ctx.now_ms).dropped(),
                 "Next returned dropped item '%s'", next.id.c_str());
      reelrank::Event e = reelrank_fuzz::MakeEvent(fdp, serial++, ctx.now_ms);
      e.item_id = next.id;
      ranker.Observe(e);
    }
    now += fdp.ConsumeIntegralInRange<int64_t>(0, 30LL * 24 * 3600 * 1000);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const std::string policy_json = fdp.ConsumeRandomLengthString(4096);
  const std::string controls_json = fdp.ConsumeRandomLengthString(1024);

  // The parser alone.
  reelrank::Result<reelrank::Policy> parsed =
      reelrank::ParsePolicy(policy_json);
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.status().message().empty(), "error without message");
  }

  reelrank::PipelineConfig pc = MakePipelineConfig(fdp);
  if (!reelrank::ValidatePipelineConfig(pc).ok()) return 0;
  reelrank::Pipeline pipeline(pc);
  reelrank::PolicyEngine& engine = pipeline.policy_engine();
  const size_t rules_before = engine.policy().rules.size();
  reelrank::Status ps = engine.SetPolicyJson(policy_json);
  FUZZ_CHECK(ps.ok() == parsed.ok(), "SetPolicyJson and ParsePolicy disagree");
  if (!ps.ok()) {
    FUZZ_CHECK(engine.policy().rules.size() == rules_before,
               "rejected policy replaced the previous one");
  }
  reelrank::Status cs = engine.SetUserControlsJson(controls_json);
  if (cs.ok()) {
    // Controls round-trip through their JSON form.
    std::string again = reelrank::UserControlsToJson(engine.user_controls());
    reelrank::Result<reelrank::UserControls> back =
        reelrank::ParseUserControls(again);
    FUZZ_CHECK(back.ok(), "controls JSON does not parse back: %s",
               back.status().ToString().c_str());
  }

  const int dim = 4;
  int64_t now = 1700000000000LL;
  std::vector<Candidate> cands = reelrank_fuzz::MakeCandidates(fdp, dim, 24);
  CheckFold(policy_json);
  CheckFold(controls_json);
  for (const Candidate& c : cands) {
    CheckFold(c.caption);
    for (const auto& t : c.tags) CheckFold(t);
  }
  reelrank::SplitMix64 rng(fdp.ConsumeIntegral<uint8_t>());
  const double profile_events = fdp.ConsumeIntegralInRange<int>(0, 500);

  const int steps = fdp.ConsumeIntegralInRange<int>(1, 6);
  for (int step = 0; step < steps; ++step) {
    std::vector<reelrank::StageItem> items;
    std::vector<bool> dropped(cands.size(), false);
    for (size_t i = 0; i < cands.size(); ++i) {
      if (!reelrank::ValidateCandidate(cands[i], dim, "c").ok()) continue;
      PolicyDecision d = pipeline.Decide(cands[i], now);
      CheckDecision(d);
      dropped[i] = d.dropped();
      reelrank::StageItem it;
      it.index = static_cast<int>(i);
      it.score = fdp.ConsumeFloatingPointInRange<double>(-5, 5);
      it.uncertainty = fdp.ConsumeFloatingPointInRange<double>(0, 2);
      it.policy = d;
      // Dropped items are passed in on purpose: the stages must remove them.
      items.push_back(it);
    }
    std::vector<reelrank::StageItem> feed =
        pipeline.Order(cands, items, profile_events, rng);
    for (const auto& f : feed) {
      FUZZ_CHECK(f.index >= 0 && static_cast<size_t>(f.index) < cands.size(),
                 "Order index %d", f.index);
      FUZZ_CHECK(!dropped[f.index], "Order returned dropped item %d ('%s')",
                 f.index, cands[f.index].id.c_str());
      FUZZ_CHECK(!f.policy.dropped(), "Order returned a kDrop item");
    }
    reelrank::StageItem out;
    int pos = pipeline.Next(cands, items, profile_events, rng, &out);
    if (pos >= 0) {
      FUZZ_CHECK(static_cast<size_t>(pos) < items.size(), "Next pos %d", pos);
      const int idx = items[pos].index;
      FUZZ_CHECK(!dropped[idx], "Next returned dropped item %d ('%s')", idx,
                 cands[idx].id.c_str());
      pipeline.RecordShown(cands[idx], out.explored);
      if (fdp.ConsumeIntegralInRange<int>(0, 3) == 0) {
        pipeline.RecordNegative(cands[idx], now);
      }
    } else {
      bool any = false;
      for (const auto& it : items) any = any || !it.policy.dropped();
      FUZZ_CHECK(!any, "Next found nothing although an item is allowed");
    }
    now += fdp.ConsumeIntegralInRange<int64_t>(0, 30LL * 24 * 3600 * 1000);
  }
  CheckRankerDrops(fdp, policy_json, controls_json, pc, cands, dim, now);
  return 0;
}
