// Diversity: turns a relevance order into the feed order so that the feed
// does not repeat itself.
//
// Greedy, one position at a time, looking at the recent history (what was
// shown before, oldest first) plus what has been placed so far:
//   hard constraints (an item that breaks one is not eligible):
//     - no same creator within the last `author_window` items (1 = not back
//       to back; 0 = off);
//     - no same sound within the last `sound_window` items;
//     - topic share cap: in every `topic_window` consecutive items at most
//       max(1, floor(topic_max_share * topic_window)) share a PrimaryTopic;
//     - exploration spacing: two exploration picks at least `explore_gap`
//       apart (0 = off; the pipeline sets it to the explore budget K);
//   among eligible items, maximal marginal relevance (MMR):
//     mmr = lambda * rel - (1 - lambda) * max cosine(embedding, embeddings of
//     the last `mmr_window` items), with rel = relevance min-max scaled to
//     [0, 1] over the first `depth` inputs (an item without an embedding has
//     similarity 0).
// If no item is eligible, constraints are relaxed in this order until one
// is: topic cap, sound, creator, exploration spacing; the item placed is
// marked `relaxed`. Items are never removed, only reordered. Only the first
// `depth` positions are diversified, only the first 4 * depth inputs compete
// for them (the input is in relevance order), and the rest follow in input
// order, so a call costs O(depth^2 + n) for n items.
//
//   std::vector<DiversityItem> items = ...;   // relevance order
//   DiversifyResult r = Diversify(items, history, DiversityConfig{});
//   int now = DiversifyNext(items, history, DiversityConfig{}, nullptr);
#ifndef REELRANK_DIVERSIFY_H_
#define REELRANK_DIVERSIFY_H_

#include <string>
#include <vector>

#include "reelrank/candidate.h"

namespace reelrank {

struct DiversityConfig {
  bool enabled = true;
  int author_window = 1;         // >= 0
  int sound_window = 1;          // >= 0
  int topic_window = 10;         // >= 0 (0 = no cap)
  double topic_max_share = 0.7;  // in (0, 1] (chosen by nested CV)
  double mmr_lambda = 0.8;       // in [0, 1]; 1 = relevance only
  int mmr_window = 5;            // >= 0
  int explore_gap = 0;           // >= 0
  int depth = 25;                // positions diversified, >= 1
};

// One item to place. `candidate` must outlive the call.
struct DiversityItem {
  const Candidate* candidate = nullptr;
  double relevance = 0.0;  // higher is better
  bool explored = false;
};

// One previously shown item.
struct RecentItem {
  std::string author;
  std::string sound;
  std::string topic;  // PrimaryTopic
  std::vector<float> embedding;
  bool explored = false;

  static RecentItem From(const Candidate& c, bool explored);
};

// What diversity did to one item (parallel to DiversifyResult::order).
struct DiversityNote {
  int from = 0;  // position in the input
  int to = 0;    // position in the output
  // Constraints that held the item back while it was the most relevant
  // remaining one: any of "creator", "sound", "topic", "explore_gap".
  std::vector<std::string> held_back_by;
  double similarity = 0.0;  // max cosine to recent items when placed
  bool relaxed = false;     // placed by relaxing a constraint
};

struct DiversifyResult {
  std::vector<int> order;            // positions into the input items
  std::vector<DiversityNote> notes;  // parallel to order
};

DiversifyResult Diversify(const std::vector<DiversityItem>& items,
                          const std::vector<RecentItem>& history,
                          const DiversityConfig& config);

// The single item to show now (one step of Diversify): a position into
// `items`, or -1 if `items` is empty. `note` may be null.
int DiversifyNext(const std::vector<DiversityItem>& items,
                  const std::vector<RecentItem>& history,
                  const DiversityConfig& config, DiversityNote* note);

// True if placing `item` after `history` breaks a hard constraint (no
// relaxation). Exposed for tests and for callers that check a sequence.
bool BreaksDiversity(const RecentItem& item,
                     const std::vector<RecentItem>& history,
                     const DiversityConfig& config);

}  // namespace reelrank

#endif  // REELRANK_DIVERSIFY_H_
