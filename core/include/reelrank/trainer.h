// Trainer: turns an operator's logged views into a model pack (model_pack.h)
// calibrated to the operator's own server_score.
//
// Input is JSON Lines, one logged view per line: the candidate as the
// ranker takes it (the fields of web/index.d.ts `Candidate`), what the user
// did with it, and optionally who and when:
//
//   {"candidate": {"id": "v1", "author": "a7", "tags": ["cooking"],
//                  "duration_ms": 15000, "server_score": 0.31},
//    "outcome": {"play_ms": 15000, "completed": true, "like": true},
//    "user": "u42", "time_ms": 1651314030792}
//
// outcome fields (all optional, default 0 / false): play_ms (how long the
// item was on screen before the user moved on), completed, replays, like,
// follow, share, comment, profile_visit, not_interested, report,
// swipe_velocity (screen heights / s; 0 = unknown). Each view is turned into
// the core's own head labels (signals.h: the labels on-device learning
// uses), and for every head a ridge-regularised logistic model of the label
// on [1, logit(server_score)] is fitted, so that an empty profile predicts
// each head as the operator's data does at the operator's score. Optionally
// (TrainerOptions::duration_weights) global per-duration-bucket weights are
// fitted too. The pack keeps `prior` >= 0 (<= 0 on the negative head), so an
// empty profile still ranks in the server's order.
//
//   reelrank::PackTrainer t(reelrank::TrainerOptions{});
//   for (line : lines) { Status s = t.AddLine(line); if (!s.ok()) Warn(s); }
//   reelrank::Result<reelrank::ModelPack> pack = t.Fit();
//
// Command line: `reelrank_train --in views.jsonl --out pack.json` (see
// core/tools/README.md).
#ifndef REELRANK_TRAINER_H_
#define REELRANK_TRAINER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reelrank/candidate.h"
#include "reelrank/heads.h"
#include "reelrank/model_pack.h"
#include "reelrank/signals.h"
#include "reelrank/status.h"

namespace reelrank {

// What the user did with one shown item.
struct ViewOutcome {
  int64_t play_ms = 0;  // >= 0
  bool completed = false;
  int replays = 0;  // >= 0
  bool like = false, follow = false, share = false, comment = false;
  bool profile_visit = false, not_interested = false, report = false;
  double swipe_velocity = 0.0;  // >= 0; 0 = unknown
};

// One line of the input.
struct LoggedView {
  Candidate candidate;
  ViewOutcome outcome;
  std::string user;     // optional
  int64_t time_ms = 0;  // optional
};

// Longest accepted line (bytes).
constexpr size_t kMaxLoggedViewBytes = 1 << 20;

// Parses one line. Errors are kInvalidArgument naming the field
// ("candidate.duration_ms: ...", "outcome.play_ms: ..."); unknown fields are
// errors too (a misspelt field would silently lose a signal).
Status ParseLoggedView(std::string_view line, LoggedView* out);

// The head labels a view stands for (the same as the device computes).
Labels LabelsOf(const LoggedView& view, const SignalConfig& signals);

struct TrainerOptions {
  std::string name = "trained";   // the pack's name
  double ridge = 1.0;             // L2 strength on every weight but the bias
  bool duration_weights = false;  // also fit global "dur:<bucket>" weights
  SignalConfig signals;           // how events become labels
};

class PackTrainer {
 public:
  explicit PackTrainer(const TrainerOptions& options);

  // Parses and adds one line; on error nothing is added.
  Status AddLine(std::string_view line);
  void Add(const LoggedView& view);
  int64_t views() const { return static_cast<int64_t>(rows_.size()); }

  // Fits the pack. kFailedPrecondition when no view was added.
  Result<ModelPack> Fit() const;

 private:
  struct Row {
    double prior_logit = 0.0;
    int duration_feature = 0;  // index into the duration features
    Labels labels;
  };
  TrainerOptions options_;
  std::vector<Row> rows_;
};

}  // namespace reelrank

#endif  // REELRANK_TRAINER_H_
