// KeyHash: the hash of the core's hash maps keyed by 64-bit feature / item
// keys (FeatureKey values, already FNV-1a 64 hashes of names).
//
//   std::unordered_map<uint64_t, FeatureEntry, KeyHash> map;
//
// std::hash<uint64_t> is the identity where size_t has 64 bits, but on
// 32-bit targets (wasm32) libc++ runs murmur2 over the 8 bytes on every
// lookup. The keys are well mixed already, so folding the two halves is
// enough. Iteration order of such maps is unspecified; the core never
// depends on it (tables are sorted before anything is written out).
#ifndef REELRANK_KEY_HASH_H_
#define REELRANK_KEY_HASH_H_

#include <cstddef>
#include <cstdint>

namespace reelrank {

struct KeyHash {
  size_t operator()(uint64_t key) const noexcept {
    return static_cast<size_t>(key ^ (key >> 32));
  }
};

}  // namespace reelrank

#endif  // REELRANK_KEY_HASH_H_
