#include "marshal.h"

#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "reelrank/config.h"
#include "reelrank/event.h"
#include "reelrank/explain.h"
#include "reelrank/heads.h"
#include "reelrank/limits.h"
#include "reelrank/policy.h"

namespace reelrank_wasm {

using emscripten::val;
using reelrank::Candidate;
using reelrank::Status;

val ErrorValue(const Status& status) {
  return val::global("Error").new_(val(status.ToString()));
}

val StatusValue(const Status& status) {
  return status.ok() ? val::null() : ErrorValue(status);
}

namespace {

constexpr size_t Align8(size_t x) { return (x + 7) & ~static_cast<size_t>(7); }

// Bounds-checked reader of the packed sections.
class Sections {
 public:
  Sections(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // The next section of `count` elements of T, or nullptr if it overflows.
  template <typename T>
  const T* Take(int64_t count) {
    if (count < 0) return nullptr;
    const size_t bytes = static_cast<size_t>(count) * sizeof(T);
    if (bytes > size_ || pos_ > size_ - bytes) return nullptr;
    const T* p = reinterpret_cast<const T*>(data_ + pos_);
    pos_ = Align8(pos_ + bytes);
    return p;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

Status BadLayout() {
  return Status(reelrank::StatusCode::kInternal,
                "candidates: packed batch does not follow the layout");
}

// Largest |int64| a double converts to without overflow, rounded down.
constexpr double kMaxInt64Double = 9.2e18;

int64_t ToInt64(double x) {
  if (!(std::fabs(x) < kMaxInt64Double)) return x < 0 ? INT64_MIN : INT64_MAX;
  return static_cast<int64_t>(x);
}

}  // namespace

Status DecodeCandidates(const uint8_t* data, size_t size, int dim,
                        std::vector<Candidate>* out,
                        std::vector<int>* source_index,
                        std::vector<reelrank::Rejection>* rejected) {
  Sections s(data, size);
  const int32_t* header = s.Take<int32_t>(8);
  if (header == nullptr) return BadLayout();
  const int64_t n = header[0], packed_dim = header[1], num_strings = header[2],
                string_bytes = header[3], num_tags = header[4],
                num_safety = header[5], emb_rows = header[6];
  if (packed_dim != dim && emb_rows > 0) return BadLayout();
  const double* nums = s.Take<double>(n * 3);
  const float* emb = s.Take<float>(emb_rows * dim);
  const float* safety_conf = s.Take<float>(num_safety);
  const int32_t* rec = s.Take<int32_t>(n * kRecInts);
  const int32_t* tag_str = s.Take<int32_t>(num_tags);
  const int32_t* safety_str = s.Take<int32_t>(num_safety);
  const int32_t* str_off = s.Take<int32_t>(num_strings + 1);
  const char* str_bytes = s.Take<char>(string_bytes);
  if (!nums || !emb || !safety_conf || !rec || !tag_str || !safety_str ||
      !str_off || !str_bytes) {
    return BadLayout();
  }
  for (int64_t k = 0; k < num_strings; ++k) {
    if (str_off[k] < 0 || str_off[k] > str_off[k + 1] ||
        str_off[num_strings] > string_bytes) {
      return BadLayout();
    }
  }
  auto str = [&](int32_t k, std::string* to) {
    if (k < 0 || k >= num_strings) return;
    to->assign(str_bytes + str_off[k], str_bytes + str_off[k + 1]);
  };
  out->reserve(out->size() + n);
  source_index->reserve(source_index->size() + n);
  // Ids of the kept candidates; views into `out`, which does not reallocate
  // (reserved above).
  std::unordered_set<std::string_view> ids;
  ids.reserve(n);
  for (int64_t i = 0; i < n; ++i) {
    const int32_t* r = rec + i * kRecInts;
    if (r[kSkip] != 0) continue;
    const int32_t tag_start = r[kTagStart], tag_count = r[kTagCount];
    const int32_t safety_start = r[kSafetyStart],
                  safety_count = r[kSafetyCount];
    const int32_t emb_row = r[kEmbRow];
    if (tag_start < 0 || tag_count < 0 || tag_start > num_tags - tag_count ||
        safety_start < 0 || safety_count < 0 ||
        safety_start > num_safety - safety_count || emb_row >= emb_rows) {
      return BadLayout();
    }
    Candidate c;
    str(r[kId], &c.id);
    str(r[kAuthor], &c.author);
    str(r[kCategory], &c.category);
    str(r[kSound], &c.sound);
    str(r[kCaption], &c.caption);
    str(r[kRegion], &c.region);
    c.tags.resize(tag_count);
    for (int32_t t = 0; t < tag_count; ++t) {
      str(tag_str[tag_start + t], &c.tags[t]);
    }
    c.safety.resize(safety_count);
    for (int32_t t = 0; t < safety_count; ++t) {
      str(safety_str[safety_start + t], &c.safety[t].name);
      c.safety[t].confidence = safety_conf[safety_start + t];
    }
    c.duration_ms = ToInt64(nums[i * 3]);
    c.created_at_ms = ToInt64(nums[i * 3 + 1]);
    c.server_score = nums[i * 3 + 2];
    c.maturity = static_cast<reelrank::Maturity>(r[kMaturity]);
    if (emb_row >= 0) {
      const float* row = emb + static_cast<size_t>(emb_row) * dim;
      c.embedding.assign(row, row + dim);
    }
    const std::string field = "candidates[" + std::to_string(i) + "]";
    Status st = reelrank::ValidateCandidate(c, dim, field);
    if (st.ok() && ids.count(c.id) != 0) {
      st = Status::Invalid(field + ".id", "duplicate id '" + c.id + "'");
    }
    if (!st.ok()) {
      rejected->push_back({static_cast<int>(i), std::move(st)});
      continue;
    }
    out->push_back(std::move(c));
    ids.insert(out->back().id);
    source_index->push_back(static_cast<int>(i));
  }
  return Status::Ok();
}

namespace {

reelrank::Context MakeContext(double now_ms, int hour_of_day, int session_depth,
                              int surface) {
  reelrank::Context ctx;
  // The core clamps to +-1e15; clamp first so the cast is defined.
  ctx.now_ms = static_cast<int64_t>(std::clamp(now_ms, -1e16, 1e16));
  if (hour_of_day >= 0) ctx.hour_of_day = hour_of_day;
  if (session_depth >= 0) ctx.session_depth = session_depth;
  if (surface >= 0) ctx.surface = static_cast<reelrank::Surface>(surface);
  return ctx;
}

template <typename T>
val TypedArrayCopy(const char* type, const std::vector<T>& data) {
  val out = val::global(type).new_(data.size());
  if (!data.empty()) {
    out.call<void>(
        "set", val(emscripten::typed_memory_view(data.size(), data.data())));
  }
  return out;
}

// For next(): a contribution list without candidate labels.
val ContributionsToJs(const reelrank::ScoredCandidate& s) {
  val list = val::array();
  for (int k = 0; k < s.num_contributions; ++k) {
    const reelrank::Contribution& c = s.contributions[k];
    val item = val::object();
    item.set("kind", std::string(reelrank::ContributionKindName(c.kind)));
    item.set("index", c.index);
    item.set("value", c.value);
    list.call<void>("push", item);
  }
  return list;
}

val PipelineToJs(const reelrank::ScoredCandidate& s) {
  val out = val::object();
  out.set("action", std::string(reelrank::PolicyActionName(s.action)));
  out.set("ruleId", s.rule_id);
  out.set("policyMultiplier", s.policy_multiplier);
  out.set("interstitial", s.interstitial);
  out.set("explored", s.explored);
  out.set("preDiversityRank", s.pre_diversity_rank);
  return out;
}

// Writes `result` into `buf` (layout in marshal.h): typed columns, then the
// dropped items, then a per-call string table of rule ids and reasons.
void WriteRankOutput(const reelrank::RankResult& result,
                     const std::vector<int>& source_index,
                     std::vector<uint8_t>* buf) {
  constexpr int kH = reelrank::kNumHeads;
  constexpr int kC = reelrank::kMaxContributions;
  const size_t n = result.ranked.size();
  const size_t nd = result.dropped.size();
  // Per-call string table: each distinct rule id / reason once.
  std::unordered_map<std::string_view, int> index;
  std::vector<std::string_view> strings;
  size_t string_bytes = 0;
  auto intern = [&](const std::string& str) -> int {
    if (str.empty()) return -1;
    auto [it, added] = index.emplace(str, static_cast<int>(strings.size()));
    if (added) {
      strings.push_back(str);
      string_bytes += str.size();
    }
    return it->second;
  };
  for (const auto& s : result.ranked) intern(s.rule_id);
  for (const auto& d : result.dropped) {
    intern(d.rule_id);
    intern(d.reason);
  }
  const size_t ns = strings.size();
  size_t off = 0;
  auto section = [&](size_t bytes) {
    const size_t at = off;
    off = Align8(off + bytes);
    return at;
  };
  const size_t o_header = section(8 * 4);
  const size_t o_values = section(n * 8);
  const size_t o_mult = section(n * 8);
  const size_t o_order = section(n * 4);
  const size_t o_prediv = section(n * 4);
  const size_t o_heads = section(n * kH * 4);
  bool any_contributions = false;
  for (const auto& s : result.ranked)
    any_contributions |= s.num_contributions > 0;
  const size_t c_stride = any_contributions ? kC : 0;
  const size_t o_cval = section(n * c_stride * 4);
  const size_t o_cidx = section(n * c_stride * 4);
  const size_t o_ckind = section(n * c_stride);
  const size_t o_ccount = section(n);
  const size_t o_flags = section(n);
  const size_t o_action = section(n);
  const size_t o_rule = section(n * 4);
  const size_t o_dindex = section(nd * 4);
  const size_t o_drule = section(nd * 4);
  const size_t o_dreason = section(nd * 4);
  const size_t o_dsource = section(nd);
  const size_t o_stroff = section((ns + 1) * 4);
  const size_t o_str = section(string_bytes);
  if (buf->size() < off) buf->resize(off);
  uint8_t* b = buf->data();
  std::memset(b, 0, off);
  int32_t* header = reinterpret_cast<int32_t*>(b + o_header);
  header[0] = static_cast<int32_t>(n);
  header[1] = static_cast<int32_t>(nd);
  header[2] = static_cast<int32_t>(ns);
  header[3] = static_cast<int32_t>(off);
  header[4] = static_cast<int32_t>(string_bytes);
  header[5] = static_cast<int32_t>(c_stride);
  double* values = reinterpret_cast<double*>(b + o_values);
  double* mult = reinterpret_cast<double*>(b + o_mult);
  int32_t* order = reinterpret_cast<int32_t*>(b + o_order);
  int32_t* prediv = reinterpret_cast<int32_t*>(b + o_prediv);
  float* heads = reinterpret_cast<float*>(b + o_heads);
  float* cval = reinterpret_cast<float*>(b + o_cval);
  int32_t* cidx = reinterpret_cast<int32_t*>(b + o_cidx);
  uint8_t* ckind = b + o_ckind;
  uint8_t* ccount = b + o_ccount;
  uint8_t* flags = b + o_flags;
  uint8_t* action = b + o_action;
  int32_t* rule = reinterpret_cast<int32_t*>(b + o_rule);
  for (size_t i = 0; i < n; ++i) {
    const reelrank::ScoredCandidate& s = result.ranked[i];
    values[i] = s.value;
    mult[i] = s.policy_multiplier;
    order[i] = source_index[s.index];
    prediv[i] = s.pre_diversity_rank;
    std::copy(s.heads.begin(), s.heads.end(), heads + i * kH);
    ccount[i] = static_cast<uint8_t>(s.num_contributions);
    for (int k = 0; k < s.num_contributions; ++k) {
      cval[i * kC + k] = s.contributions[k].value;
      cidx[i * kC + k] = s.contributions[k].index;
      ckind[i * kC + k] = static_cast<uint8_t>(s.contributions[k].kind);
    }
    flags[i] =
        (s.seen ? 1 : 0) | (s.interstitial ? 2 : 0) | (s.explored ? 4 : 0);
    action[i] = static_cast<uint8_t>(s.action);
    rule[i] = intern(s.rule_id);
  }
  int32_t* dindex = reinterpret_cast<int32_t*>(b + o_dindex);
  int32_t* drule = reinterpret_cast<int32_t*>(b + o_drule);
  int32_t* dreason = reinterpret_cast<int32_t*>(b + o_dreason);
  uint8_t* dsource = b + o_dsource;
  for (size_t i = 0; i < nd; ++i) {
    const reelrank::DroppedCandidate& d = result.dropped[i];
    dindex[i] = source_index[d.index];
    drule[i] = intern(d.rule_id);
    dreason[i] = intern(d.reason);
    dsource[i] = static_cast<uint8_t>(d.source);
  }
  int32_t* stroff = reinterpret_cast<int32_t*>(b + o_stroff);
  size_t at = 0;
  for (size_t k = 0; k < ns; ++k) {
    std::memcpy(b + o_str + at, strings[k].data(), strings[k].size());
    at += strings[k].size();
    stroff[k + 1] = static_cast<int32_t>(at);
  }
}

}  // namespace

// ---- RankerHandle -----------------------------------------------------------

RankerHandle::RankerHandle(const std::string& config_json) {
  auto config = reelrank::ParseConfig(config_json);
  if (!config.ok()) {
    init_status_ = config.status();
    return;
  }
  auto ranker = reelrank::Ranker::Create(config.value());
  if (!ranker.ok()) {
    init_status_ = ranker.status();
    return;
  }
  ranker_ = std::move(ranker).value();
}

val RankerHandle::initError() const { return StatusValue(init_status_); }

int RankerHandle::embeddingDim() const {
  return ranker_->config().embedding_dim;
}

std::string RankerHandle::configJson() const {
  return reelrank::ConfigToJson(ranker_->config());
}

uintptr_t RankerHandle::inputBuffer(int bytes) {
  // 8-byte aligned (operator new), grown only.
  if (bytes > 0 && input_.size() < static_cast<size_t>(bytes)) {
    input_.resize(bytes);
  }
  return reinterpret_cast<uintptr_t>(input_.data());
}

val RankerHandle::setCandidates(int slot, int bytes) {
  if (slot < 0 || slot >= kNumSlots || bytes < 0 ||
      static_cast<size_t>(bytes) > input_.size()) {
    return ErrorValue(Status(reelrank::StatusCode::kInternal,
                             "setCandidates: bad slot or size"));
  }
  Batch& b = batches_[slot];
  b.prepared = reelrank::PreparedBatch();
  b.candidates.clear();
  b.source_index.clear();
  std::vector<reelrank::Rejection> rejected;
  Status s =
      DecodeCandidates(input_.data(), bytes, ranker_->config().embedding_dim,
                       &b.candidates, &b.source_index, &rejected);
  if (!s.ok()) {
    b.candidates.clear();
    b.source_index.clear();
    return ErrorValue(s);
  }
  if (slot != kOneShotSlot) {
    b.prepared = ranker_->Prepare(std::move(b.candidates));
    b.candidates = std::vector<reelrank::Candidate>();
    ranker_->Register(b.prepared);
  }
  val out = val::array();
  for (const auto& r : rejected) {
    val item = val::object();
    item.set("index", r.index);
    item.set("code", std::string(reelrank::StatusCodeName(r.status.code())));
    item.set("message", r.status.message());
    out.call<void>("push", item);
  }
  return out;
}

void RankerHandle::clearCandidates(int slot) {
  if (slot < 0 || slot >= kNumSlots) return;
  batches_[slot] = Batch();
}

uintptr_t RankerHandle::rankKept(int slot, double now_ms, int hour_of_day,
                                 int session_depth, int surface) {
  if (slot < 0 || slot >= kNumSlots) slot = 0;
  const Batch& b = batches_[slot];
  // Every kept candidate was validated by setCandidates, so the core rejects
  // none of them (its rejections would be the same as setCandidates').
  const reelrank::Context ctx =
      MakeContext(now_ms, hour_of_day, session_depth, surface);
  const reelrank::RankResult result = slot == kOneShotSlot
                                          ? ranker_->Rank(b.candidates, ctx)
                                          : ranker_->Rank(b.prepared, ctx);
  WriteRankOutput(result, b.source_index, &output_);
  return reinterpret_cast<uintptr_t>(output_.data());
}

val RankerHandle::observe(const std::string& event_id,
                          const std::string& item_id, const std::string& kind,
                          double timestamp_ms, double dwell_ms,
                          double velocity) {
  auto parsed = reelrank::ParseEventKind(kind, "event.kind");
  if (!parsed.ok()) return ErrorValue(parsed.status());
  reelrank::Event e;
  e.event_id = event_id;
  e.item_id = item_id;
  e.kind = parsed.value();
  e.timestamp_ms = ToInt64(timestamp_ms);
  e.dwell_ms = ToInt64(dwell_ms);
  e.velocity = static_cast<float>(velocity);
  return StatusValue(ranker_->Observe(e));
}

std::string RankerHandle::exportProfile() const {
  return ranker_->ExportProfile();
}

val RankerHandle::importProfileInput(int bytes) {
  if (bytes < 0 || static_cast<size_t>(bytes) > input_.size()) {
    return ErrorValue(
        Status(reelrank::StatusCode::kInternal, "importProfile: bad size"));
  }
  return StatusValue(ranker_->ImportProfile(
      std::string(reinterpret_cast<const char*>(input_.data()), bytes)));
}

double RankerHandle::profileBytesLimit() const {
  return static_cast<double>(ranker_->profile_bytes_limit());
}

val RankerHandle::forget(const std::string& event_id) {
  return StatusValue(ranker_->Forget(event_id));
}

void RankerHandle::reset() { ranker_->Reset(); }

void RankerHandle::refreshFeed() { ranker_->RefreshFeed(); }

void RankerHandle::pauseLearning(bool paused) {
  ranker_->PauseLearning(paused);
}

bool RankerHandle::learningPaused() const { return ranker_->learning_paused(); }

void RankerHandle::setPersonalization(bool on) {
  ranker_->SetPersonalization(on);
}

bool RankerHandle::personalization() const {
  return ranker_->personalization();
}

void RankerHandle::setClock(double now_ms) {
  if (!std::isfinite(now_ms)) return;
  ranker_->SetClock(MakeContext(now_ms, -1, -1, -1).now_ms);
}

val RankerHandle::setObjectiveWeights(const std::string& json) {
  return StatusValue(ranker_->SetObjectiveWeights(json));
}

val RankerHandle::objectiveWeights() const {
  val out = val::object();
  const auto& w = ranker_->config().objective_weights;
  for (int h = 0; h < reelrank::kNumHeads; ++h) {
    out.set(reelrank::HeadName(static_cast<reelrank::Head>(h)), w[h]);
  }
  return out;
}

val RankerHandle::loadModelPack(const std::string& json) {
  return StatusValue(ranker_->LoadModelPack(json));
}

std::string RankerHandle::modelPackJson() const {
  return ranker_->ModelPackJson();
}

val RankerHandle::topInterests(int k) const {
  val out = val::array();
  for (const reelrank::Interest& i : ranker_->TopInterests(k)) {
    val item = val::object();
    item.set("name", i.name);
    item.set("weight", i.weight);
    item.set("sightings", i.sightings);
    out.call<void>("push", item);
  }
  return out;
}

val RankerHandle::stats() const {
  const reelrank::ProfileStats s = ranker_->Stats();
  val out = val::object();
  out.set("features", s.features);
  out.set("seenItems", s.seen_items);
  out.set("eventLog", s.event_log);
  out.set("knownItems", s.known_items);
  out.set("events", static_cast<double>(s.events));
  out.set("views", static_cast<double>(s.views));
  val weight = val::object();
  for (int h = 0; h < reelrank::kNumHeads; ++h) {
    weight.set(reelrank::HeadName(static_cast<reelrank::Head>(h)),
               s.personal_weight[h]);
  }
  out.set("personalWeight", weight);
  return out;
}

val RankerHandle::setPolicy(const std::string& json) {
  return StatusValue(ranker_->SetPolicy(json));
}

std::string RankerHandle::policyJson() const { return ranker_->PolicyJson(); }

val RankerHandle::setUserControls(const std::string& json) {
  return StatusValue(ranker_->SetUserControls(json));
}

val RankerHandle::setPolicyAndControls(const std::string& policy_json,
                                       const std::string& controls_json) {
  return StatusValue(ranker_->SetPolicyAndControls(policy_json, controls_json));
}

std::string RankerHandle::userControlsJson() const {
  return ranker_->UserControlsJson();
}

val RankerHandle::next(double now_ms, int hour_of_day, int session_depth,
                       int surface) {
  const reelrank::NextItem item =
      ranker_->Next(MakeContext(now_ms, hour_of_day, session_depth, surface));
  if (!item.found) return val::null();
  const reelrank::ScoredCandidate& s = item.scored;
  val out = PipelineToJs(s);
  out.set("id", item.id);
  out.set("value", s.value);
  std::vector<float> heads(s.heads.begin(), s.heads.end());
  out.set("heads", TypedArrayCopy("Float32Array", heads));
  out.set("contributions", ContributionsToJs(s));
  out.set("seen", s.seen);
  return out;
}

val RankerHandle::explain(const std::string& id) const {
  auto e = ranker_->Explain(id);
  if (!e.ok()) return ErrorValue(e.status());
  return val(reelrank::ExplanationToJson(e.value()));
}

val CandidateStringLimits() {
  using reelrank::Limits;
  val out = val::object();
  out.set("id", static_cast<double>(Limits::kIdBytes));
  out.set("author", static_cast<double>(Limits::kAuthorBytes));
  out.set("sound", static_cast<double>(Limits::kSoundBytes));
  out.set("category", static_cast<double>(Limits::kCategoryBytes));
  out.set("caption", static_cast<double>(Limits::kCaptionBytes));
  out.set("region", static_cast<double>(Limits::kRegionBytes));
  out.set("tag", static_cast<double>(Limits::kTagBytes));
  out.set("safety_label", static_cast<double>(Limits::kSafetyLabelBytes));
  out.set("batch_units", static_cast<double>(Limits::kBatchStringUnits));
  return out;
}

}  // namespace reelrank_wasm
