#include "reelrank/prepared_batch.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "prepared.h"
#include "reelrank/feature_table.h"
#include "reelrank/key_hash.h"

namespace reelrank {

PreparedBatch::PreparedBatch() : data_(new Data) {}
PreparedBatch::PreparedBatch(std::unique_ptr<Data> data)
    : data_(std::move(data)) {}
PreparedBatch::~PreparedBatch() = default;
PreparedBatch::PreparedBatch(PreparedBatch&& other) noexcept
    : data_(std::move(other.data_)) {
  other.data_.reset(new Data);
}
PreparedBatch& PreparedBatch::operator=(PreparedBatch&& other) noexcept {
  if (this != &other) {
    data_ = std::move(other.data_);
    other.data_.reset(new Data);
  }
  return *this;
}

const std::vector<Candidate>& PreparedBatch::candidates() const {
  return *data_->candidates;
}
const std::vector<Rejection>& PreparedBatch::rejected() const {
  return data_->rejected;
}
int PreparedBatch::embedding_dim() const { return data_->embedding_dim; }

namespace {

// The hour-dependent part of item.snap (built for hour 0): where the
// category x hour cross is, its key for each hour bucket, and whether
// patching it reproduces BuildItemSnapshot for every hour.
void PrepareHourCross(const Candidate& c, PreparedItem* item) {
  item->cat_hour = -1;
  item->patchable = true;
  if (c.category.empty()) return;  // no hour-dependent feature
  const ItemSnapshot& s = item->snap;
  for (size_t f = 0; f < s.features.size(); ++f) {
    if (s.features[f].kind == FeatureKind::kCatHour) {
      item->cat_hour = static_cast<int>(f);
    }
  }
  // Missing for hour 0: it collided with an earlier feature.
  if (item->cat_hour < 0) {
    item->patchable = false;
    return;
  }
  const ItemFeature& ch = s.features[item->cat_hour];
  std::string name(s.name(ch));
  for (int b = 0; b < 4; ++b) {
    name.back() = static_cast<char>('0' + b);
    const uint64_t key = FeatureKey(name);
    item->cat_hour_keys[b] = key;
    // BuildItemSnapshot adds the cross last and drops it when an earlier
    // feature has the same key.
    for (int g = 0; g < item->cat_hour; ++g) {
      if (s.features[g].key == key) item->patchable = false;
    }
  }
}

}  // namespace

void PrepareData(int embedding_dim, bool precompute, PreparedBatch::Data* d) {
  const std::vector<Candidate>& candidates = *d->candidates;
  const size_t n = candidates.size();
  d->embedding_dim = embedding_dim;
  d->rejected.clear();
  d->valid.assign(n, 0);
  d->items.clear();
  d->feature_keys.clear();
  d->serial = 0;
  std::vector<std::pair<uint64_t, int>> ids;
  ids.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // Validate without building the field name; rebuild it only on error.
    Status s = ValidateCandidate(candidates[i], embedding_dim, std::string());
    if (!s.ok()) {
      s = ValidateCandidate(candidates[i], embedding_dim,
                            "candidates[" + std::to_string(i) + "]");
      d->rejected.push_back({static_cast<int>(i), std::move(s)});
      continue;
    }
    d->valid[i] = 1;
    ids.emplace_back(FeatureKey(candidates[i].id), static_cast<int>(i));
  }
  // Duplicate ids: the first valid occurrence wins.
  std::sort(ids.begin(), ids.end());
  bool any_dup = false;
  for (size_t k = 1; k < ids.size(); ++k) {
    for (size_t j = k; j-- > 0 && ids[j].first == ids[k].first;) {
      const int a = ids[j].second, b = ids[k].second;
      if (d->valid[a] && candidates[a].id == candidates[b].id) {
        d->valid[b] = 0;
        any_dup = true;
        d->rejected.push_back(
            {b, Status::Invalid("candidates[" + std::to_string(b) + "].id",
                                "duplicate id '" + candidates[b].id + "'")});
        break;
      }
    }
  }
  if (any_dup) {
    std::sort(d->rejected.begin(), d->rejected.end(),
              [](const Rejection& x, const Rejection& y) {
                return x.index < y.index;
              });
  }
  if (!precompute) return;
  static std::atomic<uint64_t> next_serial{0};
  const uint64_t serial = ++next_serial;
  d->serial = serial;
  d->items.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!d->valid[i]) continue;
    PreparedItem& item = d->items[i];
    PrepareItem(candidates[i], &item);
    item.batch = serial;
    item.batch_index = static_cast<int>(i);
  }
  // The batch's feature dictionary.
  std::unordered_map<uint64_t, uint32_t, KeyHash> id_of;
  auto id = [&](uint64_t key) {
    auto [it, added] =
        id_of.emplace(key, static_cast<uint32_t>(d->feature_keys.size()));
    if (added) d->feature_keys.push_back(key);
    return it->second;
  };
  for (size_t i = 0; i < n; ++i) {
    if (!d->valid[i] || !d->items[i].patchable) continue;
    PreparedItem& item = d->items[i];
    item.feature_ids.clear();
    for (const ItemFeature& f : item.snap.features) {
      item.feature_ids.push_back(id(f.key));
    }
    if (item.cat_hour >= 0) {
      for (int b = 0; b < 4; ++b)
        item.cat_hour_ids[b] = id(item.cat_hour_keys[b]);
    }
  }
}

void PrepareItem(const Candidate& c, PreparedItem* item) {
  BuildItemSnapshot(c, 0, &item->snap);
  PrepareHourCross(c, item);
  item->policy = MakePolicyMatchInput(c);
}

bool AppendFeatureIdsAt(const PreparedBatch::Data& d, const PreparedItem& item,
                        int hour_of_day, std::vector<uint32_t>* out) {
  if (d.serial == 0 || item.batch != d.serial || !item.patchable) return false;
  const size_t at = out->size();
  out->insert(out->end(), item.feature_ids.begin(), item.feature_ids.end());
  if (item.cat_hour >= 0) {
    (*out)[at + item.cat_hour] =
        item.cat_hour_ids[std::clamp(hour_of_day, 0, 23) / 6];
  }
  return true;
}

void SnapshotAt(const Candidate& c, const PreparedItem& item, int hour_of_day,
                ItemSnapshot* out) {
  if (!item.patchable) {
    BuildItemSnapshot(c, hour_of_day, out);
    return;
  }
  const ItemSnapshot& s = item.snap;
  const int hour = std::clamp(hour_of_day, 0, 23);
  out->item_key = s.item_key;
  out->duration_ms = s.duration_ms;
  out->server_score = s.server_score;
  out->hour = hour;
  out->features.assign(s.features.begin(), s.features.end());
  out->names.assign(s.names);
  out->embedding.assign(s.embedding.begin(), s.embedding.end());
  if (item.cat_hour >= 0) {
    ItemFeature& f = out->features[item.cat_hour];
    f.key = item.cat_hour_keys[hour / 6];
    out->names[f.name_begin + f.name_len - 1] =
        static_cast<char>('0' + hour / 6);
  }
}

}  // namespace reelrank
