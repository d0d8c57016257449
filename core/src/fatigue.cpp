#include "reelrank/fatigue.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "reelrank/feature_table.h"
#include "reelrank/policy.h"

namespace reelrank {

FatigueState FatigueCurve(const FatigueConfig& config, int64_t since_ms,
                          int64_t now_ms) {
  FatigueState s;
  if (!config.enabled) return s;
  // Saturating: any two int64 client times give a defined age.
  const int64_t age =
      now_ms <= since_ms
          ? 0
          : (since_ms < 0 && now_ms > INT64_MAX + since_ms ? INT64_MAX
                                                           : now_ms - since_ms);
  if (age < config.filter_ms) {
    s.filtered = true;
    s.multiplier = 0.0;
    return s;
  }
  const int64_t into = age - config.filter_ms;
  if (into >= config.discount_ms) return s;
  const double start = std::min(std::max(config.start_multiplier, 0.0), 1.0);
  const double frac =
      static_cast<double>(into) / static_cast<double>(config.discount_ms);
  s.multiplier = start + (1.0 - start) * frac;
  return s;
}

const char* KindName(FatigueKind kind) {
  switch (kind) {
    case FatigueKind::kAuthor:
      return "author";
    case FatigueKind::kSound:
      return "sound";
    case FatigueKind::kTopic:
      break;
  }
  return "topic";
}

FatigueConfig CurveFor(const FatigueConfig& config, FatigueKind kind) {
  FatigueConfig c = config;
  if (kind != FatigueKind::kAuthor) c.filter_ms = config.topic_filter_ms;
  return c;
}

namespace {
std::string NormTopic(const std::string& t) {
  std::string s = ToLowerAscii(t);
  if (!s.empty() && s[0] == '#') s.erase(0, 1);
  return s;
}
}  // namespace

std::string PrimaryTopic(const Candidate& c) {
  if (!c.category.empty()) return NormTopic(c.category);
  if (!c.tags.empty()) return NormTopic(c.tags[0]);
  return "";
}

FatigueTracker::FatigueTracker(const FatigueConfig& config) : config_(config) {}

void FatigueTracker::set_config(const FatigueConfig& config) {
  config_ = config;
  index_valid_ = false;
  const size_t cap = static_cast<size_t>(std::max(config_.max_entries, 0));
  if (entries_.size() > cap) {
    entries_.erase(entries_.begin(),
                   entries_.begin() + (entries_.size() - cap));
  }
}

void FatigueTracker::Record(FatigueKind kind, const std::string& raw_key,
                            int64_t at_ms, const std::string& event_id) {
  const std::string key =
      kind == FatigueKind::kTopic ? NormTopic(raw_key) : raw_key;
  if (key.empty() || config_.max_entries <= 0) return;
  index_valid_ = false;
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->kind == kind && it->key == key && it->event_id == event_id) {
      // Restart the window; move to the back (most recent).
      FatigueEntry e = *it;
      e.at_ms = std::max(e.at_ms, at_ms);
      entries_.erase(it);
      entries_.push_back(e);
      return;
    }
  }
  if (static_cast<int>(entries_.size()) >= config_.max_entries) {
    // Evict the oldest signal.
    auto oldest =
        std::min_element(entries_.begin(), entries_.end(),
                         [](const FatigueEntry& a, const FatigueEntry& b) {
                           return a.at_ms < b.at_ms;
                         });
    entries_.erase(oldest);
  }
  entries_.push_back({kind, key, at_ms, event_id});
}

void FatigueTracker::RecordNegative(const Candidate& c, int64_t at_ms,
                                    const std::string& event_id) {
  if (config_.track_authors && !c.author.empty()) {
    Record(FatigueKind::kAuthor, c.author, at_ms, event_id);
  }
  if (config_.track_topics) {
    const std::string t = PrimaryTopic(c);
    if (!t.empty()) Record(FatigueKind::kTopic, t, at_ms, event_id);
  }
  if (config_.track_sounds && !c.sound.empty()) {
    Record(FatigueKind::kSound, c.sound, at_ms, event_id);
  }
}

int FatigueTracker::Forget(const std::string& event_id) {
  if (event_id.empty()) return 0;
  const size_t before = entries_.size();
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const FatigueEntry& e) {
                                  return e.event_id == event_id;
                                }),
                 entries_.end());
  if (entries_.size() != before) index_valid_ = false;
  return static_cast<int>(before - entries_.size());
}

FatigueKeys MakeFatigueKeys(const std::string& author, const std::string& sound,
                            const std::string& norm_category,
                            const std::vector<std::string>& norm_tags) {
  FatigueKeys k;
  k.set = true;
  k.author = FeatureKey(author);
  k.sound = FeatureKey(sound);
  k.category = FeatureKey(norm_category);
  k.tags.reserve(norm_tags.size());
  for (const std::string& t : norm_tags) k.tags.push_back(FeatureKey(t));
  return k;
}

FatigueVerdict FatigueTracker::Assess(const Candidate& c,
                                      int64_t now_ms) const {
  if (!config_.enabled || entries_.empty()) return FatigueVerdict{};
  FatigueState s;
  const FatigueEntry* e = AssessImpl(c, nullptr, nullptr, nullptr, now_ms, &s);
  return VerdictOf(e, s);
}

FatigueVerdict FatigueTracker::Assess(const Candidate& c,
                                      const std::string& norm_category,
                                      const std::vector<std::string>& norm_tags,
                                      const FatigueKeys* keys,
                                      int64_t now_ms) const {
  FatigueState s;
  const FatigueEntry* e =
      Strongest(c, norm_category, norm_tags, keys, now_ms, &s);
  return VerdictOf(e, s);
}

const FatigueEntry* FatigueTracker::Strongest(
    const Candidate& c, const std::string& norm_category,
    const std::vector<std::string>& norm_tags, const FatigueKeys* keys,
    int64_t now_ms, FatigueState* state) const {
  *state = FatigueState{};
  if (!config_.enabled || entries_.empty()) return nullptr;
  if (keys && (!keys->set || keys->tags.size() != norm_tags.size())) {
    keys = nullptr;
  }
  return AssessImpl(c, &norm_category, &norm_tags, keys, now_ms, state);
}

namespace {
size_t SlotHash(FatigueKind kind, uint64_t key) {
  static const uint64_t kSalt[] = {0ULL, 0x9e3779b97f4a7c15ULL,
                                   0xc2b2ae3d27d4eb4fULL};
  const uint64_t h = key ^ kSalt[static_cast<int>(kind) % 3];
  return static_cast<size_t>(h ^ (h >> 29) ^ (h >> 43));
}
}  // namespace

void FatigueTracker::BuildIndex() const {
  size_t size = 16;
  while (size < 2 * entries_.size()) size *= 2;
  index_.assign(size, IndexSlot{});
  index_next_.assign(entries_.size(), kNoEntry);
  has_author_ = has_topic_ = has_sound_ = false;
  const size_t mask = size - 1;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const FatigueEntry& e = entries_[i];
    (e.kind == FatigueKind::kAuthor  ? has_author_
     : e.kind == FatigueKind::kSound ? has_sound_
                                     : has_topic_) = true;
    const uint64_t key = FeatureKey(e.key);
    size_t at = SlotHash(e.kind, key) & mask;
    while (index_[at].first != kNoEntry &&
           !(index_[at].key == key && index_[at].kind == e.kind)) {
      at = (at + 1) & mask;
    }
    IndexSlot& slot = index_[at];
    const uint32_t pos = static_cast<uint32_t>(i);
    if (slot.first == kNoEntry) {
      slot = {key, pos, pos, e.kind};
    } else {
      index_next_[slot.last] = pos;
      slot.last = pos;
    }
  }
  index_valid_ = true;
}

const FatigueTracker::IndexSlot* FatigueTracker::FindSlot(FatigueKind kind,
                                                          uint64_t key) const {
  const size_t mask = index_.size() - 1;
  for (size_t at = SlotHash(kind, key) & mask; index_[at].first != kNoEntry;
       at = (at + 1) & mask) {
    const IndexSlot& s = index_[at];
    if (s.key == key && s.kind == kind) return &s;
  }
  return nullptr;
}

const FatigueEntry* FatigueTracker::AssessImpl(
    const Candidate& c, const std::string* norm_category,
    const std::vector<std::string>* norm_tags, const FatigueKeys* keys,
    int64_t now_ms, FatigueState* state) const {
  if (!index_valid_) BuildIndex();
  // The entries that match the candidate (its author; its category or any
  // tag), visited in entries_ order as a full pass would.
  uint32_t hits_buf[64];
  std::vector<uint32_t> hits_heap;
  size_t num_hits = 0;
  bool overflow = false;
  auto add = [&](FatigueKind kind, const std::string& key, uint64_t hash) {
    if (key.empty()) return;
    const IndexSlot* slot = FindSlot(kind, hash);
    if (!slot) return;
    for (uint32_t i = slot->first; i != kNoEntry; i = index_next_[i]) {
      if (entries_[i].key != key) continue;  // a 64-bit key collision
      if (!overflow && num_hits < 64) {
        hits_buf[num_hits++] = i;
      } else {
        if (!overflow) hits_heap.assign(hits_buf, hits_buf + num_hits);
        overflow = true;
        hits_heap.push_back(i);
      }
    }
  };
  if (has_author_) {
    add(FatigueKind::kAuthor, c.author,
        keys ? keys->author : FeatureKey(c.author));
  }
  if (has_sound_) {
    add(FatigueKind::kSound, c.sound, keys ? keys->sound : FeatureKey(c.sound));
  }
  std::string own_cat;
  std::vector<std::string> own_tags;
  if (has_topic_) {
    if (!norm_category) {
      own_cat = NormTopic(c.category);
      own_tags.reserve(c.tags.size());
      for (const auto& t : c.tags) own_tags.push_back(NormTopic(t));
      norm_category = &own_cat;
      norm_tags = &own_tags;
    }
    add(FatigueKind::kTopic, *norm_category,
        keys ? keys->category : FeatureKey(*norm_category));
    for (size_t t = 0; t < norm_tags->size(); ++t) {
      const std::string& tag = (*norm_tags)[t];
      add(FatigueKind::kTopic, tag, keys ? keys->tags[t] : FeatureKey(tag));
    }
  }
  uint32_t* hits = overflow ? hits_heap.data() : hits_buf;
  if (overflow) num_hits = hits_heap.size();
  std::sort(hits, hits + num_hits);
  num_hits = static_cast<size_t>(std::unique(hits, hits + num_hits) - hits);

  FatigueState v;
  const FatigueEntry* best = nullptr;
  for (size_t h = 0; h < num_hits; ++h) {
    const FatigueEntry& e = entries_[hits[h]];
    const FatigueState s =
        FatigueCurve(CurveFor(config_, e.kind), e.at_ms, now_ms);
    if (s.multiplier < v.multiplier || (s.filtered && !v.filtered)) {
      v = s;
      best = &e;
    }
  }
  *state = v;
  return best;
}

FatigueVerdict FatigueTracker::VerdictOf(const FatigueEntry* best,
                                         const FatigueState& s) {
  FatigueVerdict v;
  if (!best) return v;
  v.filtered = s.filtered;
  v.multiplier = s.multiplier;
  v.key = KindName(best->kind);
  v.key += ':';
  v.key += best->key;
  return v;
}

void FatigueTracker::Prune(int64_t now_ms) {
  const size_t before = entries_.size();
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const FatigueEntry& e) {
                                  const FatigueState s =
                                      FatigueCurve(CurveFor(config_, e.kind),
                                                   e.at_ms, now_ms);
                                  return config_.enabled && !s.filtered &&
                                         s.multiplier >= 1.0;
                                }),
                 entries_.end());
  if (entries_.size() != before) index_valid_ = false;
}

std::string FatigueTracker::ToJson() const {
  nlohmann::json j;
  j["version"] = 1;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : entries_) {
    arr.push_back(
        {{"kind", KindName(e.kind)}, {"key", e.key}, {"at_ms", e.at_ms}});
  }
  j["entries"] = std::move(arr);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status FatigueTracker::FromJson(const std::string& json) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Invalid("fatigue", "not a JSON object");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() ||
      j["version"].get<int>() != 1) {
    return Status(StatusCode::kUnimplemented,
                  "fatigue.version: unsupported version");
  }
  if (!j.contains("entries") || !j["entries"].is_array()) {
    return Status::Invalid("fatigue.entries", "must be an array");
  }
  std::vector<FatigueEntry> out;
  const auto& arr = j["entries"];
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string f = "fatigue.entries[" + std::to_string(i) + "]";
    const auto& e = arr[i];
    if (!e.is_object()) return Status::Invalid(f, "must be an object");
    const std::string kind = e.contains("kind") && e["kind"].is_string()
                                 ? e["kind"].get<std::string>()
                                 : std::string();
    if (kind != "author" && kind != "topic" && kind != "sound") {
      return Status::Invalid(f + ".kind",
                             "must be \"author\", \"topic\" or \"sound\"");
    }
    if (!e.contains("key") || !e["key"].is_string() ||
        e["key"].get<std::string>().empty()) {
      return Status::Invalid(f + ".key", "must be a non-empty string");
    }
    if (!e.contains("at_ms") || !e["at_ms"].is_number_integer()) {
      return Status::Invalid(f + ".at_ms", "must be an integer");
    }
    std::string event_id;
    if (e.contains("event_id")) {
      if (!e["event_id"].is_string()) {
        return Status::Invalid(f + ".event_id", "must be a string");
      }
      event_id = e["event_id"].get<std::string>();
    }
    out.push_back({kind == "author"  ? FatigueKind::kAuthor
                   : kind == "sound" ? FatigueKind::kSound
                                     : FatigueKind::kTopic,
                   e["key"].get<std::string>(), e["at_ms"].get<int64_t>(),
                   std::move(event_id)});
  }
  entries_ = std::move(out);
  set_config(config_);  // enforce the bound
  return Status::Ok();
}

}  // namespace reelrank
