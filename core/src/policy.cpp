#include "reelrank/policy.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "limits_check.h"
#include "reelrank/feature_table.h"
#include "reelrank/key_hash.h"
#include "reelrank/limits.h"
#include "time_range.h"
#include "unicode_text.h"

namespace reelrank {

using nlohmann::json;

const char* PolicyActionName(PolicyAction action) {
  switch (action) {
    case PolicyAction::kAllow:
      return "allow";
    case PolicyAction::kBoost:
      return "boost";
    case PolicyAction::kDemote:
      return "demote";
    case PolicyAction::kInterstitial:
      return "interstitial";
    case PolicyAction::kDrop:
      return "drop";
  }
  return "allow";
}

const char* RuleSourceName(RuleSource source) {
  switch (source) {
    case RuleSource::kNone:
      return "none";
    case RuleSource::kOperator:
      return "operator";
    case RuleSource::kUser:
      return "user";
    case RuleSource::kFatigue:
      return "fatigue";
  }
  return "none";
}

std::string ToLowerAscii(const std::string& s) {
  std::string out = s;
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SplitWords(const std::string& text) {
  const std::string folded = FoldText(text);
  std::vector<std::string> words;
  for (const auto& [begin, end] : FoldWords(folded, Limits::kCaptionWords)) {
    words.push_back(folded.substr(begin, end - begin));
  }
  return words;
}

namespace {

// FoldText, then one leading '#' removed (tags, categories, topics).
std::string NormTag(const std::string& t) {
  std::string s = FoldText(t);
  if (!s.empty() && s[0] == '#') s.erase(0, 1);
  return s;
}

// The fatigue stage's topic key of a tag or category (as fatigue.cpp forms
// it): ASCII lower case, one leading '#' removed.
std::string FatigueTopic(const std::string& t) {
  std::string s = ToLowerAscii(t);
  if (!s.empty() && s[0] == '#') s.erase(0, 1);
  return s;
}

// FeatureKey of each word of FoldText(text), in order.
void WordKeys(const std::string& text, std::vector<uint64_t>* out) {
  const std::string folded = FoldText(text);
  const auto words = FoldWords(folded, Limits::kCaptionWords);
  out->clear();
  out->reserve(words.size());
  for (const auto& [begin, end] : words) {
    out->push_back(
        FeatureKey(std::string_view(folded).substr(begin, end - begin)));
  }
}

bool InList(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// A rule's match list: up to kShortList entries in file order (scanned),
// longer ones sorted (bisected).
constexpr size_t kShortList = 8;
inline bool InRuleList(const std::vector<std::string>& list,
                       const std::string& v) {
  if (list.size() <= kShortList) return InList(list, v);
  return std::binary_search(list.begin(), list.end(), v);
}

}  // namespace

// Every keyword phrase of the rules and of the user's blocked keywords, as
// word keys, indexed by its first word. `owner`: a rule index, or
// rules.size() + the index of a blocked keyword.
class KeywordIndex {
 public:
  void Add(const std::vector<std::string>& words, int owner) {
    if (words.empty()) return;
    Phrase p;
    p.owner = owner;
    for (const auto& w : words) p.words.push_back(FeatureKey(w));
    by_first_[p.words[0]].push_back(static_cast<uint32_t>(phrases_.size()));
    filter_[(p.words[0] >> 6) & 63] |= uint64_t{1} << (p.words[0] & 63);
    phrases_.push_back(std::move(p));
  }
  bool empty() const { return phrases_.empty(); }
  // The owners with a phrase in `words` (consecutive words), ascending, each
  // once.
  void Hits(const std::vector<uint64_t>& words,
            std::vector<int>* owners) const {
    owners->clear();
    for (size_t i = 0; i < words.size(); ++i) {
      const uint64_t w = words[i];
      if (!(filter_[(w >> 6) & 63] >> (w & 63) & 1)) continue;
      auto it = by_first_.find(w);
      if (it == by_first_.end()) continue;
      for (uint32_t k : it->second) {
        const Phrase& p = phrases_[k];
        if (p.words.size() > words.size() - i) continue;
        if (std::equal(p.words.begin(), p.words.end(), words.begin() + i)) {
          owners->push_back(p.owner);
        }
      }
    }
    std::sort(owners->begin(), owners->end());
    owners->erase(std::unique(owners->begin(), owners->end()), owners->end());
  }

 private:
  struct Phrase {
    std::vector<uint64_t> words;
    int owner = 0;
  };
  std::vector<Phrase> phrases_;
  std::unordered_map<uint64_t, std::vector<uint32_t>, KeyHash> by_first_;
  // A 4096-bit filter of first-word keys: most caption words miss it.
  std::array<uint64_t, 64> filter_{};
};

// What Decide consults, built by Compile from the policy and the controls.
struct PolicyEngine::Compiled {
  std::vector<int> order;  // rule indices by (priority desc, file order)
  // Per rule: its match lists (folded when parsed), as InRuleList reads
  // them.
  struct Lists {
    std::vector<std::string> labels, tags, categories, authors, sounds, regions;
  };
  std::vector<Lists> lists;
  std::unordered_set<std::string> blocked_authors, blocked_sounds,
      blocked_tags;                 // folded
  std::vector<std::string> topics;  // NormTag of not_interested_topics
  std::vector<std::string> levels;  // NormTag of topic_levels[i].topic
  KeywordIndex keywords;            // rules' and blocked keywords
  int num_rules = 0;
};

namespace {

// Per-candidate folded views: precomputed (a PreparedBatch) or computed
// lazily once per Decide; and the keyword phrases found in its caption.
struct CandidateView {
  const Candidate& c;
  const PolicyMatchInput* pre = nullptr;
  bool ready = false;
  bool words_ready = false;
  bool hits_ready = false;
  std::optional<PolicyMatchInput> own;  // without `pre`: computed here
  std::vector<int> hits;                // KeywordIndex::Hits of the caption

  CandidateView(const Candidate& cand, const PolicyMatchInput* in)
      : c(cand), pre(in), ready(in != nullptr), words_ready(in != nullptr) {}
  // The folded fields (not `words` or `labels`); valid after Prepare().
  const PolicyMatchInput& in() const { return pre ? *pre : *own; }
  void Prepare() {
    if (ready) return;
    ready = true;
    PolicyMatchInput& o = Own();
    o.folded_tags.reserve(c.tags.size());
    for (const auto& t : c.tags) o.folded_tags.push_back(NormTag(t));
    o.folded_category = NormTag(c.category);
    o.author = FoldText(c.author);
    o.sound = FoldText(c.sound);
    o.region = FoldText(c.region);
  }
  PolicyMatchInput& Own() {
    if (!own) own.emplace();
    return *own;
  }
  const std::vector<uint64_t>& Words() {
    if (pre) return pre->words;
    if (!words_ready) {
      WordKeys(c.caption, &Own().words);
      words_ready = true;
    }
    return own->words;
  }
  const std::vector<int>& Hits(const KeywordIndex& index) {
    if (!hits_ready) {
      hits_ready = true;
      if (!index.empty()) index.Hits(Words(), &hits);
    }
    return hits;
  }
  bool Hit(const KeywordIndex& index, int owner) {
    const auto& h = Hits(index);
    return std::binary_search(h.begin(), h.end(), owner);
  }
  // Safety label i folded.
  bool LabelIn(const std::vector<std::string>& list, size_t i) const {
    if (pre && i < pre->labels.size()) return InRuleList(list, pre->labels[i]);
    return InRuleList(list, FoldText(c.safety[i].name));
  }
};

bool Matches(const RuleMatch& m, const PolicyEngine::Compiled& k, int rule,
             CandidateView& v, int64_t now_ms) {
  const Candidate& c = v.c;
  const PolicyEngine::Compiled::Lists& l = k.lists[rule];
  if (!m.labels.empty()) {
    bool hit = false;
    for (size_t i = 0; i < c.safety.size(); ++i) {
      if (c.safety[i].confidence >= m.min_confidence &&
          v.LabelIn(l.labels, i)) {
        hit = true;
        break;
      }
    }
    if (!hit) return false;
  }
  if (m.maturity_at_least >= 0 &&
      static_cast<int>(c.maturity) < m.maturity_at_least) {
    return false;
  }
  if (m.min_age_hours >= 0.0 || m.max_age_hours >= 0.0) {
    if (c.created_at_ms == 0) return false;
    const double age_h =
        (static_cast<double>(now_ms) - static_cast<double>(c.created_at_ms)) /
        3600000.0;
    if (m.min_age_hours >= 0.0 && age_h < m.min_age_hours) return false;
    if (m.max_age_hours >= 0.0 && age_h > m.max_age_hours) return false;
  }
  v.Prepare();
  if (!l.tags.empty()) {
    bool hit = false;
    for (const auto& t : v.in().folded_tags) {
      if (InRuleList(l.tags, t)) {
        hit = true;
        break;
      }
    }
    if (!hit) return false;
  }
  if (!l.categories.empty() &&
      !InRuleList(l.categories, v.in().folded_category))
    return false;
  if (!l.authors.empty() && !InRuleList(l.authors, v.in().author)) return false;
  if (!l.sounds.empty() && !InRuleList(l.sounds, v.in().sound)) return false;
  if (!l.regions.empty() && !InRuleList(l.regions, v.in().region)) return false;
  if (!m.keywords.empty() && !v.Hit(k.keywords, rule)) return false;
  return true;
}

// ---- parsing ---------------------------------------------------------------

// An integer JSON value in [lo, hi] (an unsigned one too; never wrapped).
bool IntegerIn(const json& v, int64_t lo, int64_t hi, int64_t* out) {
  if (!v.is_number_integer()) return false;
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (hi < 0 || u > static_cast<uint64_t>(hi)) return false;
    *out = static_cast<int64_t>(u);
    return *out >= lo;
  }
  const int64_t x = v.get<int64_t>();
  if (x < lo || x > hi) return false;
  *out = x;
  return true;
}

// "must be an integer in [lo, hi], got <v>".
std::string IntegerRange(const json& v, int64_t lo, int64_t hi) {
  std::string m = "must be an integer in [" + std::to_string(lo) + ", " +
                  std::to_string(hi) + "]";
  if (v.is_number()) m += ", got " + v.dump();
  return m;
}

// A list of at most `max_items` non-empty strings of at most `max_bytes`
// each (reelrank/limits.h).
Status ParseStringList(const json& j, const std::string& field, bool tag,
                       std::vector<std::string>* out,
                       size_t max_items = Limits::kRuleListItems,
                       size_t max_bytes = Limits::kRuleItemBytes) {
  if (!j.is_array())
    return Status::Invalid(field, "must be an array of strings");
  Status s = CheckCount(j.size(), max_items, field);
  if (!s.ok()) return s;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string f = field + "[" + std::to_string(i) + "]";
    if (!j[i].is_string() || j[i].get_ref<const std::string&>().empty()) {
      return Status::Invalid(f, "must be a non-empty string");
    }
    const std::string& v = j[i].get_ref<const std::string&>();
    if (!(s = CheckBytes(v, max_bytes, f)).ok()) return s;
    out->push_back(tag ? NormTag(v) : FoldText(v));
  }
  return Status::Ok();
}

Status ParseKeywords(const json& j, const std::string& field,
                     std::vector<std::vector<std::string>>* out,
                     size_t max_items = Limits::kRuleListItems,
                     size_t max_bytes = Limits::kRuleItemBytes) {
  std::vector<std::string> raw;
  Status s = ParseStringList(j, field, false, &raw, max_items, max_bytes);
  if (!s.ok()) return s;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::vector<std::string> words = SplitWords(raw[i]);
    if (words.empty()) {
      return Status::Invalid(field + "[" + std::to_string(i) + "]",
                             "has no word characters");
    }
    out->push_back(std::move(words));
  }
  return Status::Ok();
}

Result<int> ParseMaturity(const json& j, const std::string& field) {
  if (j.is_number_integer()) {
    int64_t m = 0;
    if (IntegerIn(j, 0, 2, &m)) return static_cast<int>(m);
    return Status::Invalid(
        field,
        "must be \"general\", \"teen\", \"mature\" or 0..2, got " + j.dump());
  } else if (j.is_string()) {
    const std::string s = ToLowerAscii(j.get<std::string>());
    if (s == "general") return 0;
    if (s == "teen") return 1;
    if (s == "mature") return 2;
  }
  return Status::Invalid(field,
                         "must be \"general\", \"teen\", \"mature\" or 0..2");
}

Status ParseMatch(const json& j, const std::string& f, RuleMatch* m) {
  if (!j.is_object()) return Status::Invalid(f, "must be an object");
  int conditions = 0;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const std::string kf = f + "." + Excerpt(k);
    const json& v = it.value();
    Status s;
    if (k == "labels") {
      s = ParseStringList(v, kf, false, &m->labels);
      conditions += !m->labels.empty();
    } else if (k == "min_confidence") {
      if (!v.is_number() ||
          !(v.get<double>() >= 0.0 && v.get<double>() <= 1.0)) {
        return Status::Invalid(kf, "must be a number in [0, 1]");
      }
      m->min_confidence = v.get<float>();
    } else if (k == "maturity_at_least") {
      Result<int> r = ParseMaturity(v, kf);
      if (!r.ok()) return r.status();
      m->maturity_at_least = r.value();
      ++conditions;
    } else if (k == "tags") {
      s = ParseStringList(v, kf, true, &m->tags);
      conditions += !m->tags.empty();
    } else if (k == "categories") {
      s = ParseStringList(v, kf, true, &m->categories);
      conditions += !m->categories.empty();
    } else if (k == "authors") {
      s = ParseStringList(v, kf, false, &m->authors);
      conditions += !m->authors.empty();
    } else if (k == "sounds") {
      s = ParseStringList(v, kf, false, &m->sounds);
      conditions += !m->sounds.empty();
    } else if (k == "regions") {
      s = ParseStringList(v, kf, false, &m->regions);
      conditions += !m->regions.empty();
    } else if (k == "keywords") {
      s = ParseKeywords(v, kf, &m->keywords);
      conditions += !m->keywords.empty();
    } else if (k == "min_age_hours" || k == "max_age_hours") {
      if (!v.is_number() || !std::isfinite(v.get<double>()) ||
          v.get<double>() < 0.0) {
        return Status::Invalid(kf, "must be a number >= 0");
      }
      (k == "min_age_hours" ? m->min_age_hours : m->max_age_hours) =
          v.get<double>();
      ++conditions;
    } else {
      return Status::Invalid(f + "." + Excerpt(k), "unknown field");
    }
    if (!s.ok()) return s;
  }
  if (j.contains("min_confidence") && m->labels.empty()) {
    return Status::Invalid(f + ".min_confidence", "needs \"labels\"");
  }
  if (m->min_age_hours >= 0.0 && m->max_age_hours >= 0.0 &&
      m->min_age_hours > m->max_age_hours) {
    return Status::Invalid(f + ".min_age_hours", "must be <= max_age_hours");
  }
  if (conditions == 0) {
    return Status::Invalid(f, "needs at least one non-empty condition");
  }
  return Status::Ok();
}

Status ParseRule(const json& j, const std::string& index_field, PolicyRule* r) {
  if (!j.is_object()) return Status::Invalid(index_field, "must be an object");
  std::string f = index_field;
  if (!j.contains("id") || !j["id"].is_string() ||
      j["id"].get<std::string>().empty()) {
    return Status::Invalid(f + ".id", "must be a non-empty string");
  }
  Status limit = CheckBytes(j["id"].get_ref<const std::string&>(),
                            Limits::kRuleIdBytes, f + ".id");
  if (!limit.ok()) return limit;
  r->id = j["id"].get<std::string>();
  f += " (id '" + r->id + "')";
  bool has_action = false, has_match = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "id") continue;
    if (k == "action") {
      const std::string a = v.is_string() ? v.get<std::string>() : "";
      if (a == "drop") {
        r->action = PolicyAction::kDrop;
      } else if (a == "demote") {
        r->action = PolicyAction::kDemote;
      } else if (a == "boost") {
        r->action = PolicyAction::kBoost;
      } else if (a == "interstitial") {
        r->action = PolicyAction::kInterstitial;
      } else {
        return Status::Invalid(
            f + ".action",
            "must be \"drop\", \"demote\", \"boost\" or \"interstitial\"" +
                (v.is_string() ? ", got '" + Excerpt(a) + "'" : std::string()));
      }
      has_action = true;
    } else if (k == "multiplier") {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        return Status::Invalid(f + ".multiplier", "must be a number");
      }
      r->multiplier = v.get<double>();
    } else if (k == "priority") {
      int64_t p = 0;
      if (!IntegerIn(v, -Limits::kPolicyPriority, Limits::kPolicyPriority,
                     &p)) {
        return Status::Invalid(
            f + ".priority",
            IntegerRange(v, -Limits::kPolicyPriority, Limits::kPolicyPriority));
      }
      r->priority = static_cast<int>(p);
    } else if (k == "final") {
      if (!v.is_boolean())
        return Status::Invalid(f + ".final", "must be a boolean");
      r->final = v.get<bool>();
    } else if (k == "reason") {
      if (!v.is_string())
        return Status::Invalid(f + ".reason", "must be a string");
      Status rs = CheckBytes(v.get_ref<const std::string&>(),
                             Limits::kRuleReasonBytes, f + ".reason");
      if (!rs.ok()) return rs;
      r->reason = v.get<std::string>();
    } else if (k == "match") {
      Status s = ParseMatch(v, f + ".match", &r->match);
      if (!s.ok()) return s;
      has_match = true;
    } else {
      return Status::Invalid(f + "." + Excerpt(k), "unknown field");
    }
  }
  if (!has_action) return Status::Invalid(f + ".action", "is required");
  if (!has_match) return Status::Invalid(f + ".match", "is required");
  const bool has_mult = j.contains("multiplier");
  switch (r->action) {
    case PolicyAction::kDemote:
      if (!has_mult) r->multiplier = 0.5;
      if (!(r->multiplier > 0.0 && r->multiplier < 1.0)) {
        return Status::Invalid(f + ".multiplier",
                               "a demote multiplier must be in (0, 1)");
      }
      break;
    case PolicyAction::kBoost:
      if (!has_mult) r->multiplier = 1.5;
      if (!(r->multiplier > 1.0 && r->multiplier <= kMaxPolicyMultiplier)) {
        return Status::Invalid(f + ".multiplier",
                               "a boost multiplier must be in (1, 100]");
      }
      break;
    default:
      if (has_mult) {
        return Status::Invalid(f + ".multiplier",
                               "only demote and boost take a multiplier");
      }
      r->multiplier = 1.0;
  }
  if (r->reason.empty()) r->reason = r->id;
  return Status::Ok();
}

const char kDefaultPolicyJson[] = R"json({
  "version": 1,
  "rules": [
    {"id": "violence", "priority": 100, "action": "drop",
     "reason": "violent or graphic content",
     "match": {"labels": ["violence", "gore", "graphic_violence"], "min_confidence": 0.7}},
    {"id": "adult", "priority": 100, "action": "drop",
     "reason": "adult or sexual content",
     "match": {"labels": ["adult", "sexual", "nudity"], "min_confidence": 0.7}},
    {"id": "scam", "priority": 100, "action": "drop",
     "reason": "scam or fraud",
     "match": {"labels": ["scam", "fraud", "spam"], "min_confidence": 0.7}},
    {"id": "hate", "priority": 100, "action": "drop",
     "reason": "hateful content",
     "match": {"labels": ["hate", "harassment"], "min_confidence": 0.7}},
    {"id": "self_harm", "priority": 100, "action": "drop",
     "reason": "self-harm content",
     "match": {"labels": ["self_harm", "suicide"], "min_confidence": 0.6}},
    {"id": "dangerous_acts", "priority": 100, "action": "drop",
     "reason": "dangerous acts or challenges",
     "match": {"labels": ["dangerous_acts", "dangerous"], "min_confidence": 0.7}},
    {"id": "sensitive_warning", "priority": 50, "action": "interstitial",
     "reason": "may be upsetting",
     "match": {"labels": ["violence", "gore", "graphic_violence", "self_harm"],
               "min_confidence": 0.4}},
    {"id": "low_quality", "priority": 20, "action": "demote", "multiplier": 0.6,
     "reason": "low quality",
     "match": {"labels": ["low_quality"], "min_confidence": 0.6}},
    {"id": "clickbait", "priority": 20, "action": "demote", "multiplier": 0.6,
     "reason": "clickbait",
     "match": {"labels": ["clickbait"], "min_confidence": 0.6}},
    {"id": "high_quality", "priority": 10, "action": "boost", "multiplier": 1.2,
     "reason": "high quality",
     "match": {"labels": ["high_quality"], "min_confidence": 0.6}},
    {"id": "news", "priority": 10, "action": "boost", "multiplier": 1.1,
     "reason": "news",
     "match": {"categories": ["news"]}},
    {"id": "educational", "priority": 10, "action": "boost", "multiplier": 1.15,
     "reason": "educational",
     "match": {"categories": ["education", "educational", "science"]}}
  ]
})json";

}  // namespace

Result<Policy> ParsePolicy(const std::string& text) {
  Status size = CheckBytes(text, Limits::kPolicyJsonBytes, "policy");
  if (!size.ok()) return size;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::Invalid("policy", "not valid JSON");
  if (!j.is_object()) return Status::Invalid("policy", "must be a JSON object");
  Policy p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "version" && it.key() != "rules") {
      return Status::Invalid("policy." + Excerpt(it.key()), "unknown field");
    }
  }
  if (j.contains("version")) {
    const json& v = j["version"];
    if (!v.is_number_integer()) {
      return Status::Invalid("version", "must be an integer");
    }
    int64_t version = 0;
    if (!IntegerIn(v, 1, 1, &version)) {
      return Status(StatusCode::kUnimplemented,
                    "version: unsupported policy version " + v.dump());
    }
    p.version = static_cast<int>(version);
  }
  if (!j.contains("rules") || !j["rules"].is_array()) {
    return Status::Invalid("rules", "must be an array");
  }
  const json& rules = j["rules"];
  Status count = CheckCount(rules.size(), Limits::kPolicyRules, "rules");
  if (!count.ok()) return count;
  std::set<std::string> ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    PolicyRule r;
    Status s = ParseRule(rules[i], "rules[" + std::to_string(i) + "]", &r);
    if (!s.ok()) return s;
    if (!ids.insert(r.id).second) {
      return Status::Invalid(
          "rules[" + std::to_string(i) + "] (id '" + r.id + "').id",
          "duplicate id");
    }
    p.rules.push_back(std::move(r));
  }
  return p;
}

const std::string& DefaultPolicyJson() {
  static const std::string* const kText = new std::string(kDefaultPolicyJson);
  return *kText;
}

Policy DefaultPolicy() {
  // Parsed once per process; every PolicyEngine starts from a copy.
  static const Policy* const kPolicy = [] {
    Result<Policy> r = ParsePolicy(DefaultPolicyJson());
    return new Policy(r.ok() ? r.value() : Policy{});
  }();
  return *kPolicy;
}

Result<UserControls> ParseUserControls(const std::string& text) {
  Status size = CheckBytes(text, Limits::kUserControlsJsonBytes, "controls");
  if (!size.ok()) return size;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::Invalid("controls", "not valid JSON");
  if (!j.is_object())
    return Status::Invalid("controls", "must be a JSON object");
  UserControls u;
  constexpr size_t kItems = Limits::kUserListItems;
  constexpr size_t kBytes = Limits::kUserItemBytes;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    Status s;
    if (k == "blocked_authors") {
      // Author ids keep their case in storage; matching lower-cases both.
      s = ParseStringList(v, k, false, &u.blocked_authors, kItems, kBytes);
      if (s.ok()) {
        u.blocked_authors.clear();
        for (const auto& a : v)
          u.blocked_authors.push_back(a.get<std::string>());
      }
    } else if (k == "blocked_sounds") {
      s = ParseStringList(v, k, false, &u.blocked_sounds, kItems, kBytes);
      if (s.ok()) {
        u.blocked_sounds.clear();
        for (const auto& a : v)
          u.blocked_sounds.push_back(a.get<std::string>());
      }
    } else if (k == "blocked_tags") {
      s = ParseStringList(v, k, true, &u.blocked_tags, kItems, kBytes);
    } else if (k == "blocked_keywords") {
      std::vector<std::vector<std::string>> check;
      s = ParseKeywords(v, k, &check, kItems, kBytes);
      if (s.ok()) {
        for (const auto& a : v)
          u.blocked_keywords.push_back(a.get<std::string>());
      }
    } else if (k == "max_maturity") {
      Result<int> r = ParseMaturity(v, k);
      if (!r.ok()) return r.status();
      u.max_maturity = static_cast<Maturity>(r.value());
    } else if (k == "not_interested_topics") {
      if (!v.is_array()) return Status::Invalid(k, "must be an array");
      if (!(s = CheckCount(v.size(), kItems, k)).ok()) return s;
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string f = k + "[" + std::to_string(i) + "]";
        NotInterestedTopic t;
        if (v[i].is_string()) {
          t.topic = v[i].get<std::string>();
        } else if (v[i].is_object()) {
          for (auto e = v[i].begin(); e != v[i].end(); ++e) {
            if (e.key() == "topic") {
              if (!e.value().is_string()) {
                return Status::Invalid(f + ".topic", "must be a string");
              }
              t.topic = e.value().get<std::string>();
            } else if (e.key() == "at_ms") {
              if (!IntegerIn(e.value(), 0, kMaxAbsTimeMs, &t.at_ms)) {
                return Status::Invalid(
                    f + ".at_ms", IntegerRange(e.value(), 0, kMaxAbsTimeMs));
              }
            } else {
              return Status::Invalid(f + "." + Excerpt(e.key()),
                                     "unknown field");
            }
          }
        } else {
          return Status::Invalid(f, "must be a string or {topic, at_ms}");
        }
        if (NormTag(t.topic).empty()) {
          return Status::Invalid(f + ".topic", "must be a non-empty string");
        }
        if (!(s = CheckBytes(t.topic, kBytes, f + ".topic")).ok()) return s;
        u.not_interested_topics.push_back(std::move(t));
      }
    } else if (k == "topic_levels") {
      if (!v.is_object()) {
        return Status::Invalid(k,
                               "must be an object {topic: \"more\" | "
                               "\"less\" | \"normal\"}");
      }
      if (!(s = CheckCount(v.size(), kItems, k)).ok()) return s;
      for (auto e = v.begin(); e != v.end(); ++e) {
        const std::string f = k + "." + Excerpt(e.key());
        if (NormTag(e.key()).empty()) {
          return Status::Invalid(f, "the topic must be a non-empty string");
        }
        if (!(s = CheckBytes(e.key(), kBytes, f)).ok()) return s;
        const std::string level = e.value().is_string()
                                      ? e.value().get<std::string>()
                                      : std::string();
        if (level == "normal") continue;
        if (level != "more" && level != "less") {
          return Status::Invalid(f, "must be \"more\", \"less\" or \"normal\"");
        }
        u.topic_levels.push_back(
            {e.key(), level == "more" ? TopicLevel::kMore : TopicLevel::kLess});
      }
    } else {
      return Status::Invalid(Excerpt(k), "unknown field");
    }
    if (!s.ok()) return s;
  }
  return u;
}

std::string UserControlsToJson(const UserControls& u) {
  static const char* const kMat[] = {"general", "teen", "mature"};
  json j;
  j["blocked_authors"] = u.blocked_authors;
  j["blocked_sounds"] = u.blocked_sounds;
  j["blocked_tags"] = u.blocked_tags;
  j["blocked_keywords"] = u.blocked_keywords;
  const int m = static_cast<int>(u.max_maturity);
  j["max_maturity"] = kMat[m >= 0 && m <= 2 ? m : 2];
  json topics = json::array();
  for (const auto& t : u.not_interested_topics) {
    if (t.at_ms == 0) {
      topics.push_back(t.topic);
    } else {
      topics.push_back({{"topic", t.topic}, {"at_ms", t.at_ms}});
    }
  }
  j["not_interested_topics"] = std::move(topics);
  json levels = json::object();
  for (const auto& t : u.topic_levels) {
    levels[t.topic] = t.level == TopicLevel::kMore ? "more" : "less";
  }
  j["topic_levels"] = std::move(levels);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- engine ----------------------------------------------------------------

PolicyEngine::PolicyEngine() : policy_(DefaultPolicy()) { Compile(); }

Status PolicyEngine::SetPolicyJson(const std::string& json_text) {
  Result<Policy> r = ParsePolicy(json_text);
  if (!r.ok()) return r.status();
  SetPolicy(r.value());
  return Status::Ok();
}

void PolicyEngine::SetPolicy(const Policy& policy) {
  policy_ = policy;
  Compile();
}

Status PolicyEngine::SetUserControlsJson(const std::string& json_text) {
  Result<UserControls> r = ParseUserControls(json_text);
  if (!r.ok()) return r.status();
  SetUserControls(r.value());
  return Status::Ok();
}

void PolicyEngine::SetUserControls(const UserControls& controls) {
  controls_ = controls;
  Compile();
}

void PolicyEngine::Compile() {
  auto k = std::make_shared<Compiled>();
  const int n = static_cast<int>(policy_.rules.size());
  k->num_rules = n;
  k->order.resize(n);
  for (int i = 0; i < n; ++i) k->order[i] = i;
  std::stable_sort(k->order.begin(), k->order.end(), [&](int a, int b) {
    return policy_.rules[a].priority > policy_.rules[b].priority;
  });
  auto sorted = [](std::vector<std::string> v) {
    if (v.size() > kShortList) std::sort(v.begin(), v.end());
    return v;
  };
  k->lists.resize(n);
  for (int i = 0; i < n; ++i) {
    const RuleMatch& m = policy_.rules[i].match;
    Compiled::Lists& l = k->lists[i];
    l.labels = sorted(m.labels);
    l.tags = sorted(m.tags);
    l.categories = sorted(m.categories);
    l.authors = sorted(m.authors);
    l.sounds = sorted(m.sounds);
    l.regions = sorted(m.regions);
    for (const auto& words : m.keywords) k->keywords.Add(words, i);
  }
  for (const auto& a : controls_.blocked_authors) {
    k->blocked_authors.insert(FoldText(a));
  }
  for (const auto& s : controls_.blocked_sounds) {
    k->blocked_sounds.insert(FoldText(s));
  }
  for (const auto& t : controls_.blocked_tags) {
    k->blocked_tags.insert(NormTag(t));
  }
  for (size_t i = 0; i < controls_.blocked_keywords.size(); ++i) {
    k->keywords.Add(SplitWords(controls_.blocked_keywords[i]),
                    n + static_cast<int>(i));
  }
  for (const auto& t : controls_.not_interested_topics) {
    k->topics.push_back(NormTag(t.topic));
  }
  for (const auto& t : controls_.topic_levels) {
    k->levels.push_back(NormTag(t.topic));
  }
  compiled_ = std::move(k);
}

namespace {
PolicyDecision UserDrop(const std::string& id, const std::string& reason) {
  PolicyDecision d;
  d.action = PolicyAction::kDrop;
  d.multiplier = 0.0;
  d.source = RuleSource::kUser;
  d.rule_id = id;
  d.reason = reason;
  d.applied.push_back(id);
  return d;
}
}  // namespace

PolicyMatchInput MakePolicyMatchInput(const Candidate& c) {
  CandidateView v(c, nullptr);
  v.Prepare();
  v.Words();
  PolicyMatchInput in = std::move(v.Own());
  in.labels.reserve(c.safety.size());
  for (const auto& l : c.safety) in.labels.push_back(FoldText(l.name));
  // The fatigue stage's topic identity (fatigue.cpp): ASCII lower case.
  in.tags.reserve(c.tags.size());
  for (const auto& t : c.tags) in.tags.push_back(FatigueTopic(t));
  in.category = FatigueTopic(c.category);
  in.fatigue_keys = MakeFatigueKeys(c.author, c.sound, in.category, in.tags);
  return in;
}

PolicyDecision PolicyEngine::Decide(const Candidate& c, int64_t now_ms) const {
  return DecideImpl(c, nullptr, now_ms);
}

PolicyDecision PolicyEngine::Decide(const Candidate& c,
                                    const PolicyMatchInput& in,
                                    int64_t now_ms) const {
  return DecideImpl(c, &in, now_ms);
}

PolicyDecision PolicyEngine::DecideImpl(const Candidate& c,
                                        const PolicyMatchInput* in,
                                        int64_t now_ms) const {
  CandidateView v(c, in);
  const Compiled& k = *compiled_;
  // 1. User controls.
  if (static_cast<int>(c.maturity) > static_cast<int>(controls_.max_maturity)) {
    return UserDrop("user:maturity", "above your maturity setting");
  }
  v.Prepare();
  if (!k.blocked_authors.empty() && !v.in().author.empty() &&
      k.blocked_authors.count(v.in().author)) {
    return UserDrop("user:blocked_author:" + c.author,
                    "you blocked this creator");
  }
  if (!k.blocked_sounds.empty() && !v.in().sound.empty() &&
      k.blocked_sounds.count(v.in().sound)) {
    return UserDrop("user:blocked_sound:" + c.sound, "you blocked this sound");
  }
  if (!k.blocked_tags.empty()) {
    for (const auto& t : v.in().folded_tags) {
      if (k.blocked_tags.count(t)) {
        return UserDrop("user:blocked_tag:" + t, "you blocked #" + t);
      }
    }
    const std::string& cat = v.in().folded_category;
    if (!cat.empty() && k.blocked_tags.count(cat)) {
      return UserDrop("user:blocked_tag:" + cat, "you blocked #" + cat);
    }
  }
  if (!controls_.blocked_keywords.empty()) {
    // The first blocked keyword (in list order) found in the caption.
    const auto& hits = v.Hits(k.keywords);
    auto it = std::lower_bound(hits.begin(), hits.end(), k.num_rules);
    if (it != hits.end()) {
      const std::string& w =
          controls_.blocked_keywords[static_cast<size_t>(*it - k.num_rules)];
      return UserDrop("user:blocked_keyword:" + w,
                      "you filtered the word \"" + w + "\"");
    }
  }
  // The candidate's category or one of its tags is `topic` (folded).
  auto has_topic = [&v](const std::string& topic) {
    return (!v.in().folded_category.empty() &&
            v.in().folded_category == topic) ||
           InList(v.in().folded_tags, topic);
  };
  double topic_mult = 1.0;
  std::string topic_rule;
  for (size_t i = 0; i < k.topics.size(); ++i) {
    const std::string& topic = k.topics[i];
    const int64_t at_ms = controls_.not_interested_topics[i].at_ms;
    if (!has_topic(topic)) continue;
    const std::string id = "user:not_interested:" + topic;
    if (at_ms == 0) return UserDrop(id, "you're not interested in " + topic);
    FatigueConfig cfg = fatigue_;
    cfg.enabled = true;
    const FatigueState s = FatigueCurve(cfg, at_ms, now_ms);
    if (s.filtered) return UserDrop(id, "you're not interested in " + topic);
    if (s.multiplier < topic_mult) {
      topic_mult = s.multiplier;
      topic_rule = id;
    }
  }

  // 2. Operator drops (highest priority first = first in order).
  PolicyDecision d;
  std::vector<int> matched;
  for (int i : k.order) {
    if (!operator_enabled_) break;
    const PolicyRule& r = policy_.rules[i];
    if (!Matches(r.match, k, i, v, now_ms)) continue;
    if (r.action == PolicyAction::kDrop) {
      d.action = PolicyAction::kDrop;
      d.multiplier = 0.0;
      d.source = RuleSource::kOperator;
      d.rule_id = r.id;
      d.reason = r.reason;
      d.applied.push_back(r.id);
      return d;
    }
    matched.push_back(i);
  }

  // 3. Non-drop rules in priority order, multiplicative, "final" stops.
  double mult = 1.0;
  for (int i : matched) {
    const PolicyRule& r = policy_.rules[i];
    if (d.rule_id.empty()) {
      d.rule_id = r.id;
      d.reason = r.reason;
      d.source = RuleSource::kOperator;
    }
    d.applied.push_back(r.id);
    if (r.action == PolicyAction::kInterstitial) {
      if (!d.interstitial) {
        // The warning is the headline: report the rule that asked for it.
        d.rule_id = r.id;
        d.reason = r.reason;
      }
      d.interstitial = true;
    } else {
      mult *= r.multiplier;
    }
    if (r.final) break;
  }
  // The user's "more" / "less" of a topic: each matching entry once.
  std::string level_rule, level_reason;
  for (size_t i = 0; i < k.levels.size(); ++i) {
    const std::string& topic = k.levels[i];
    if (!has_topic(topic)) continue;
    const bool more = controls_.topic_levels[i].level == TopicLevel::kMore;
    mult *= more ? kTopicMoreMultiplier : kTopicLessMultiplier;
    const std::string id = (more ? "user:more:" : "user:less:") + topic;
    d.applied.push_back(id);
    if (level_rule.empty()) {
      level_rule = id;
      level_reason =
          (more ? "you asked for more " : "you asked for less ") + topic;
    }
  }
  if (!level_rule.empty() && d.rule_id.empty()) {
    d.rule_id = level_rule;
    d.reason = level_reason;
    d.source = RuleSource::kUser;
  }
  if (!topic_rule.empty()) {
    mult *= topic_mult;
    d.applied.push_back(topic_rule);
    if (d.rule_id.empty()) {
      d.rule_id = topic_rule;
      d.reason = "you said you're not interested in this topic";
      d.source = RuleSource::kUser;
    }
  }
  d.multiplier =
      std::min(std::max(mult, kMinPolicyMultiplier), kMaxPolicyMultiplier);
  if (d.interstitial) {
    d.action = PolicyAction::kInterstitial;
  } else if (d.multiplier < 1.0) {
    d.action = PolicyAction::kDemote;
  } else if (d.multiplier > 1.0) {
    d.action = PolicyAction::kBoost;
  } else {
    d.action = PolicyAction::kAllow;
  }
  return d;
}

}  // namespace reelrank
