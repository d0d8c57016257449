// Private: a small, strict JSON parser for reading profiles (format 2).
//
// It parses into a flat array of nodes that point into the text (no copy of
// strings or numbers), so a profile whose bulk is long base64 strings parses
// in one pass over the bytes. nlohmann's lexer copies every string character
// by character, which in WebAssembly cost most of a restore.
//
// Strict RFC 8259: one value, whitespace around it; strings must be valid
// UTF-8 without raw control characters, escapes are checked (a \u high
// surrogate must be followed by a low one); numbers follow the JSON grammar.
// Nesting deeper than kMaxDepth is rejected (no unbounded recursion).
#ifndef REELRANK_SRC_LITE_JSON_H_
#define REELRANK_SRC_LITE_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reelrank {
namespace lite {

enum class Type : uint8_t {
  kNull,
  kFalse,
  kTrue,
  kInt,     // an integer that fits int64 (int_value)
  kNumber,  // any other number (fraction, exponent, or out of int64 range)
  kString,
  kArray,
  kObject,
};

struct Node {
  Type type = Type::kNull;
  bool escaped = false;      // kString: text holds escapes
  bool key_escaped = false;  // key holds escapes
  uint32_t end = 0;          // index one past this node's last descendant
  uint32_t size = 0;         // kArray / kObject: number of children
  int64_t int_value = 0;     // kInt
  std::string_view key;      // member name (raw, between the quotes)
  // kString: raw content between the quotes; numbers and literals: their
  // text; kArray / kObject: the whole value's text.
  std::string_view text;
};

class Doc {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr int kMaxDepth = 64;

  // Parses `text` (which must outlive the Doc). False if malformed.
  bool Parse(std::string_view text);

  const Node& node(uint32_t i) const { return nodes_[i]; }
  // Children of an array or object: the first is i + 1 (if size > 0), the
  // one after child c is node(c).end.
  uint32_t Next(uint32_t c) const { return nodes_[c].end; }
  // The member `key` of object `obj` (first match), or kNone.
  uint32_t Find(uint32_t obj, std::string_view key) const;
  // A string node's value, unescaped.
  std::string String(uint32_t i) const;

 private:
  bool Value(int depth, std::string_view key, bool key_escaped);
  bool StringToken(std::string_view* content, bool* escaped);
  bool Number();
  bool Literal(std::string_view word);
  void Ws();

  std::string_view t_;
  size_t p_ = 0;
  std::vector<Node> nodes_;
};

// True when no array or object in `text` nests deeper than `max_depth`
// (brackets inside strings do not count). One pass, no recursion, no
// allocation: a guard to run before a parser that recurses or allocates per
// level. Says nothing else about whether `text` is valid JSON.
bool DepthWithin(std::string_view text, int max_depth);

}  // namespace lite
}  // namespace reelrank

#endif  // REELRANK_SRC_LITE_JSON_H_
