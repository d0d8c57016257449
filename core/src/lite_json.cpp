#include "lite_json.h"

#include "utf8.h"

namespace reelrank {
namespace lite {

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 4 hex digits at s (which has at least 4 bytes), or -1.
int Hex4(const char* s) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = HexDigit(s[i]);
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

bool Doc::Parse(std::string_view text) {
  t_ = text;
  p_ = 0;
  nodes_.clear();
  nodes_.reserve(text.size() / 32 + 8);
  Ws();
  if (!Value(0, {}, false)) return false;
  Ws();
  return p_ == t_.size();
}

void Doc::Ws() {
  while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\r' ||
                            t_[p_] == '\t')) {
    ++p_;
  }
}

bool Doc::Literal(std::string_view word) {
  if (t_.substr(p_, word.size()) != word) return false;
  p_ += word.size();
  return true;
}

bool Doc::Number() {
  const size_t start = p_;
  const size_t n = t_.size();
  bool neg = false;
  if (p_ < n && t_[p_] == '-') {
    neg = true;
    ++p_;
  }
  if (p_ >= n || t_[p_] < '0' || t_[p_] > '9') return false;
  // Integer part, accumulated as a negative number (int64 min fits).
  bool fits = true;
  int64_t v = 0;
  if (t_[p_] == '0') {
    ++p_;
  } else {
    while (p_ < n && t_[p_] >= '0' && t_[p_] <= '9') {
      const int d = t_[p_] - '0';
      if (v < (INT64_MIN + d) / 10) fits = false;
      if (fits) v = v * 10 - d;
      ++p_;
    }
  }
  bool integral = true;
  if (p_ < n && t_[p_] == '.') {
    integral = false;
    ++p_;
    if (p_ >= n || t_[p_] < '0' || t_[p_] > '9') return false;
    while (p_ < n && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
  }
  if (p_ < n && (t_[p_] == 'e' || t_[p_] == 'E')) {
    integral = false;
    ++p_;
    if (p_ < n && (t_[p_] == '+' || t_[p_] == '-')) ++p_;
    if (p_ >= n || t_[p_] < '0' || t_[p_] > '9') return false;
    while (p_ < n && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
  }
  Node& node = nodes_.back();
  node.text = t_.substr(start, p_ - start);
  if (integral && fits && (neg || v != INT64_MIN)) {
    node.type = Type::kInt;
    node.int_value = neg ? v : -v;
  } else {
    node.type = Type::kNumber;
  }
  return true;
}

bool Doc::StringToken(std::string_view* content, bool* escaped) {
  const size_t n = t_.size();
  if (p_ >= n || t_[p_] != '"') return false;
  const size_t start = ++p_;
  *escaped = false;
  while (p_ < n) {
    const unsigned char c = static_cast<unsigned char>(t_[p_]);
    if (c == '"') {
      *content = t_.substr(start, p_ - start);
      ++p_;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      *escaped = true;
      if (++p_ >= n) return false;
      switch (t_[p_]) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          ++p_;
          break;
        case 'u': {
          if (p_ + 5 > n) return false;
          const int u = Hex4(&t_[p_ + 1]);
          if (u < 0) return false;
          p_ += 5;
          if (u >= 0xdc00 && u <= 0xdfff) return false;  // lone low
          if (u >= 0xd800 && u <= 0xdbff) {
            if (p_ + 6 > n || t_[p_] != '\\' || t_[p_ + 1] != 'u') return false;
            const int low = Hex4(&t_[p_ + 2]);
            if (low < 0xdc00 || low > 0xdfff) return false;
            p_ += 6;
          }
          break;
        }
        default:
          return false;
      }
      continue;
    }
    if (c < 0x80) {
      ++p_;
      continue;
    }
    const int len = Utf8SequenceLength(
        reinterpret_cast<const unsigned char*>(&t_[p_]), n - p_);
    if (len == 0) return false;
    p_ += static_cast<size_t>(len);
  }
  return false;
}

bool Doc::Value(int depth, std::string_view key, bool key_escaped) {
  if (depth > kMaxDepth || p_ >= t_.size()) return false;
  const uint32_t idx = static_cast<uint32_t>(nodes_.size());
  nodes_.emplace_back();
  nodes_[idx].key = key;
  nodes_[idx].key_escaped = key_escaped;
  const size_t start = p_;
  const char c = t_[p_];
  if (c == '{' || c == '[') {
    const bool obj = c == '{';
    const char close = obj ? '}' : ']';
    ++p_;
    Ws();
    uint32_t count = 0;
    if (p_ < t_.size() && t_[p_] == close) {
      ++p_;
    } else {
      for (;;) {
        Ws();
        std::string_view k;
        bool kesc = false;
        if (obj) {
          if (!StringToken(&k, &kesc)) return false;
          Ws();
          if (p_ >= t_.size() || t_[p_] != ':') return false;
          ++p_;
          Ws();
        }
        if (!Value(depth + 1, k, kesc)) return false;
        ++count;
        Ws();
        if (p_ < t_.size() && t_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < t_.size() && t_[p_] == close) {
          ++p_;
          break;
        }
        return false;
      }
    }
    nodes_[idx].type = obj ? Type::kObject : Type::kArray;
    nodes_[idx].size = count;
    nodes_[idx].text = t_.substr(start, p_ - start);
  } else if (c == '"') {
    std::string_view s;
    bool esc = false;
    if (!StringToken(&s, &esc)) return false;
    nodes_[idx].type = Type::kString;
    nodes_[idx].text = s;
    nodes_[idx].escaped = esc;
  } else if (c == 't' || c == 'f' || c == 'n') {
    const std::string_view word = c == 't'   ? "true"
                                  : c == 'f' ? "false"
                                             : "null";
    if (!Literal(word)) return false;
    nodes_[idx].type = c == 't'   ? Type::kTrue
                       : c == 'f' ? Type::kFalse
                                  : Type::kNull;
    nodes_[idx].text = word;
  } else {
    if (!Number()) return false;
  }
  nodes_[idx].end = static_cast<uint32_t>(nodes_.size());
  return true;
}

uint32_t Doc::Find(uint32_t obj, std::string_view key) const {
  const Node& o = nodes_[obj];
  if (o.type != Type::kObject) return kNone;
  uint32_t c = obj + 1;
  for (uint32_t k = 0; k < o.size; ++k, c = nodes_[c].end) {
    if (!nodes_[c].key_escaped && nodes_[c].key == key) return c;
  }
  return kNone;
}

std::string Doc::String(uint32_t i) const {
  const Node& s = nodes_[i];
  if (!s.escaped) return std::string(s.text);
  std::string out;
  out.reserve(s.text.size());
  const std::string_view t = s.text;
  for (size_t k = 0; k < t.size(); ++k) {
    if (t[k] != '\\') {
      out.push_back(t[k]);
      continue;
    }
    const char e = t[++k];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(Hex4(&t[k + 1]));
        k += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {  // validated: a low one follows
          const uint32_t low = static_cast<uint32_t>(Hex4(&t[k + 3]));
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          k += 6;
        }
        AppendUtf8(cp, &out);
        break;
      }
      default:  // '"', '\\', '/'
        out.push_back(e);
    }
  }
  return out;
}

bool DepthWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace lite
}  // namespace reelrank
