// Private: JSON helpers shared by profile, snapshot and event serialization.
//
// Two encodings of the same state:
//   version 1 (*ToJson / *FromJson): every float as decimal JSON text, every
//     log event with its own copy of the item snapshot. Read only (kept so
//     profiles saved by earlier builds still import).
//   version 2 (*ToV2 / *FromV2): the same JSON object structure, but float
//     data (feature z/n, interests, embeddings, single floats) and bulk
//     integers (feature keys, times, seen items) are base64 of little-endian
//     binary, and the feature table is stored by columns. The writers append
//     text directly and emit nlohmann's canonical compact form (sorted keys),
//     so dump(parse(text)) == text.
#ifndef REELRANK_SRC_SERIAL_H_
#define REELRANK_SRC_SERIAL_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "lite_json.h"
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

// --- Version 2 ---

// Base64 (RFC 4648 alphabet, padded) of raw bytes, appended to `out`.
void AppendBase64(const void* data, size_t n, std::string* out);
// Strict decode of canonical padded base64 (zero pad bits). False on error.
bool DecodeBase64(std::string_view text, std::string* out);
// `s` as a JSON string exactly as nlohmann's compact dump writes it.
void AppendJsonString(std::string_view s, std::string* out);

void SnapshotToV2(const ItemSnapshot& s, std::string* out);
// An event whose item is items[item_index] (the log stores items once).
void EventToV2(const Event& e, size_t item_index, std::string* out);
void ProfileToV2(const Profile& p, std::string* out);

// Typed reads of a version-2 document (lite::Doc nodes), recording the first
// error in a Reader like the version-1 reads. Fields are looked up by key.
class V2Reader {
 public:
  using Node = uint32_t;
  V2Reader(const lite::Doc& doc, Reader* r) : doc_(doc), r_(r) {}
  const lite::Doc& doc() const { return doc_; }
  Reader* reader() const { return r_; }
  bool ok() const { return r_->ok(); }

  // The member `key` of object `obj` (lite::Doc::kNone on error).
  Node Field(Node obj, const char* key, const std::string& path);
  int64_t Int(Node obj, const char* key, const std::string& path);
  std::string Str(Node obj, const char* key, const std::string& path);
  uint64_t Hex(Node obj, const char* key, const std::string& path);
  // An array member (kNone on error).
  Node Arr(Node obj, const char* key, const std::string& path);
  // A base64 string member holding little-endian binary values. Fails unless
  // the text is canonical padded base64 of whole values and (for floats)
  // every value is finite. `count` >= 0 requires that many values.
  void F32s(Node obj, const char* key, const std::string& path,
            std::vector<float>* out, long count = -1);
  void I64s(Node obj, const char* key, const std::string& path,
            std::vector<int64_t>* out, long count = -1);
  void U64s(Node obj, const char* key, const std::string& path,
            std::vector<uint64_t>* out, long count = -1);
  void U32s(Node obj, const char* key, const std::string& path,
            std::vector<uint32_t>* out, long count = -1);
  float F32(Node obj, const char* key, const std::string& path);
  double F64(Node obj, const char* key, const std::string& path);

 private:
  bool B64(Node obj, const char* key, const std::string& path, size_t width,
           long count, std::string* bytes);

  const lite::Doc& doc_;
  Reader* r_;
};

void SnapshotFromV2(V2Reader* v, V2Reader::Node node, const std::string& path,
                    int dim, ItemSnapshot* out);
// Reads the event; *item_index is the "item" field (range-checked by caller).
void EventFromV2(V2Reader* v, V2Reader::Node node, const std::string& path,
                 Event* out, int64_t* item_index);
void ProfileFromV2(V2Reader* v, V2Reader::Node node, const std::string& path,
                   int dim, Profile* out);

}  // namespace serial
}  // namespace reelrank

#endif  // REELRANK_SRC_SERIAL_H_
