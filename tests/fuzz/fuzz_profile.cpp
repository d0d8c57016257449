// Fuzz target: profile import.
//
// The first byte picks a mode:
//   0: the rest is the whole profile text;
//   1: byte-level mutations (bit flips, byte sets, truncation, insertion,
//      deletion) of a valid exported profile, driven by the rest;
//   2: as 1, then, if the result is still JSON, the checksum is recomputed so
//      the field parser behind the checksum is exercised too;
//   3: as 2 but mutating one JSON value (numbers, strings, arrays) in place.
// Import must either succeed or return an error, never crash. A rejected
// import leaves the profile unchanged (the export is byte-identical); an
// accepted one can be ranked with, observed into, and exported and imported
// again (to the same bytes).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../core/profile_fixture.h"
#include "fuzz_gen.h"
#include "reelrank/feature_table.h"
#include "reelrank/ranker.h"
#include "serial.h"

namespace {

using json = nlohmann::json;

reelrank::RankerConfig Config() {
  return reelrank::fixture::SmallProfileConfig();
}

std::vector<reelrank::Candidate> Catalog() {
  return reelrank::fixture::ProfileCatalog(12);
}

// A ranker with some history: ranked items, views, likes, a not-interested.
const std::string& ValidProfile() {
  static const std::string* text = [] {
    reelrank::Ranker r(Config());
    reelrank::fixture::LearnProfileHistory(&r);
    return new std::string(r.ExportProfile());
  }();
  return *text;
}

std::string Mutate(FuzzedDataProvider& fdp, std::string s) {
  const int n = fdp.ConsumeIntegralInRange<int>(1, 8);
  for (int i = 0; i < n && fdp.remaining_bytes() > 0; ++i) {
    const size_t pos =
        s.empty() ? 0 : fdp.ConsumeIntegralInRange<size_t>(0, s.size() - 1);
    switch (fdp.ConsumeIntegralInRange<int>(0, 5)) {
      case 0:
        if (!s.empty())
          s[pos] ^=
              static_cast<char>(1 << fdp.ConsumeIntegralInRange<int>(0, 7));
        break;
      case 1:
        if (!s.empty())
          s[pos] = static_cast<char>(fdp.ConsumeIntegral<uint8_t>());
        break;
      case 2:
        s.resize(pos);
        break;
      case 3:
        s.insert(pos, fdp.ConsumeRandomLengthString(8));
        break;
      case 4:
        s.erase(pos, fdp.ConsumeIntegralInRange<size_t>(1, 16));
        break;
      case 5: {  // replace a digit run start with another digit / sign
        static const char kRep[] = "0123456789-.eE";
        if (!s.empty()) s[pos] = kRep[fdp.ConsumeIntegralInRange<int>(0, 13)];
        break;
      }
    }
  }
  return s;
}

// Mutates one scalar somewhere in the JSON tree.
void MutateValue(FuzzedDataProvider& fdp, json* j, int depth) {
  if (depth > 12 || fdp.remaining_bytes() == 0) return;
  if ((j->is_object() || j->is_array()) && !j->empty() &&
      fdp.ConsumeIntegralInRange<int>(0, 4) != 0) {
    size_t k = fdp.ConsumeIntegralInRange<size_t>(0, j->size() - 1);
    if (j->is_array()) {
      if (fdp.ConsumeIntegralInRange<int>(0, 9) == 0) {
        j->erase(k);
        return;
      }
      MutateValue(fdp, &(*j)[k], depth + 1);
    } else {
      auto it = j->begin();
      std::advance(it, k);
      if (fdp.ConsumeIntegralInRange<int>(0, 9) == 0) {
        j->erase(it.key());
        return;
      }
      MutateValue(fdp, &it.value(), depth + 1);
    }
    return;
  }
  switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      *j = fdp.ConsumeIntegral<int64_t>();
      break;
    case 1:
      *j = fdp.ConsumeFloatingPoint<double>();
      break;
    case 2:
      *j = -1;
      break;
    case 3:
      *j = 0;
      break;
    case 4:
      *j = fdp.ConsumeRandomLengthString(16);
      break;
    case 5:
      *j = nullptr;
      break;
    case 6:
      *j = json::array();
      break;
    case 7:
      *j = json::object();
      break;
    case 8:
      *j = fdp.ConsumeBool();
      break;
    case 9:
      *j = static_cast<uint64_t>(fdp.ConsumeIntegral<uint64_t>());
      break;
  }
}

// Recomputes the checksum of a (mutated) profile so it passes that check.
std::string FixChecksum(const std::string& text) {
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return text;
  auto p = root.find("payload");
  if (p == root.end()) return text;
  const std::string ptext =
      p->dump(-1, ' ', false, json::error_handler_t::replace);
  root["checksum"] = reelrank::serial::Hex64(reelrank::Fnv1a64(ptext));
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const std::string& valid = ValidProfile();
  std::string text;
  switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      text = fdp.ConsumeRemainingBytesAsString();
      break;
    case 1:
      text = Mutate(fdp, valid);
      break;
    case 2:
      text = FixChecksum(Mutate(fdp, valid));
      break;
    case 3: {
      json root = json::parse(valid, nullptr, false);
      const int n = fdp.ConsumeIntegralInRange<int>(1, 3);
      for (int i = 0; i < n; ++i) MutateValue(fdp, &root, 0);
      text = FixChecksum(
          root.dump(-1, ' ', false, json::error_handler_t::replace));
      break;
    }
  }

  // The target ranker holds a known state (the valid profile). It is kept
  // between runs and restored after an accepted import.
  static reelrank::Ranker* held = [&] {
    auto* r = new reelrank::Ranker(Config());
    reelrank::Status s0 = r->ImportProfile(valid);
    FUZZ_CHECK(s0.ok(), "valid profile does not import: %s",
               s0.ToString().c_str());
    return r;
  }();
  static const std::string before = held->ExportProfile();
  reelrank::Ranker& ranker = *held;

  reelrank::Status s = ranker.ImportProfile(text);
  if (!s.ok()) {
    FUZZ_CHECK(!s.message().empty(), "error without a message");
    FUZZ_CHECK(ranker.ExportProfile() == before,
               "rejected import changed the profile: %s", s.ToString().c_str());
    return 0;
  }
  struct Restore {
    reelrank::Ranker* r;
    const std::string* text;
    ~Restore() { (void)r->ImportProfile(*text); }
  } restore{held, &valid};
  reelrank_fuzz::CheckStats(ranker);
  const std::string after = ranker.ExportProfile();
  reelrank::Ranker again(Config());
  reelrank::Status s2 = again.ImportProfile(after);
  FUZZ_CHECK(s2.ok(), "accepted profile does not re-import after export: %s",
             s2.ToString().c_str());
  FUZZ_CHECK(again.ExportProfile() == after, "re-export differs");

  // Use it: rank, observe, forget, export.
  std::vector<reelrank::Candidate> cands = Catalog();
  reelrank::Context ctx;
  ctx.now_ms = 1700000900000LL;
  reelrank::RankResult r = ranker.Rank(cands, ctx);
  reelrank_fuzz::CheckRankResult(r, cands.size());
  reelrank::Event e;
  e.event_id = "fz1";
  e.item_id = "v3";
  e.kind = reelrank::EventKind::kSwipeAway;
  e.timestamp_ms = ctx.now_ms;
  e.dwell_ms = 2000;
  e.velocity = 2.0f;
  (void)ranker.Observe(e);
  (void)ranker.Forget("e3");
  (void)ranker.Forget("fz1");
  reelrank_fuzz::CheckStats(ranker);
  reelrank::RankResult r2 = ranker.Rank(cands, ctx);
  reelrank_fuzz::CheckRankResult(r2, cands.size());
  (void)ranker.ExportProfile();
  return 0;
}
