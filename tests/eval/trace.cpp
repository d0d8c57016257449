#include "trace.h"

#include <string>

namespace reelrank {
namespace eval {
namespace {

using nlohmann::json;

json CandidateJson(const Candidate& c) {
  json j = {{"id", c.id},
            {"duration_ms", c.duration_ms},
            {"server_score", c.server_score}};
  if (!c.author.empty()) j["author"] = c.author;
  if (!c.tags.empty()) j["tags"] = c.tags;
  if (!c.category.empty()) j["category"] = c.category;
  if (!c.sound.empty()) j["sound"] = c.sound;
  if (!c.caption.empty()) j["caption"] = c.caption;
  if (!c.region.empty()) j["region"] = c.region;
  if (c.created_at_ms != 0) j["created_at"] = c.created_at_ms;
  if (!c.embedding.empty()) j["embedding"] = c.embedding;
  return j;
}

json ContextJson(const Context& c) {
  return {{"nowMs", c.now_ms},
          {"hourOfDay", c.hour_of_day},
          {"sessionDepth", c.session_depth},
          {"surface", static_cast<int>(c.surface)}};
}

json Scored(const std::string& id, const ScoredCandidate& s) {
  return {{"id", id}, {"value", s.value}, {"heads", s.heads}};
}

}  // namespace

void CallTrace::Rank(const std::vector<Candidate>& batch,
                     const Context& context, const RankResult& result) {
  json cands = json::array();
  for (const Candidate& c : batch) cands.push_back(CandidateJson(c));
  json ranked = json::array();
  for (const ScoredCandidate& s : result.ranked) {
    ranked.push_back(Scored(batch[s.index].id, s));
  }
  json dropped = json::array();
  for (const DroppedCandidate& d : result.dropped) {
    dropped.push_back(batch[d.index].id);
  }
  ops_.push_back({{"op", "rank"},
                  {"candidates", std::move(cands)},
                  {"context", ContextJson(context)},
                  {"ranked", std::move(ranked)},
                  {"dropped", std::move(dropped)}});
}

void CallTrace::Next(const Context& context, const NextItem& next) {
  json op = {{"op", "next"}, {"context", ContextJson(context)}};
  if (next.found) {
    op["id"] = next.id;
    op["value"] = next.scored.value;
  } else {
    op["id"] = nullptr;
  }
  ops_.push_back(std::move(op));
}

void CallTrace::Observe(const Event& e, const Status& status) {
  json ev = {{"eventId", e.event_id},
             {"itemId", e.item_id},
             {"kind", EventKindName(e.kind)},
             {"timestampMs", e.timestamp_ms}};
  if (e.dwell_ms != 0) ev["dwellMs"] = e.dwell_ms;
  if (e.velocity != 0.0f) ev["velocity"] = e.velocity;
  ops_.push_back(
      {{"op", "observe"}, {"event", std::move(ev)}, {"ok", status.ok()}});
}

}  // namespace eval
}  // namespace reelrank
