#include "reelrank/ranker.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

namespace reelrank {

const char* ContributionKindName(ContributionKind kind) {
  switch (kind) {
    case ContributionKind::kBias:
      return "bias";
    case ContributionKind::kPrior:
      return "prior";
    case ContributionKind::kTag:
      return "tag";
    case ContributionKind::kAuthor:
      return "author";
    case ContributionKind::kSound:
      return "sound";
    case ContributionKind::kCategory:
      return "category";
    case ContributionKind::kDuration:
      return "duration";
    case ContributionKind::kCross:
      return "cross";
    case ContributionKind::kInterestLong:
      return "interest_long";
    case ContributionKind::kInterestSession:
      return "interest_session";
    case ContributionKind::kNotInterested:
      return "not_interested";
    case ContributionKind::kSeen:
      return "seen";
  }
  return "unknown";
}

struct Ranker::Impl {
  RankerConfig config;
  Status config_status;
  bool paused = false;
};

Ranker::Ranker(const RankerConfig& config) : impl_(new Impl) {
  impl_->config_status = ValidateConfig(config);
  impl_->config = impl_->config_status.ok() ? config : RankerConfig{};
}
Ranker::~Ranker() = default;

Result<std::unique_ptr<Ranker>> Ranker::Create(const RankerConfig& config) {
  Status s = ValidateConfig(config);
  if (!s.ok()) return s;
  return std::unique_ptr<Ranker>(new Ranker(config));
}

const RankerConfig& Ranker::config() const { return impl_->config; }
const Status& Ranker::config_status() const { return impl_->config_status; }

RankResult Ranker::Rank(const std::vector<Candidate>& candidates,
                        const Context& /*context*/) {
  RankResult result;
  result.ranked.reserve(candidates.size());
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const std::string field = "candidates[" + std::to_string(i) + "]";
    Status s = ValidateCandidate(c, impl_->config.embedding_dim, field);
    if (s.ok() && !ids.insert(c.id).second) {
      s = Status::Invalid(field + ".id", "duplicate id '" + c.id + "'");
    }
    if (!s.ok()) {
      result.rejected.push_back({static_cast<int>(i), s});
      continue;
    }
    const double p = std::min(std::max(c.server_score, 1e-6), 1.0 - 1e-6);
    ScoredCandidate sc;
    sc.index = static_cast<int>(i);
    sc.value = std::log(p / (1.0 - p));
    result.ranked.push_back(sc);
  }
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const ScoredCandidate& a, const ScoredCandidate& b) {
                     return a.value > b.value;
                   });
  return result;
}

Status Ranker::Observe(const Event&) {
  return Status(StatusCode::kUnimplemented, "observe: not yet");
}
std::string Ranker::ExportProfile() const { return "{}"; }
Status Ranker::ImportProfile(const std::string&) {
  return Status(StatusCode::kUnimplemented, "import: not yet");
}
void Ranker::Reset() {}
Status Ranker::Forget(const std::string&) {
  return Status(StatusCode::kUnimplemented, "forget: not yet");
}
void Ranker::PauseLearning(bool paused) { impl_->paused = paused; }
bool Ranker::learning_paused() const { return impl_->paused; }
bool Ranker::IsUserAdjustable(Head head) {
  return head != Head::kContinue && head != Head::kNegative;
}
Status Ranker::SetObjectiveWeight(Head, double) {
  return Status(StatusCode::kUnimplemented, "not yet");
}
Status Ranker::SetObjectiveWeights(const std::string&) {
  return Status(StatusCode::kUnimplemented, "not yet");
}
Status Ranker::LoadModelPack(const std::string&) {
  return Status(StatusCode::kUnimplemented, "not yet");
}
std::string Ranker::ModelPackJson() const { return "{}"; }
std::vector<Interest> Ranker::TopInterests(int) const { return {}; }
ProfileStats Ranker::Stats() const { return {}; }

}  // namespace reelrank
