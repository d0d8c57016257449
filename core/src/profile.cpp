#include "reelrank/profile.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>

#include "serial.h"

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
  const int bucket = DurationBucket(c.duration_ms);
  const std::string_view b(&kDigits[bucket], 1);
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
  if (r->ok() && (s->hour < 0 || s->hour > 23 || s->duration_ms <= 0)) {
    r->Fail(path, "hour or duration out of range");
  }
  s->features.clear();
  s->names.clear();
  if (const json* a = r->Arr(j, "features", path)) {
    for (size_t i = 0; i < a->size() && r->ok(); ++i) {
      const std::string fp = path + ".features[" + std::to_string(i) + "]";
      const json& fj = (*a)[i];
      ItemFeature f;
      const int64_t kind = r->Int(fj, "kind", fp);
      const int64_t index = r->Int(fj, "index", fp);
      const std::string name = r->Str(fj, "name", fp);
      if (!r->ok()) return;
      if (kind < 0 || kind > static_cast<int>(FeatureKind::kCatHour) ||
          index < 0 || index > 255) {
        r->Fail(fp, "kind or index out of range");
        return;
      }
      f.kind = static_cast<FeatureKind>(kind);
      f.index = static_cast<uint8_t>(index);
      f.name_begin = static_cast<uint32_t>(s->names.size());
      f.name_len = static_cast<uint32_t>(name.size());
      f.key = FeatureKey(name);
      s->names += name;
      s->features.push_back(f);
    }
  }
  r->Floats(j, "embedding", path, &s->embedding);
  if (r->ok() && !s->embedding.empty() &&
      static_cast<int>(s->embedding.size()) != dim) {
    r->Fail(path + ".embedding", "wrong dimension");
  }
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
          count > UINT32_MAX) {
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
    v.completes = static_cast<int>(r->Int(*view, "completes", vp));
    v.replays = static_cast<int>(r->Int(*view, "replays", vp));
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
}

}  // namespace serial
}  // namespace reelrank
