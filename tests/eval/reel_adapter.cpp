#include "reel_adapter.h"

#include <cmath>

namespace reelrank {
namespace eval {
namespace {
double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

ReelUnderTest::ReelUnderTest(const std::string& config_json)
    : config_json_(config_json) {
  ResetUser();
}

void ReelUnderTest::Prepare(const std::vector<UserSequence>& /*others*/) {}

void ReelUnderTest::ResetUser() {
  ranker_ = std::make_unique<Ranker>(RankerConfig{});
}

std::vector<ReelScore> ReelUnderTest::Score(
    const std::vector<Candidate>& candidates, const Context& context) {
  std::vector<ReelScore> out(candidates.size());
  RankResult r = ranker_->Rank(candidates, context);
  for (size_t pos = 0; pos < r.ranked.size(); ++pos) {
    ReelScore& s = out[r.ranked[pos].index];
    s.value = r.ranked[pos].value;
    s.p_long_view = Sigmoid(s.value);
    s.rank = static_cast<int>(pos);
  }
  return out;
}

void ReelUnderTest::Observe(const Candidate& /*candidate*/,
                            const std::vector<Event>& /*events*/) {}

std::string ReelUnderTest::Describe() const {
  return "slice ranker (server order)";
}

}  // namespace eval
}  // namespace reelrank
