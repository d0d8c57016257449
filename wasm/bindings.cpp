// Embind registrations only. Marshalling lives in marshal.cpp; all ranking
// logic lives in core/. Raw names start with '_' and are wrapped by web/.
#include <emscripten/bind.h>

#include "marshal.h"
#include "reelrank/ranker.h"

EMSCRIPTEN_BINDINGS(reelrank) {
  emscripten::class_<reelrank_wasm::RankerHandle>("_Ranker")
      .constructor<int, double>()
      .function("_rank", &reelrank_wasm::RankerHandle::rank)
      .function("_embeddingDim", &reelrank_wasm::RankerHandle::embeddingDim);
}
