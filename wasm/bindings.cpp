// Embind registrations only. Marshalling lives in marshal.cpp; all ranking
// logic lives in core/. Raw names start with '_' and are wrapped by web/
// (web/index.js), which is the public API.
//
// `_Ranker` is the one long-lived handle: `new _Ranker(configJson)`, check
// `_initError()`, and call `delete()` exactly once when done.
#include <emscripten/bind.h>

#include "marshal.h"

EMSCRIPTEN_BINDINGS(reelrank) {
  using reelrank_wasm::RankerHandle;
  emscripten::function("_candidateStringLimits",
                       &reelrank_wasm::CandidateStringLimits);
  emscripten::class_<RankerHandle>("_Ranker")
      .constructor<const std::string&>()
      .function("_initError", &RankerHandle::initError)
      .function("_embeddingDim", &RankerHandle::embeddingDim)
      .function("_configJson", &RankerHandle::configJson)
      .function("_inputBuffer", &RankerHandle::inputBuffer)
      .function("_setCandidates", &RankerHandle::setCandidates)
      .function("_clearCandidates", &RankerHandle::clearCandidates)
      .function("_rankKept", &RankerHandle::rankKept)
      .function("_observe", &RankerHandle::observe)
      .function("_exportProfile", &RankerHandle::exportProfile)
      .function("_importProfileInput", &RankerHandle::importProfileInput)
      .function("_profileBytesLimit", &RankerHandle::profileBytesLimit)
      .function("_forget", &RankerHandle::forget)
      .function("_reset", &RankerHandle::reset)
      .function("_refreshFeed", &RankerHandle::refreshFeed)
      .function("_pauseLearning", &RankerHandle::pauseLearning)
      .function("_learningPaused", &RankerHandle::learningPaused)
      .function("_setPersonalization", &RankerHandle::setPersonalization)
      .function("_personalization", &RankerHandle::personalization)
      .function("_setClock", &RankerHandle::setClock)
      .function("_setObjectiveWeights", &RankerHandle::setObjectiveWeights)
      .function("_objectiveWeights", &RankerHandle::objectiveWeights)
      .function("_loadModelPack", &RankerHandle::loadModelPack)
      .function("_modelPackJson", &RankerHandle::modelPackJson)
      .function("_topInterests", &RankerHandle::topInterests)
      .function("_stats", &RankerHandle::stats)
      .function("_setPolicy", &RankerHandle::setPolicy)
      .function("_policyJson", &RankerHandle::policyJson)
      .function("_setUserControls", &RankerHandle::setUserControls)
      .function("_userControlsJson", &RankerHandle::userControlsJson)
      .function("_setPolicyAndControls", &RankerHandle::setPolicyAndControls)
      .function("_next", &RankerHandle::next)
      .function("_explain", &RankerHandle::explain);
}
