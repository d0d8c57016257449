// Private: JSON helpers shared by profile, snapshot and event serialization.
#ifndef REELRANK_SRC_SERIAL_H_
#define REELRANK_SRC_SERIAL_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "reelrank/event.h"
#include "reelrank/profile.h"
#include "reelrank/status.h"

namespace reelrank {
namespace serial {

using json = nlohmann::json;

std::string Hex64(uint64_t v);

// Typed reads that record the first error (kDataLoss "<prefix>.<key>: why")
// and return a default afterwards, so parsing code reads straight through.
class Reader {
 public:
  explicit Reader(std::string root) : root_(std::move(root)) {}
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  void Fail(const std::string& path, const std::string& why);

  const json* Field(const json& obj, const char* key, const std::string& path);
  double Num(const json& obj, const char* key, const std::string& path);
  int64_t Int(const json& obj, const char* key, const std::string& path);
  bool Bool(const json& obj, const char* key, const std::string& path);
  std::string Str(const json& obj, const char* key, const std::string& path);
  uint64_t Hex(const json& obj, const char* key, const std::string& path);
  // An array field (nullptr on error).
  const json* Arr(const json& obj, const char* key, const std::string& path);
  // Array of numbers into floats (exact for values written from floats).
  void Floats(const json& obj, const char* key, const std::string& path,
              std::vector<float>* out);

 private:
  std::string root_;
  Status status_;
};

json SnapshotToJson(const ItemSnapshot& s);
void SnapshotFromJson(const json& j, const std::string& path, int dim,
                      Reader* r, ItemSnapshot* out);
json EventToJson(const Event& e);
void EventFromJson(const json& j, const std::string& path, Reader* r,
                   Event* out);
json ProfileToJsonValue(const Profile& p);
void ProfileFromJsonValue(const json& j, const std::string& path, int dim,
                          Reader* r, Profile* out);

}  // namespace serial
}  // namespace reelrank

#endif  // REELRANK_SRC_SERIAL_H_
