#include "reelrank/profile.h"

#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "lite_json.h"
#include "serial.h"
#include "time_range.h"

namespace reelrank {

namespace {

void AddFeature(ItemSnapshot* s, FeatureKind kind, int index,
                std::string_view prefix, std::string_view a,
                std::string_view sep = {}, std::string_view b = {}) {
  ItemFeature f;
  f.kind = kind;
  f.index = static_cast<uint8_t>(index);
  f.name_begin = static_cast<uint32_t>(s->names.size());
  s->names.append(prefix.data(), prefix.size());
  s->names.append(a.data(), a.size());
  s->names.append(sep.data(), sep.size());
  s->names.append(b.data(), b.size());
  f.name_len = static_cast<uint32_t>(s->names.size() - f.name_begin);
  f.key =
      FeatureKey(std::string_view(s->names).substr(f.name_begin, f.name_len));
  for (const ItemFeature& g : s->features) {
    if (g.key == f.key) {  // duplicate tag: count once
      s->names.resize(f.name_begin);
      return;
    }
  }
  s->features.push_back(f);
}

const char kDigits[] = "0123456789";

}  // namespace

void BuildItemSnapshot(const Candidate& c, int hour_of_day, ItemSnapshot* s) {
  s->item_key = FeatureKey(c.id);
  s->duration_ms = c.duration_ms;
  s->server_score = c.server_score;
  s->hour = hour_of_day < 0 ? 0 : (hour_of_day > 23 ? 23 : hour_of_day);
  s->features.clear();
  s->names.clear();
  int tags = 0;
  for (size_t i = 0; i < c.tags.size() && tags < kMaxItemTags; ++i) {
    if (c.tags[i].empty()) continue;
    AddFeature(s, FeatureKind::kTag, static_cast<int>(i), "tag:", c.tags[i]);
    ++tags;
  }
  if (!c.author.empty())
    AddFeature(s, FeatureKind::kAuthor, 0, "author:", c.author);
  if (!c.sound.empty())
    AddFeature(s, FeatureKind::kSound, 0, "sound:", c.sound);
  // A photo post (duration 0) has its own bucket, "p".
  const std::string_view b =
      c.duration_ms == 0
          ? std::string_view("p")
          : std::string_view(&kDigits[DurationBucket(c.duration_ms)], 1);
  const std::string_view hb(&kDigits[s->hour / 6], 1);
  if (!c.category.empty())
    AddFeature(s, FeatureKind::kCategory, 0, "category:", c.category);
  AddFeature(s, FeatureKind::kDuration, 0, "dur:", b);
  if (!c.category.empty()) {
    AddFeature(s, FeatureKind::kCatDur, 0, "cat_dur:", c.category, "|", b);
    AddFeature(s, FeatureKind::kCatHour, 1, "cat_hour:", c.category, "|", hb);
  }
  s->embedding.clear();
  if (!c.embedding.empty()) {
    double norm = 0.0;
    for (float v : c.embedding) norm += static_cast<double>(v) * v;
    norm = std::sqrt(norm);
    if (norm > 0.0 && std::isfinite(norm)) {
      s->embedding.resize(c.embedding.size());
      for (size_t i = 0; i < c.embedding.size(); ++i) {
        s->embedding[i] = static_cast<float>(c.embedding[i] / norm);
      }
    }
  }
}

void Profile::AddSeen(uint64_t key, int max_seen) {
  seen_order.push_back(key);
  ++seen_count[key];
  while (static_cast<int>(seen_order.size()) > max_seen) {
    const uint64_t old = seen_order.front();
    seen_order.pop_front();
    auto it = seen_count.find(old);
    if (it != seen_count.end() && --it->second == 0) seen_count.erase(it);
  }
}

std::string ProfileToJson(const Profile& p) {
  return serial::ProfileToJsonValue(p).dump(
      -1, ' ', false, serial::json::error_handler_t::replace);
}

Status ProfileFromJson(const std::string& text, int dim, Profile* out) {
  serial::json j = serial::json::parse(text, nullptr, false);
  if (j.is_discarded())
    return Status(StatusCode::kDataLoss, "profile: malformed JSON");
  serial::Reader r("profile");
  Profile p;
  serial::ProfileFromJsonValue(j, "", dim, &r, &p);
  if (!r.ok()) return r.status();
  *out = std::move(p);
  return Status::Ok();
}

namespace serial {

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64, v);
  return buf;
}

void Reader::Fail(const std::string& path, const std::string& why) {
  if (status_.ok())
    status_ = Status(StatusCode::kDataLoss, root_ + path + ": " + why);
}

const json* Reader::Field(const json& obj, const char* key,
                          const std::string& path) {
  if (!ok()) return nullptr;
  if (!obj.is_object()) {
    Fail(path, "expected an object");
    return nullptr;
  }
  auto it = obj.find(key);
  if (it == obj.end()) {
    Fail(path + "." + key, "missing");
    return nullptr;
  }
  return &*it;
}

double Reader::Num(const json& obj, const char* key, const std::string& path) {
  const json* v = Field(obj, key, path);
  if (!v) return 0.0;
  if (!v->is_number()) {
    Fail(path + "." + key, "expected a number");
    return 0.0;
  }
  const double d = v->get<double>();
  if (!std::isfinite(d)) Fail(path + "." + key, "not finite");
  return d;
}

int64_t Reader::Int(const json& obj, const char* key, const std::string& path) {
  const json* v = Field(obj, key, path);
  if (!v) return 0;
  if (!v->is_number_integer()) {
    Fail(path + "." + key, "expected an integer");
    return 0;
  }
  if (v->is_number_unsigned() &&
      v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    Fail(path + "." + key, "out of range");
    return 0;
  }
  return v->get<int64_t>();
}

bool Reader::Bool(const json& obj, const char* key, const std::string& path) {
  const json* v = Field(obj, key, path);
  if (!v) return false;
  if (!v->is_boolean()) {
    Fail(path + "." + key, "expected true or false");
    return false;
  }
  return v->get<bool>();
}

std::string Reader::Str(const json& obj, const char* key,
                        const std::string& path) {
  const json* v = Field(obj, key, path);
  if (!v) return {};
  if (!v->is_string()) {
    Fail(path + "." + key, "expected a string");
    return {};
  }
  return v->get<std::string>();
}

uint64_t Reader::Hex(const json& obj, const char* key,
                     const std::string& path) {
  const std::string s = Str(obj, key, path);
  if (!ok()) return 0;
  if (s.size() != 16) {
    Fail(path + "." + key, "expected 16 hex digits");
    return 0;
  }
  uint64_t v = 0;
  for (char c : s) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (d < 0) {
      Fail(path + "." + key, "expected 16 hex digits");
      return 0;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

const json* Reader::Arr(const json& obj, const char* key,
                        const std::string& path) {
  const json* v = Field(obj, key, path);
  if (!v) return nullptr;
  if (!v->is_array()) {
    Fail(path + "." + key, "expected an array");
    return nullptr;
  }
  return v;
}

void Reader::Floats(const json& obj, const char* key, const std::string& path,
                    std::vector<float>* out) {
  out->clear();
  const json* a = Arr(obj, key, path);
  if (!a) return;
  out->reserve(a->size());
  for (const json& v : *a) {
    // Finite as a float too: a larger double would become inf (found by
    // fuzz_profile: accepted, then exported as null).
    if (!v.is_number() || !std::isfinite(v.get<double>()) ||
        std::fabs(v.get<double>()) > std::numeric_limits<float>::max()) {
      Fail(path + "." + key, "expected an array of finite numbers");
      return;
    }
    out->push_back(static_cast<float>(v.get<double>()));
  }
}

namespace {

// A number read for a float field: must be finite as a float (else kDataLoss).
float FloatNum(Reader* r, const json& j, const char* key,
               const std::string& path) {
  const double d = r->Num(j, key, path);
  if (std::fabs(d) > std::numeric_limits<float>::max()) {
    r->Fail(path + "." + key, "out of float range");
    return 0.0f;
  }
  return static_cast<float>(d);
}

// FTRL accumulators (n), decayed sightings and negative strengths are sums
// of non-negative terms: a negative one is corrupt (sqrt(n) would be NaN).
bool NonNegative(const std::vector<float>& v) {
  for (float x : v) {
    if (!(x >= 0.0f)) return false;
  }
  return true;
}

// Appends the imported feature [kind, index, name] to `s`; false (nothing
// appended) when kind or index is out of range.
bool AppendItemFeature(int64_t kind, int64_t index, const std::string& name,
                       ItemSnapshot* s) {
  if (kind < 0 || kind > static_cast<int>(FeatureKind::kCatHour) || index < 0 ||
      index > 255) {
    return false;
  }
  ItemFeature f;
  f.kind = static_cast<FeatureKind>(kind);
  f.index = static_cast<uint8_t>(index);
  f.name_begin = static_cast<uint32_t>(s->names.size());
  f.name_len = static_cast<uint32_t>(name.size());
  f.key = FeatureKey(name);
  s->names += name;
  s->features.push_back(f);
  return true;
}

// Checks an imported snapshot embedding: empty, or `dim` entries of unit
// length (BuildItemSnapshot stores it normalised, so anything else is
// corrupt, and a huge entry would overflow the scores). On failure marks
// `path`.embedding in `r`.
void CheckSnapshotEmbedding(const std::vector<float>& e, int dim,
                            const std::string& path, Reader* r) {
  if (!r->ok() || e.empty()) return;
  if (static_cast<int>(e.size()) != dim) {
    r->Fail(path + ".embedding", "wrong dimension");
    return;
  }
  double norm = 0.0;
  for (float v : e) norm += static_cast<double>(v) * v;
  if (!(std::fabs(norm - 1.0) <= 1e-3)) {
    r->Fail(path + ".embedding", "not unit length");
  }
}

// Checks the times and durations of an imported profile (read up to and
// including last_event_ms): every time within TimeInRange and item durations
// in [0, kMaxAbsTimeMs] (0 = not a video), so no later time
// difference overflows; dwells are >= 0. On failure marks the field in `r`.
void CheckProfileTimes(const Profile& p, const std::string& path, Reader* r) {
  if (!r->ok()) return;
  auto time = [&](int64_t t, const std::string& field) {
    if (!r->ok() || TimeInRange(t)) return;
    r->Fail(path + field, "time out of range (|t| > 1e15 ms)");
  };
  auto span = [&](int64_t t, int64_t lo, int64_t hi, const std::string& field) {
    if (!r->ok() || (t >= lo && t <= hi)) return;
    r->Fail(path + field, "duration out of range");
  };
  const int64_t kAny = std::numeric_limits<int64_t>::max();
  for (const auto& [key, e] : p.features.Sorted()) {
    time(e->last_seen_ms, ".features.last_seen_ms");
    time(e->negative_ms, ".features.negative_ms");
  }
  time(p.long_ms, ".long_ms");
  time(p.session_ms, ".session_ms");
  time(p.last_event_ms, ".last_event_ms");
  if (p.has_view) {
    time(p.view.opened_ms, ".view.opened_ms");
    time(p.view.last_ms, ".view.last_ms");
    span(p.view.duration_ms, 0, kMaxAbsTimeMs, ".view.duration_ms");
    span(p.view.max_dwell_ms, 0, kAny, ".view.max_dwell_ms");
    span(p.view.swipe_dwell_ms, 0, kAny, ".view.swipe_dwell_ms");
  }
}

// The counters the learner increments must leave room to count: events,
// views and per-kind counts within [0, 1e15]; a view's completes / replays
// (ints) within [0, 1e9].
constexpr int64_t kMaxCount = 1000000000000000LL;
constexpr int64_t kMaxViewCount = 1000000000LL;

void CheckCount(int64_t c, int64_t hi, const std::string& field, Reader* r) {
  if (!r->ok() || (c >= 0 && c <= hi)) return;
  r->Fail(field, "count out of range (must be in [0, " + std::to_string(hi) +
                     "], got " + std::to_string(c) + ")");
}

// A view's completes / replays from a stored integer (checked first).
int ViewCount(int64_t raw, const std::string& field, Reader* r) {
  CheckCount(raw, kMaxViewCount, field, r);
  return r->ok() ? static_cast<int>(raw) : 0;
}

void CheckProfileCounts(const Profile& p, const std::string& path, Reader* r) {
  CheckCount(p.events, kMaxCount, path + ".events", r);
  CheckCount(p.views, kMaxCount, path + ".views", r);
  for (int64_t c : p.kind_counts) {
    CheckCount(c, kMaxCount, path + ".kind_counts", r);
  }
}

json FloatArray(const float* v, size_t n) {
  json a = json::array();
  for (size_t i = 0; i < n; ++i) a.push_back(static_cast<double>(v[i]));
  return a;
}

}  // namespace

json SnapshotToJson(const ItemSnapshot& s) {
  json feats = json::array();
  for (const ItemFeature& f : s.features) {
    feats.push_back({{"kind", static_cast<int>(f.kind)},
                     {"index", static_cast<int>(f.index)},
                     {"name", std::string(s.name(f))}});
  }
  return {{"key", Hex64(s.item_key)},
          {"duration_ms", s.duration_ms},
          {"server_score", s.server_score},
          {"hour", s.hour},
          {"features", feats},
          {"embedding", FloatArray(s.embedding.data(), s.embedding.size())}};
}

void SnapshotFromJson(const json& j, const std::string& path, int dim,
                      Reader* r, ItemSnapshot* s) {
  s->item_key = r->Hex(j, "key", path);
  s->duration_ms = r->Int(j, "duration_ms", path);
  s->server_score = r->Num(j, "server_score", path);
  s->hour = static_cast<int>(r->Int(j, "hour", path));
  if (r->ok() && (s->hour < 0 || s->hour > 23 || s->duration_ms < 0 ||
                  s->duration_ms > kMaxAbsTimeMs)) {
    r->Fail(path, "hour or duration out of range");
  }
  s->features.clear();
  s->names.clear();
  if (const json* a = r->Arr(j, "features", path)) {
    for (size_t i = 0; i < a->size() && r->ok(); ++i) {
      const std::string fp = path + ".features[" + std::to_string(i) + "]";
      const json& fj = (*a)[i];
      const int64_t kind = r->Int(fj, "kind", fp);
      const int64_t index = r->Int(fj, "index", fp);
      const std::string name = r->Str(fj, "name", fp);
      if (!r->ok()) return;
      if (!AppendItemFeature(kind, index, name, s)) {
        r->Fail(fp, "kind or index out of range");
        return;
      }
    }
  }
  r->Floats(j, "embedding", path, &s->embedding);
  CheckSnapshotEmbedding(s->embedding, dim, path, r);
}

json EventToJson(const Event& e) {
  return {{"id", e.event_id},
          {"item", e.item_id},
          {"kind", EventKindName(e.kind)},
          {"ts", e.timestamp_ms},
          {"dwell_ms", e.dwell_ms},
          {"velocity", static_cast<double>(e.velocity)}};
}

void EventFromJson(const json& j, const std::string& path, Reader* r,
                   Event* e) {
  e->event_id = r->Str(j, "id", path);
  e->item_id = r->Str(j, "item", path);
  const std::string kind = r->Str(j, "kind", path);
  e->timestamp_ms = r->Int(j, "ts", path);
  e->dwell_ms = r->Int(j, "dwell_ms", path);
  e->velocity = FloatNum(r, j, "velocity", path);
  if (!r->ok()) return;
  Result<EventKind> k = ParseEventKind(kind, path + ".kind");
  if (!k.ok()) {
    r->Fail(path + ".kind", "unknown event kind");
    return;
  }
  e->kind = k.value();
}

json ProfileToJsonValue(const Profile& p) {
  json feats = json::array();
  for (const auto& kv : p.features.Sorted()) {
    const FeatureEntry& e = *kv.second;
    json z = json::array(), n = json::array();
    for (const FtrlCoord& c : e.coords) {
      z.push_back(static_cast<double>(c.z));
      n.push_back(static_cast<double>(c.n));
    }
    feats.push_back({{"key", Hex64(kv.first)},
                     {"name", e.name},
                     {"count", e.count},
                     {"sightings", static_cast<double>(e.sightings)},
                     {"last_seen_ms", e.last_seen_ms},
                     {"negative", static_cast<double>(e.negative)},
                     {"negative_ms", e.negative_ms},
                     {"z", z},
                     {"n", n}});
  }
  json dz = json::array(), dn = json::array();
  for (const auto& head : p.dense) {
    for (const FtrlCoord& c : head) {
      dz.push_back(static_cast<double>(c.z));
      dn.push_back(static_cast<double>(c.n));
    }
  }
  json seen = json::array();
  for (uint64_t k : p.seen_order) seen.push_back(Hex64(k));
  json view = nullptr;
  if (p.has_view && p.view_item) {
    const ViewState& v = p.view;
    view = {{"item_key", Hex64(v.item_key)},
            {"duration_ms", v.duration_ms},
            {"opened_ms", v.opened_ms},
            {"last_ms", v.last_ms},
            {"max_dwell_ms", v.max_dwell_ms},
            {"completes", v.completes},
            {"replays", v.replays},
            {"flags", (v.liked ? 1 : 0) | (v.followed ? 2 : 0) |
                          (v.shared ? 4 : 0) | (v.commented ? 8 : 0) |
                          (v.not_interested ? 16 : 0) | (v.reported ? 32 : 0) |
                          (v.profile_visit ? 64 : 0) | (v.swiped ? 128 : 0)},
            {"swipe_dwell_ms", v.swipe_dwell_ms},
            {"swipe_velocity", static_cast<double>(v.swipe_velocity)},
            {"learned_mask", v.learned_mask},
            {"item", SnapshotToJson(*p.view_item)}};
  }
  json kinds = json::array();
  for (int64_t c : p.kind_counts) kinds.push_back(c);
  return {{"features", feats},
          {"dense_z", dz},
          {"dense_n", dn},
          {"long_interest",
           FloatArray(p.long_interest.data(), p.long_interest.size())},
          {"long_ms", p.long_ms},
          {"session_interest",
           FloatArray(p.session_interest.data(), p.session_interest.size())},
          {"session_ms", p.session_ms},
          {"seen", seen},
          {"view", view},
          {"events", p.events},
          {"views", p.views},
          {"last_event_ms", p.last_event_ms},
          {"kind_counts", kinds}};
}

void ProfileFromJsonValue(const json& j, const std::string& path, int dim,
                          Reader* r, Profile* p) {
  if (const json* a = r->Arr(j, "features", path)) {
    for (size_t i = 0; i < a->size() && r->ok(); ++i) {
      const std::string fp = path + ".features[" + std::to_string(i) + "]";
      const json& fj = (*a)[i];
      FeatureEntry e;
      const uint64_t key = r->Hex(fj, "key", fp);
      e.name = r->Str(fj, "name", fp);
      const int64_t count = r->Int(fj, "count", fp);
      e.sightings = FloatNum(r, fj, "sightings", fp);
      e.last_seen_ms = r->Int(fj, "last_seen_ms", fp);
      e.negative = FloatNum(r, fj, "negative", fp);
      e.negative_ms = r->Int(fj, "negative_ms", fp);
      std::vector<float> z, n;
      r->Floats(fj, "z", fp, &z);
      r->Floats(fj, "n", fp, &n);
      if (!r->ok()) return;
      if (z.size() != kNumHeads || n.size() != kNumHeads || count < 0 ||
          count > UINT32_MAX || !NonNegative(n) || !(e.sightings >= 0.0f) ||
          !(e.negative >= 0.0f)) {
        r->Fail(fp, "bad entry");
        return;
      }
      e.count = static_cast<uint32_t>(count);
      for (int h = 0; h < kNumHeads; ++h) e.coords[h] = FtrlCoord{z[h], n[h]};
      p->features.Put(key, std::move(e));
    }
  }
  std::vector<float> dz, dn;
  r->Floats(j, "dense_z", path, &dz);
  r->Floats(j, "dense_n", path, &dn);
  if (r->ok() &&
      (dz.size() != kNumHeads * kNumDense || dn.size() != dz.size())) {
    r->Fail(path + ".dense_z", "wrong length");
  }
  if (r->ok() && !NonNegative(dn)) r->Fail(path + ".dense_n", "negative");
  if (!r->ok()) return;
  for (int h = 0; h < kNumHeads; ++h) {
    for (int d = 0; d < kNumDense; ++d) {
      p->dense[h][d] = FtrlCoord{dz[h * kNumDense + d], dn[h * kNumDense + d]};
    }
  }
  r->Floats(j, "long_interest", path, &p->long_interest);
  p->long_ms = r->Int(j, "long_ms", path);
  r->Floats(j, "session_interest", path, &p->session_interest);
  p->session_ms = r->Int(j, "session_ms", path);
  if (r->ok() && ((!p->long_interest.empty() &&
                   static_cast<int>(p->long_interest.size()) != dim) ||
                  (!p->session_interest.empty() &&
                   static_cast<int>(p->session_interest.size()) != dim))) {
    r->Fail(path + ".long_interest", "wrong dimension");
  }
  if (const json* a = r->Arr(j, "seen", path)) {
    for (size_t i = 0; i < a->size() && r->ok(); ++i) {
      json wrap = {{"k", (*a)[i]}};
      const uint64_t k =
          r->Hex(wrap, "k", path + ".seen[" + std::to_string(i) + "]");
      if (!r->ok()) return;
      p->seen_order.push_back(k);
      ++p->seen_count[k];
    }
  }
  const json* view = r->Field(j, "view", path);
  if (view && !view->is_null()) {
    const std::string vp = path + ".view";
    ViewState& v = p->view;
    v.item_key = r->Hex(*view, "item_key", vp);
    v.duration_ms = r->Int(*view, "duration_ms", vp);
    v.opened_ms = r->Int(*view, "opened_ms", vp);
    v.last_ms = r->Int(*view, "last_ms", vp);
    v.max_dwell_ms = r->Int(*view, "max_dwell_ms", vp);
    v.completes =
        ViewCount(r->Int(*view, "completes", vp), vp + ".completes", r);
    v.replays = ViewCount(r->Int(*view, "replays", vp), vp + ".replays", r);
    const int64_t flags = r->Int(*view, "flags", vp);
    v.liked = flags & 1;
    v.followed = flags & 2;
    v.shared = flags & 4;
    v.commented = flags & 8;
    v.not_interested = flags & 16;
    v.reported = flags & 32;
    v.profile_visit = flags & 64;
    v.swiped = flags & 128;
    v.swipe_dwell_ms = r->Int(*view, "swipe_dwell_ms", vp);
    v.swipe_velocity = FloatNum(r, *view, "swipe_velocity", vp);
    v.learned_mask = static_cast<uint32_t>(r->Int(*view, "learned_mask", vp));
    auto item = std::make_shared<ItemSnapshot>();
    if (const json* ij = r->Field(*view, "item", vp)) {
      SnapshotFromJson(*ij, vp + ".item", dim, r, item.get());
    }
    p->view_item = std::move(item);
    p->has_view = r->ok();
  }
  p->events = r->Int(j, "events", path);
  p->views = r->Int(j, "views", path);
  p->last_event_ms = r->Int(j, "last_event_ms", path);
  CheckProfileTimes(*p, path, r);
  if (const json* a = r->Arr(j, "kind_counts", path)) {
    if (a->size() != kNumEventKinds) {
      r->Fail(path + ".kind_counts", "wrong length");
      return;
    }
    for (int k = 0; k < kNumEventKinds && r->ok(); ++k) {
      if (!(*a)[k].is_number_integer()) {
        r->Fail(path + ".kind_counts", "expected integers");
        return;
      }
      p->kind_counts[k] = (*a)[k].get<int64_t>();
    }
  }
  CheckProfileCounts(*p, path, r);
}

// --- Version 2 ---

namespace {

const char kB64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Little-endian packing, independent of the host's byte order.
void PutLe(uint64_t v, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}
uint64_t GetLe(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return v;
}
uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}
float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

// Appends `"key":` preceded by a comma unless it is the object's first key.
void Key(const char* key, bool first, std::string* out) {
  if (!first) out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
}
void IntField(const char* key, int64_t v, bool first, std::string* out) {
  Key(key, first, out);
  out->append(std::to_string(v));
}
void HexField(const char* key, uint64_t v, bool first, std::string* out) {
  Key(key, first, out);
  out->push_back('"');
  out->append(Hex64(v));
  out->push_back('"');
}
// Base64 field of little-endian values of `bytes` each.
template <typename T, typename Bits>
void B64Field(const char* key, const T* v, size_t n, int bytes, Bits bits,
              bool first, std::string* out, std::string* scratch) {
  Key(key, first, out);
  scratch->clear();
  scratch->reserve(n * bytes);
  for (size_t i = 0; i < n; ++i) PutLe(bits(v[i]), bytes, scratch);
  out->push_back('"');
  AppendBase64(scratch->data(), scratch->size(), out);
  out->push_back('"');
}
void F32Field(const char* key, const float* v, size_t n, bool first,
              std::string* out, std::string* scratch) {
  B64Field(key, v, n, 4, FloatBits, first, out, scratch);
}
void I64Field(const char* key, const int64_t* v, size_t n, bool first,
              std::string* out, std::string* scratch) {
  B64Field(
      key, v, n, 8, [](int64_t x) { return static_cast<uint64_t>(x); }, first,
      out, scratch);
}

}  // namespace

void AppendBase64(const void* data, size_t n, std::string* out) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  const size_t start = out->size();
  out->resize(start + (n + 2) / 3 * 4);
  char* o = &(*out)[start];
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v =
        (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | uint32_t{p[i + 2]};
    *o++ = kB64[v >> 18];
    *o++ = kB64[(v >> 12) & 63];
    *o++ = kB64[(v >> 6) & 63];
    *o++ = kB64[v & 63];
  }
  if (i < n) {
    const uint32_t v =
        (uint32_t{p[i]} << 16) | (i + 1 < n ? uint32_t{p[i + 1]} << 8 : 0);
    *o++ = kB64[v >> 18];
    *o++ = kB64[(v >> 12) & 63];
    *o++ = i + 1 < n ? kB64[(v >> 6) & 63] : '=';
    *o++ = '=';
  }
}

bool DecodeBase64(std::string_view t, std::string* out) {
  static const auto kTable = [] {
    std::array<int8_t, 256> a{};
    a.fill(-1);
    for (int i = 0; i < 64; ++i) a[static_cast<unsigned char>(kB64[i])] = i;
    return a;
  }();
  out->clear();
  if (t.size() % 4 != 0) return false;
  size_t pad = 0;
  if (!t.empty() && t.back() == '=') pad = t[t.size() - 2] == '=' ? 2 : 1;
  out->resize(t.size() / 4 * 3 - pad);
  char* o = out->empty() ? nullptr : &(*out)[0];
  for (size_t i = 0; i < t.size(); i += 4) {
    const bool last = i + 4 == t.size();
    int d[4];
    for (int k = 0; k < 4; ++k) {
      const unsigned char c = static_cast<unsigned char>(t[i + k]);
      d[k] = kTable[c];
      if (d[k] < 0) {
        if (!(last && c == '=' && k >= 4 - static_cast<int>(pad))) {
          return false;
        }
        d[k] = 0;
      }
    }
    const uint32_t v = (static_cast<uint32_t>(d[0]) << 18) |
                       (static_cast<uint32_t>(d[1]) << 12) |
                       (static_cast<uint32_t>(d[2]) << 6) |
                       static_cast<uint32_t>(d[3]);
    const int bytes = last ? 3 - static_cast<int>(pad) : 3;
    // Canonical: the bits below the last whole byte are zero.
    if (bytes < 3 && (v & ((1u << (8 * (3 - bytes))) - 1)) != 0) return false;
    for (int k = 0; k < bytes; ++k) *o++ = static_cast<char>(v >> (16 - 8 * k));
  }
  return true;
}

void AppendJsonString(std::string_view s, std::string* out) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
      out->append(json(std::string(s))
                      .dump(-1, ' ', false, json::error_handler_t::replace));
      return;
    }
  }
  out->push_back('"');
  out->append(s.data(), s.size());
  out->push_back('"');
}

V2Reader::Node V2Reader::Field(Node obj, const char* key,
                               const std::string& path) {
  if (!ok() || obj == lite::Doc::kNone) return lite::Doc::kNone;
  if (doc_.node(obj).type != lite::Type::kObject) {
    r_->Fail(path, "expected an object");
    return lite::Doc::kNone;
  }
  const Node v = doc_.Find(obj, key);
  if (v == lite::Doc::kNone) r_->Fail(path + "." + key, "missing");
  return v;
}

int64_t V2Reader::Int(Node obj, const char* key, const std::string& path) {
  const Node v = Field(obj, key, path);
  if (v == lite::Doc::kNone) return 0;
  if (doc_.node(v).type != lite::Type::kInt) {
    r_->Fail(path + "." + key, "expected an integer");
    return 0;
  }
  return doc_.node(v).int_value;
}

std::string V2Reader::Str(Node obj, const char* key, const std::string& path) {
  const Node v = Field(obj, key, path);
  if (v == lite::Doc::kNone) return {};
  if (doc_.node(v).type != lite::Type::kString) {
    r_->Fail(path + "." + key, "expected a string");
    return {};
  }
  return doc_.String(v);
}

uint64_t V2Reader::Hex(Node obj, const char* key, const std::string& path) {
  const std::string s = Str(obj, key, path);
  if (!ok()) return 0;
  uint64_t v = 0;
  bool good = s.size() == 16;
  for (size_t i = 0; good && i < s.size(); ++i) {
    const char c = s[i];
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    good = d >= 0;
    v = (v << 4) | static_cast<uint64_t>(d & 15);
  }
  if (!good) {
    r_->Fail(path + "." + key, "expected 16 hex digits");
    return 0;
  }
  return v;
}

V2Reader::Node V2Reader::Arr(Node obj, const char* key,
                             const std::string& path) {
  const Node v = Field(obj, key, path);
  if (v == lite::Doc::kNone) return v;
  if (doc_.node(v).type != lite::Type::kArray) {
    r_->Fail(path + "." + key, "expected an array");
    return lite::Doc::kNone;
  }
  return v;
}

bool V2Reader::B64(Node obj, const char* key, const std::string& path,
                   size_t width, long count, std::string* bytes) {
  const Node v = Field(obj, key, path);
  if (v == lite::Doc::kNone) return false;
  const lite::Node& n = doc_.node(v);
  if (n.type != lite::Type::kString || n.escaped ||
      !DecodeBase64(n.text, bytes) || bytes->size() % width != 0) {
    r_->Fail(path + "." + key, "expected base64 of binary values");
    return false;
  }
  if (count >= 0 && bytes->size() != static_cast<size_t>(count) * width) {
    r_->Fail(path + "." + key, "wrong length");
    return false;
  }
  return true;
}

void V2Reader::F32s(Node obj, const char* key, const std::string& path,
                    std::vector<float>* out, long count) {
  out->clear();
  std::string b;
  if (!B64(obj, key, path, 4, count, &b)) return;
  out->resize(b.size() / 4);
  for (size_t i = 0; i < out->size(); ++i) {
    const float f = BitsFloat(static_cast<uint32_t>(GetLe(&b[4 * i], 4)));
    if (!std::isfinite(f)) {
      r_->Fail(path + "." + key, "not finite");
      out->clear();
      return;
    }
    (*out)[i] = f;
  }
}

void V2Reader::I64s(Node obj, const char* key, const std::string& path,
                    std::vector<int64_t>* out, long count) {
  out->clear();
  std::string b;
  if (!B64(obj, key, path, 8, count, &b)) return;
  out->resize(b.size() / 8);
  for (size_t i = 0; i < out->size(); ++i) {
    (*out)[i] = static_cast<int64_t>(GetLe(&b[8 * i], 8));
  }
}

void V2Reader::U64s(Node obj, const char* key, const std::string& path,
                    std::vector<uint64_t>* out, long count) {
  out->clear();
  std::string b;
  if (!B64(obj, key, path, 8, count, &b)) return;
  out->resize(b.size() / 8);
  for (size_t i = 0; i < out->size(); ++i) (*out)[i] = GetLe(&b[8 * i], 8);
}

void V2Reader::U32s(Node obj, const char* key, const std::string& path,
                    std::vector<uint32_t>* out, long count) {
  out->clear();
  std::string b;
  if (!B64(obj, key, path, 4, count, &b)) return;
  out->resize(b.size() / 4);
  for (size_t i = 0; i < out->size(); ++i) {
    (*out)[i] = static_cast<uint32_t>(GetLe(&b[4 * i], 4));
  }
}

float V2Reader::F32(Node obj, const char* key, const std::string& path) {
  std::vector<float> v;
  F32s(obj, key, path, &v, 1);
  return v.empty() ? 0.0f : v[0];
}

double V2Reader::F64(Node obj, const char* key, const std::string& path) {
  std::string b;
  if (!B64(obj, key, path, 8, 1, &b)) return 0.0;
  const uint64_t u = GetLe(b.data(), 8);
  double d;
  std::memcpy(&d, &u, sizeof(d));
  if (!std::isfinite(d)) {
    r_->Fail(path + "." + key, "not finite");
    return 0.0;
  }
  return d;
}

void SnapshotToV2(const ItemSnapshot& s, std::string* out) {
  std::string scratch;
  out->push_back('{');
  IntField("duration_ms", s.duration_ms, true, out);
  F32Field("embedding", s.embedding.data(), s.embedding.size(), false, out,
           &scratch);
  Key("features", false, out);
  out->push_back('[');
  for (size_t i = 0; i < s.features.size(); ++i) {
    const ItemFeature& f = s.features[i];
    if (i) out->push_back(',');
    out->push_back('[');
    out->append(std::to_string(static_cast<int>(f.kind)));
    out->push_back(',');
    out->append(std::to_string(static_cast<int>(f.index)));
    out->push_back(',');
    AppendJsonString(s.name(f), out);
    out->push_back(']');
  }
  out->push_back(']');
  IntField("hour", s.hour, false, out);
  HexField("key", s.item_key, false, out);
  uint64_t score_bits;
  std::memcpy(&score_bits, &s.server_score, sizeof(score_bits));
  B64Field(
      "server_score", &score_bits, 1, 8, [](uint64_t x) { return x; }, false,
      out, &scratch);
  out->push_back('}');
}

void SnapshotFromV2(V2Reader* v, V2Reader::Node j, const std::string& path,
                    int dim, ItemSnapshot* s) {
  const lite::Doc& d = v->doc();
  s->item_key = v->Hex(j, "key", path);
  s->duration_ms = v->Int(j, "duration_ms", path);
  s->server_score = v->F64(j, "server_score", path);
  s->hour = static_cast<int>(v->Int(j, "hour", path));
  if (v->ok() && (s->hour < 0 || s->hour > 23 || s->duration_ms < 0 ||
                  s->duration_ms > kMaxAbsTimeMs)) {
    v->reader()->Fail(path, "hour or duration out of range");
  }
  s->features.clear();
  s->names.clear();
  const V2Reader::Node a = v->Arr(j, "features", path);
  if (a != lite::Doc::kNone) {
    s->features.reserve(d.node(a).size);
    V2Reader::Node fj = a + 1;
    for (uint32_t i = 0; i < d.node(a).size && v->ok(); ++i, fj = d.Next(fj)) {
      const lite::Node& f3 = d.node(fj);
      const bool triple = f3.type == lite::Type::kArray && f3.size == 3;
      // Children exist only for a 3-element array.
      const V2Reader::Node k = triple ? fj + 1 : fj;
      const V2Reader::Node x = triple ? d.Next(k) : fj;
      const V2Reader::Node nm = triple ? d.Next(x) : fj;
      if (!triple || d.node(k).type != lite::Type::kInt ||
          d.node(x).type != lite::Type::kInt ||
          d.node(nm).type != lite::Type::kString) {
        v->reader()->Fail(path + ".features[" + std::to_string(i) + "]",
                          "expected [kind, index, name]");
        return;
      }
      const int64_t kind = d.node(k).int_value;
      const int64_t index = d.node(x).int_value;
      if (!AppendItemFeature(kind, index, d.String(nm), s)) {
        v->reader()->Fail(path + ".features[" + std::to_string(i) + "]",
                          "kind or index out of range");
        return;
      }
    }
  }
  v->F32s(j, "embedding", path, &s->embedding);
  CheckSnapshotEmbedding(s->embedding, dim, path, v->reader());
}

void EventToV2(const Event& e, size_t item_index, std::string* out) {
  std::string scratch;
  out->push_back('{');
  IntField("dwell_ms", e.dwell_ms, true, out);
  Key("id", false, out);
  AppendJsonString(e.event_id, out);
  IntField("item", static_cast<int64_t>(item_index), false, out);
  Key("item_id", false, out);
  AppendJsonString(e.item_id, out);
  Key("kind", false, out);
  AppendJsonString(EventKindName(e.kind), out);
  IntField("ts", e.timestamp_ms, false, out);
  F32Field("velocity", &e.velocity, 1, false, out, &scratch);
  out->push_back('}');
}

void EventFromV2(V2Reader* v, V2Reader::Node j, const std::string& path,
                 Event* e, int64_t* item_index) {
  e->dwell_ms = v->Int(j, "dwell_ms", path);
  e->event_id = v->Str(j, "id", path);
  *item_index = v->Int(j, "item", path);
  e->item_id = v->Str(j, "item_id", path);
  const std::string kind = v->Str(j, "kind", path);
  e->timestamp_ms = v->Int(j, "ts", path);
  e->velocity = v->F32(j, "velocity", path);
  if (!v->ok()) return;
  Result<EventKind> k = ParseEventKind(kind, path + ".kind");
  if (!k.ok()) {
    v->reader()->Fail(path + ".kind", "unknown event kind");
    return;
  }
  e->kind = k.value();
}

void ProfileToV2(const Profile& p, std::string* out) {
  std::string scratch;
  float dz[kNumHeads * kNumDense], dn[kNumHeads * kNumDense];
  for (int h = 0; h < kNumHeads; ++h) {
    for (int d = 0; d < kNumDense; ++d) {
      dz[h * kNumDense + d] = p.dense[h][d].z;
      dn[h * kNumDense + d] = p.dense[h][d].n;
    }
  }
  out->push_back('{');
  F32Field("dense_n", dn, kNumHeads * kNumDense, true, out, &scratch);
  F32Field("dense_z", dz, kNumHeads * kNumDense, false, out, &scratch);
  IntField("events", p.events, false, out);
  F32Field("evidence", p.evidence.data(), kNumHeads, false, out, &scratch);
  F32Field("evidence_sq", p.evidence_sq.data(), kNumHeads, false, out,
           &scratch);
  // The feature table by columns, entries sorted by key.
  {
    const auto sorted = p.features.Sorted();
    const size_t n = sorted.size();
    std::vector<uint64_t> keys(n);
    std::vector<uint32_t> counts(n);
    std::vector<int64_t> last_seen(n), negative_ms(n);
    std::vector<float> sightings(n), negative(n), z(n * kNumHeads),
        nn(n * kNumHeads);
    for (size_t i = 0; i < n; ++i) {
      const FeatureEntry& e = *sorted[i].second;
      keys[i] = sorted[i].first;
      counts[i] = e.count;
      last_seen[i] = e.last_seen_ms;
      negative_ms[i] = e.negative_ms;
      sightings[i] = e.sightings;
      negative[i] = e.negative;
      for (int h = 0; h < kNumHeads; ++h) {
        z[i * kNumHeads + h] = e.coords[h].z;
        nn[i * kNumHeads + h] = e.coords[h].n;
      }
    }
    Key("features", false, out);
    out->push_back('{');
    B64Field(
        "count", counts.data(), n, 4, [](uint32_t x) { return uint64_t{x}; },
        true, out, &scratch);
    B64Field(
        "key", keys.data(), n, 8, [](uint64_t x) { return x; }, false, out,
        &scratch);
    I64Field("last_seen_ms", last_seen.data(), n, false, out, &scratch);
    F32Field("n", nn.data(), nn.size(), false, out, &scratch);
    Key("name", false, out);
    out->push_back('[');
    for (size_t i = 0; i < n; ++i) {
      if (i) out->push_back(',');
      AppendJsonString(sorted[i].second->name, out);
    }
    out->push_back(']');
    F32Field("negative", negative.data(), n, false, out, &scratch);
    I64Field("negative_ms", negative_ms.data(), n, false, out, &scratch);
    F32Field("sightings", sightings.data(), n, false, out, &scratch);
    F32Field("z", z.data(), z.size(), false, out, &scratch);
    out->push_back('}');
  }
  Key("kind_counts", false, out);
  out->push_back('[');
  for (int k = 0; k < kNumEventKinds; ++k) {
    if (k) out->push_back(',');
    out->append(std::to_string(p.kind_counts[k]));
  }
  out->push_back(']');
  IntField("last_event_ms", p.last_event_ms, false, out);
  F32Field("long_interest", p.long_interest.data(), p.long_interest.size(),
           false, out, &scratch);
  IntField("long_ms", p.long_ms, false, out);
  const std::vector<uint64_t> seen(p.seen_order.begin(), p.seen_order.end());
  B64Field(
      "seen", seen.data(), seen.size(), 8, [](uint64_t x) { return x; }, false,
      out, &scratch);
  F32Field("session_interest", p.session_interest.data(),
           p.session_interest.size(), false, out, &scratch);
  IntField("session_ms", p.session_ms, false, out);
  Key("view", false, out);
  if (p.has_view && p.view_item) {
    const ViewState& v = p.view;
    out->push_back('{');
    IntField("completes", v.completes, true, out);
    IntField("duration_ms", v.duration_ms, false, out);
    IntField("flags",
             (v.liked ? 1 : 0) | (v.followed ? 2 : 0) | (v.shared ? 4 : 0) |
                 (v.commented ? 8 : 0) | (v.not_interested ? 16 : 0) |
                 (v.reported ? 32 : 0) | (v.profile_visit ? 64 : 0) |
                 (v.swiped ? 128 : 0),
             false, out);
    Key("item", false, out);
    SnapshotToV2(*p.view_item, out);
    HexField("item_key", v.item_key, false, out);
    IntField("last_ms", v.last_ms, false, out);
    IntField("learned_mask", v.learned_mask, false, out);
    IntField("max_dwell_ms", v.max_dwell_ms, false, out);
    IntField("opened_ms", v.opened_ms, false, out);
    IntField("replays", v.replays, false, out);
    IntField("swipe_dwell_ms", v.swipe_dwell_ms, false, out);
    F32Field("swipe_velocity", &v.swipe_velocity, 1, false, out, &scratch);
    out->push_back('}');
  } else {
    out->append("null");
  }
  IntField("views", p.views, false, out);
  out->push_back('}');
}

void ProfileFromV2(V2Reader* v, V2Reader::Node j, const std::string& path,
                   int dim, Profile* p) {
  const lite::Doc& d = v->doc();
  Reader* r = v->reader();
  std::vector<float> dz, dn;
  v->F32s(j, "dense_z", path, &dz, kNumHeads * kNumDense);
  v->F32s(j, "dense_n", path, &dn, kNumHeads * kNumDense);
  if (v->ok() && !NonNegative(dn)) r->Fail(path + ".dense_n", "negative");
  if (!v->ok()) return;
  for (int h = 0; h < kNumHeads; ++h) {
    for (int k = 0; k < kNumDense; ++k) {
      p->dense[h][k] = FtrlCoord{dz[h * kNumDense + k], dn[h * kNumDense + k]};
    }
  }
  if (d.Find(j, "evidence") != lite::Doc::kNone) {  // optional: 0 when absent
    std::vector<float> ev, sq;
    v->F32s(j, "evidence", path, &ev, kNumHeads);
    v->F32s(j, "evidence_sq", path, &sq, kNumHeads);
    if (v->ok() && !NonNegative(sq)) r->Fail(path + ".evidence_sq", "negative");
    if (!v->ok()) return;
    for (int h = 0; h < kNumHeads; ++h) {
      p->evidence[h] = ev[h];
      p->evidence_sq[h] = sq[h];
    }
  }
  const V2Reader::Node fj = v->Field(j, "features", path);
  if (fj != lite::Doc::kNone) {
    const std::string fp = path + ".features";
    const V2Reader::Node names = v->Arr(fj, "name", fp);
    if (names == lite::Doc::kNone) return;
    const long n = static_cast<long>(d.node(names).size);
    std::vector<uint64_t> keys;
    std::vector<uint32_t> counts;
    std::vector<int64_t> last_seen, negative_ms;
    std::vector<float> sightings, negative, z, nn;
    v->U32s(fj, "count", fp, &counts, n);
    v->U64s(fj, "key", fp, &keys, n);
    v->I64s(fj, "last_seen_ms", fp, &last_seen, n);
    v->F32s(fj, "n", fp, &nn, n * kNumHeads);
    v->F32s(fj, "negative", fp, &negative, n);
    v->I64s(fj, "negative_ms", fp, &negative_ms, n);
    v->F32s(fj, "sightings", fp, &sightings, n);
    v->F32s(fj, "z", fp, &z, n * kNumHeads);
    if (v->ok() &&
        !(NonNegative(nn) && NonNegative(sightings) && NonNegative(negative))) {
      r->Fail(fp, "negative accumulator, sightings or negative strength");
    }
    if (!v->ok()) return;
    V2Reader::Node name = names + 1;
    for (long i = 0; i < n; ++i, name = d.Next(name)) {
      if (d.node(name).type != lite::Type::kString) {
        r->Fail(fp + ".name[" + std::to_string(i) + "]", "expected a string");
        return;
      }
      FeatureEntry e;
      e.name = d.String(name);
      e.count = counts[i];
      e.sightings = sightings[i];
      e.last_seen_ms = last_seen[i];
      e.negative = negative[i];
      e.negative_ms = negative_ms[i];
      for (int h = 0; h < kNumHeads; ++h) {
        e.coords[h] = FtrlCoord{z[i * kNumHeads + h], nn[i * kNumHeads + h]};
      }
      p->features.Put(keys[i], std::move(e));
    }
  }
  v->F32s(j, "long_interest", path, &p->long_interest);
  p->long_ms = v->Int(j, "long_ms", path);
  v->F32s(j, "session_interest", path, &p->session_interest);
  p->session_ms = v->Int(j, "session_ms", path);
  if (v->ok() && ((!p->long_interest.empty() &&
                   static_cast<int>(p->long_interest.size()) != dim) ||
                  (!p->session_interest.empty() &&
                   static_cast<int>(p->session_interest.size()) != dim))) {
    r->Fail(path + ".long_interest", "wrong dimension");
  }
  std::vector<uint64_t> seen;
  v->U64s(j, "seen", path, &seen);
  if (!v->ok()) return;
  for (uint64_t k : seen) {
    p->seen_order.push_back(k);
    ++p->seen_count[k];
  }
  const V2Reader::Node view = v->Field(j, "view", path);
  if (view != lite::Doc::kNone && d.node(view).type != lite::Type::kNull) {
    const std::string vp = path + ".view";
    ViewState& w = p->view;
    w.completes =
        ViewCount(v->Int(view, "completes", vp), vp + ".completes", r);
    w.duration_ms = v->Int(view, "duration_ms", vp);
    const int64_t flags = v->Int(view, "flags", vp);
    w.liked = flags & 1;
    w.followed = flags & 2;
    w.shared = flags & 4;
    w.commented = flags & 8;
    w.not_interested = flags & 16;
    w.reported = flags & 32;
    w.profile_visit = flags & 64;
    w.swiped = flags & 128;
    w.item_key = v->Hex(view, "item_key", vp);
    w.last_ms = v->Int(view, "last_ms", vp);
    w.learned_mask = static_cast<uint32_t>(v->Int(view, "learned_mask", vp));
    w.max_dwell_ms = v->Int(view, "max_dwell_ms", vp);
    w.opened_ms = v->Int(view, "opened_ms", vp);
    w.replays = ViewCount(v->Int(view, "replays", vp), vp + ".replays", r);
    w.swipe_dwell_ms = v->Int(view, "swipe_dwell_ms", vp);
    w.swipe_velocity = v->F32(view, "swipe_velocity", vp);
    auto item = std::make_shared<ItemSnapshot>();
    const V2Reader::Node ij = v->Field(view, "item", vp);
    if (ij != lite::Doc::kNone) {
      SnapshotFromV2(v, ij, vp + ".item", dim, item.get());
    }
    p->view_item = std::move(item);
    p->has_view = v->ok();
  }
  p->events = v->Int(j, "events", path);
  p->views = v->Int(j, "views", path);
  p->last_event_ms = v->Int(j, "last_event_ms", path);
  CheckProfileTimes(*p, path, r);
  const V2Reader::Node a = v->Arr(j, "kind_counts", path);
  if (a != lite::Doc::kNone) {
    if (d.node(a).size != kNumEventKinds) {
      r->Fail(path + ".kind_counts", "wrong length");
      return;
    }
    V2Reader::Node c = a + 1;
    for (int k = 0; k < kNumEventKinds; ++k, c = d.Next(c)) {
      if (d.node(c).type != lite::Type::kInt) {
        r->Fail(path + ".kind_counts", "expected integers");
        return;
      }
      p->kind_counts[k] = d.node(c).int_value;
    }
  }
  CheckProfileCounts(*p, path, r);
}

}  // namespace serial
}  // namespace reelrank
