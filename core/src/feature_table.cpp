#include "reelrank/feature_table.h"

#include <algorithm>
#include <cmath>

namespace reelrank {

int DurationBucket(int64_t ms) {
  static constexpr int64_t kEdges[] = {7000,  15000,  30000,
                                       60000, 120000, 300000};
  int b = 0;
  while (b < 6 && ms >= kEdges[b]) ++b;
  return b;
}

double DecayFactor(int64_t dt_ms, int64_t half_life_ms) {
  if (dt_ms <= 0 || half_life_ms <= 0) return 1.0;
  return std::exp2(-static_cast<double>(dt_ms) /
                   static_cast<double>(half_life_ms));
}

FeatureEntry* FeatureTable::Find(uint64_t key) {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

const FeatureEntry* FeatureTable::Find(uint64_t key) const {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

FeatureEntry* FeatureTable::Touch(uint64_t key, std::string_view name,
                                  int64_t now_ms, int64_t half_life_ms) {
  auto it = map_.find(key);
  if (it == map_.end()) {
    FeatureEntry e;
    e.name.assign(name.data(), name.size());
    e.last_seen_ms = now_ms;
    e.negative_ms = now_ms;
    return &map_.emplace(key, std::move(e)).first->second;
  }
  FeatureEntry& e = it->second;
  if (now_ms > e.last_seen_ms) {
    const double f = DecayFactor(now_ms - e.last_seen_ms, half_life_ms);
    if (f < 1.0) {
      e.sightings = static_cast<float>(e.sightings * f);
      for (FtrlCoord& c : e.coords) c.z = static_cast<float>(c.z * f);
    }
    e.last_seen_ms = now_ms;
  }
  return &e;
}

void FeatureTable::Enforce(int64_t now_ms, const ProfileConfig& config,
                           bool sweep_expired) {
  if (sweep_expired) {
    for (auto it = map_.begin(); it != map_.end();) {
      if (now_ms - it->second.last_seen_ms > config.feature_expiry_ms) {
        it = map_.erase(it);  // order-independent: the result is a set
      } else {
        ++it;
      }
    }
  }
  const size_t cap = static_cast<size_t>(config.max_features);
  if (map_.size() <= cap) return;
  const size_t target = cap - cap / 16;
  struct Item {
    double value;
    int64_t last_seen;
    uint64_t key;
  };
  std::vector<Item> items;
  items.reserve(map_.size());
  for (const auto& kv : map_) {
    const FeatureEntry& e = kv.second;
    const double v =
        e.sightings *
            DecayFactor(now_ms - e.last_seen_ms, config.feature_half_life_ms) +
        10.0 * e.negative *
            DecayFactor(now_ms - e.negative_ms, config.negative_half_life_ms);
    items.push_back({v, e.last_seen_ms, kv.first});
  }
  const size_t evict = map_.size() - target;
  auto less = [](const Item& a, const Item& b) {
    if (a.value != b.value) return a.value < b.value;
    if (a.last_seen != b.last_seen) return a.last_seen < b.last_seen;
    return a.key < b.key;
  };
  std::nth_element(items.begin(), items.begin() + (evict - 1), items.end(),
                   less);
  for (size_t i = 0; i < evict; ++i) map_.erase(items[i].key);
}

void FeatureTable::Put(uint64_t key, FeatureEntry entry) {
  map_[key] = std::move(entry);
}

std::vector<std::pair<uint64_t, const FeatureEntry*>> FeatureTable::Sorted()
    const {
  std::vector<std::pair<uint64_t, const FeatureEntry*>> out;
  out.reserve(map_.size());
  for (const auto& kv : map_) out.emplace_back(kv.first, &kv.second);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace reelrank
