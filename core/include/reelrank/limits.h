// Input limits: the largest size of every string and list a caller can pass
// into the core.
//
// Sizes of strings are in bytes of UTF-8 (not characters). Each limit is
// checked where the value enters the core (ValidateCandidate, Ranker::Observe,
// ParsePolicy, ParseUserControls, ParseConfig, ...), and a value beyond it is
// rejected with kInvalidArgument naming the field and both sizes, e.g.
//   "candidates[3].caption: 20971520 bytes, limit 16384".
// A rejected candidate is skipped and the rest of its batch is ranked; a
// rejected policy, controls or config changes nothing. The limits are far
// above what real feeds send; they exist so that nothing a page passes in can
// exhaust memory or time.
#ifndef REELRANK_LIMITS_H_
#define REELRANK_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace reelrank {

struct Limits {
  // ---- Candidate (ValidateCandidate) ----
  // Candidate::id; also Event::event_id, Event::item_id and the ids given
  // to Forget / Explain.
  static constexpr size_t kIdBytes = 256;
  // Candidate::author (a creator id).
  static constexpr size_t kAuthorBytes = 256;
  // Candidate::sound (a sound / music id).
  static constexpr size_t kSoundBytes = 256;
  // Candidate::category.
  static constexpr size_t kCategoryBytes = 128;
  // Each Candidate::tags element, and how many tags a candidate may have
  // (only the first kMaxItemTags become features, see profile.h).
  static constexpr size_t kTagBytes = 128;
  static constexpr size_t kTags = 64;
  // Candidate::caption: 4,096 characters of up to 4 bytes (TikTok's caption
  // maximum is 4,000 characters, in any script).
  static constexpr size_t kCaptionBytes = 16384;
  // Policy keywords match the first kCaptionWords words of a caption (a
  // caption within kCaptionBytes has at most 8192 unless normalization
  // expands it).
  static constexpr size_t kCaptionWords = 8192;
  // Candidate::region (an ISO 3166 / BCP 47 region code).
  static constexpr size_t kRegionBytes = 32;
  // Each SafetyLabel::name, and how many labels a candidate may have.
  static constexpr size_t kSafetyLabelBytes = 64;
  static constexpr size_t kSafetyLabels = 32;
  // Candidate::duration_ms: 0 (not a video, e.g. a photo post) up to 7 days.
  static constexpr int64_t kDurationMs = 7LL * 24 * 3600 * 1000;
  // Candidate::embedding has exactly RankerConfig::embedding_dim floats
  // (at most 1024, see config.h).

  // The strings of one batch as the JS package packs them (web/ranker.js),
  // in UTF-16 code units: candidates after the budget is spent are rejected
  // naming it, the ones before are ranked. (A JS string cannot hold much
  // more than 2^29 units; the budget keeps a batch far below that.)
  static constexpr size_t kBatchStringUnits = 64u << 20;

  // ---- Events (Ranker::Observe) ----
  // How far ahead of the ranker's clock (the latest accepted event, or the
  // `now_ms` of the latest Rank / Next, whichever is later) an event's
  // timestamp_ms may be: 1 day.
  static constexpr int64_t kEventLeadMs = 24LL * 3600 * 1000;

  // ---- Operator policy (ParsePolicy) ----
  static constexpr size_t kPolicyJsonBytes = 1 << 20;  // the whole JSON text
  static constexpr size_t kPolicyRules = 256;          // "rules" entries
  static constexpr size_t kRuleIdBytes = 128;          // a rule's "id"
  static constexpr size_t kRuleReasonBytes = 1024;     // a rule's "reason"
  // Entries of one match list ("labels", "tags", "keywords", ...).
  static constexpr size_t kRuleListItems = 4096;
  // One entry of a match list, a keyword or phrase included.
  static constexpr size_t kRuleItemBytes = 256;
  // |priority| (an integer; larger is visited first).
  static constexpr int64_t kPolicyPriority = 1000000000;

  // ---- User controls (ParseUserControls) ----
  static constexpr size_t kUserControlsJsonBytes = 1 << 20;
  // Entries of one list (blocked_authors, blocked_sounds, blocked_tags,
  // blocked_keywords, not_interested_topics).
  static constexpr size_t kUserListItems = 4096;
  // One entry (an author or sound id, a tag, a keyword or phrase, a topic).
  static constexpr size_t kUserItemBytes = 256;

  // ---- Profile (Ranker::ImportProfile) ----
  // How deep arrays and objects may nest in profile text (a profile nests
  // 6 deep), checked before it is parsed.
  static constexpr int kProfileDepth = 32;
  // The longest profile text a ranker imports, checked before parsing, is
  // Ranker::profile_bytes_limit(): kProfileBaseBytes plus an allowance per
  // entry for each bound of its config (an export of a profile at every
  // bound stays far below it).
  static constexpr size_t kProfileBaseBytes = 4u << 20;
  static constexpr size_t kProfileBytesPerFeature = 1024;
  static constexpr size_t kProfileBytesPerSeenItem = 512;
  static constexpr size_t kProfileBytesPerLogEntry = 4096;   // + 16 per dim
  static constexpr size_t kProfileBytesPerFeedEntry = 2048;  // + 16 per dim

  // ---- Config (ParseConfig) ----
  // The whole JSON text; its only string value is explore.method.
  static constexpr size_t kConfigJsonBytes = 64 * 1024;
};

}  // namespace reelrank

#endif  // REELRANK_LIMITS_H_
