#include "prior.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace reelrank {
namespace eval {
namespace {

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

bool IsIdFeature(const std::string& name) {
  return name.rfind("author:", 0) == 0 || name.rfind("video:", 0) == 0 ||
         name.rfind("music:", 0) == 0;
}

}  // namespace

std::string DurationBucket(int64_t duration_ms) {
  if (duration_ms <= 0) return "none";
  static const int64_t kEdges[] = {5000,  7000,  9000,  12000, 15000,  18000,
                                   22000, 30000, 45000, 60000, 120000, 300000};
  static const char* kNames[] = {
      "<5s",    "5-7s",   "7-9s",   "9-12s", "12-15s", "15-18s", "18-22s",
      "22-30s", "30-45s", "45-60s", "1-2m",  "2-5m",   ">5m"};
  int b = 0;
  while (b < 12 && duration_ms >= kEdges[b]) ++b;
  return kNames[b];
}

void PriorModel::Features(const Video& video, int64_t duration_ms,
                          std::vector<std::string>* out) {
  out->clear();
  const std::string dur = DurationBucket(duration_ms);
  out->push_back("dur:" + dur);
  out->push_back("upload:" + video.upload_type);
  out->push_back("upload_dur:" + video.upload_type + "|" + dur);
  out->push_back("type:" + video.video_type);
  out->push_back("music_type:" + std::to_string(video.music_type));
  const char* orient = video.width > video.height   ? "landscape"
                       : video.width < video.height ? "portrait"
                                                    : "square";
  out->push_back(std::string("orient:") + orient);
  for (int t : video.tags) {
    out->push_back("tag:" + std::to_string(t));
    out->push_back("tag_dur:" + std::to_string(t) + "|" + dur);
  }
  out->push_back("author:" + std::to_string(video.author_id));
  out->push_back("video:" + std::to_string(video.video_id));
}

void PriorModel::Train(const std::vector<const LogRow*>& rows,
                       const std::unordered_map<int64_t, Video>& videos,
                       const PriorOptions& options) {
  struct Example {
    std::vector<double*> w;
    std::vector<double*> g2;
    std::vector<bool> id;
    int y;
  };
  w_.clear();
  std::unordered_map<std::string, double> g2;
  std::vector<Example> data;
  data.reserve(rows.size());
  int64_t pos = 0;
  std::vector<std::string> names;
  for (const LogRow* r : rows) {
    auto it = videos.find(r->video_id);
    if (it == videos.end()) continue;
    Features(it->second, KnownDurationMs(*r, it->second), &names);
    Example ex;
    ex.y = r->long_view ? 1 : 0;
    pos += ex.y;
    for (const std::string& n : names) {
      ex.w.push_back(&w_[n]);  // unordered_map references stay valid
      ex.g2.push_back(&g2[n]);
      ex.id.push_back(IsIdFeature(n));
    }
    data.push_back(std::move(ex));
  }
  base_rate_ = data.empty() ? 0.09
                            : (static_cast<double>(pos) + 1.0) /
                                  (static_cast<double>(data.size()) + 2.0);
  bias_ = std::log(base_rate_ / (1.0 - base_rate_));
  double bias_g2 = 0.0;
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::mt19937_64 rng(options.seed);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t idx : order) {
      Example& ex = data[idx];
      double z = bias_;
      for (double* w : ex.w) z += *w;
      const double g = Sigmoid(z) - ex.y;
      bias_g2 += g * g;
      bias_ -= options.learning_rate * g / std::sqrt(bias_g2 + 1e-8);
      for (size_t k = 0; k < ex.w.size(); ++k) {
        const double l2 = ex.id[k] ? options.l2_id : options.l2;
        const double gk = g + l2 * (*ex.w[k]);
        *ex.g2[k] += gk * gk;
        *ex.w[k] -= options.learning_rate * gk / std::sqrt(*ex.g2[k] + 1e-8);
      }
    }
  }
}

double PriorModel::Predict(const Video& video, int64_t duration_ms) const {
  std::vector<std::string> names;
  Features(video, duration_ms, &names);
  double z = bias_;
  for (const std::string& n : names) {
    auto it = w_.find(n);
    if (it != w_.end()) z += it->second;
  }
  return Sigmoid(z);
}

}  // namespace eval
}  // namespace reelrank
