// Private: learning from events (shared by Observe, forget-replay and
// import-replay, so all of them compute identical bits).
//
// Events open, accumulate and close views (signals.h). A view learns its
// heads when it closes (a swipe-away or the next impression): a view that
// ends without either (say the app closes after a `complete`) is learned at
// the next impression. Events that settle one head at once learn it then:
// `complete` the finish head, engagements their head, `not_interested` /
// `report` the negative head. The model itself is in scorer.h.
#ifndef REELRANK_SRC_LEARNER_H_
#define REELRANK_SRC_LEARNER_H_

#include <memory>

#include "reelrank/config.h"
#include "reelrank/event.h"
#include "reelrank/model_pack.h"
#include "reelrank/profile.h"

namespace reelrank {

// Learns one event about item `s` (deterministic, no clock, no RNG).
void ApplyEvent(Profile* p, const ModelPack& pack, const RankerConfig& cfg,
                const Event& e, const std::shared_ptr<const ItemSnapshot>& s);

}  // namespace reelrank

#endif  // REELRANK_SRC_LEARNER_H_
