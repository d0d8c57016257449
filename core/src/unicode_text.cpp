#include "unicode_text.h"

#include <algorithm>
#include <array>
#include <atomic>

#include "utf8.h"

namespace reelrank {
namespace {

#include "unicode_tables.inc"  // generated (core/tools/gen_unicode_tables.py)

// Word-break classes, in the generator's WB_CLASSES order.
enum WordBreak : uint8_t {
  kOther = 0,
  kCR,
  kLF,
  kNewline,
  kExtend,
  kZWJ,
  kRegionalIndicator,
  kFormat,
  kKatakana,
  kHebrewLetter,
  kALetter,
  kSingleQuote,
  kDoubleQuote,
  kMidNumLet,
  kMidLetter,
  kMidNum,
  kNumeric,
  kExtendNumLet,
  kWSegSpace,
};
constexpr uint8_t kWordBreakMask = 0x1f;
constexpr uint8_t kExtPict = 1 << 5;
constexpr uint8_t kWordChar = 1 << 6;
constexpr uint8_t kNfcCheck = 1 << 7;

constexpr char32_t kReplacement = 0xfffd;
constexpr char32_t kHangulSBase = 0xac00, kHangulLBase = 0x1100,
                   kHangulVBase = 0x1161, kHangulTBase = 0x11a7;
constexpr int kHangulLCount = 19, kHangulVCount = 21, kHangulTCount = 28;
constexpr int kHangulNCount = kHangulVCount * kHangulTCount;
constexpr int kHangulSCount = kHangulLCount * kHangulNCount;

// A reader of the generator's varint streams.
class Stream {
 public:
  template <size_t N>
  explicit Stream(const unsigned char (&data)[N]) : p_(data), end_(data + N) {}
  bool done() const { return p_ >= end_; }
  uint32_t U() {
    uint32_t n = 0;
    for (int shift = 0; p_ < end_; shift += 7) {
      const unsigned char b = *p_++;
      n |= static_cast<uint32_t>(b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    return n;
  }
  int32_t Z() {
    const uint32_t n = U();
    return (n & 1) ? -static_cast<int32_t>((n + 1) >> 1)
                   : static_cast<int32_t>(n >> 1);
  }

 private:
  const unsigned char* p_;
  const unsigned char* end_;
};

struct RangeTable {
  std::vector<uint32_t> start;
  std::vector<uint8_t> value;
  uint8_t Get(char32_t cp) const {
    auto it =
        std::upper_bound(start.begin(), start.end(), static_cast<uint32_t>(cp));
    return it == start.begin() ? 0 : value[(it - start.begin()) - 1];
  }
};

struct FoldRun {
  uint32_t count = 0;  // code points in the run
  uint8_t stride = 1;  // 1 or 2
  uint8_t kind = 0;    // 0: cp + delta, 1: removed, 2: pool string
  uint8_t length = 0;  // kind 2: code points in the pool
  int32_t data = 0;    // kind 0: delta; kind 2: pool offset
};

struct Tables {
  RangeTable props, ccc;
  std::array<uint8_t, 128> ascii_props{};
  std::vector<uint32_t> fold_start;
  std::vector<FoldRun> fold;
  std::vector<char32_t> fold_pool;
  // Canonical decompositions (one level), sorted by code point; second 0
  // for a singleton.
  std::vector<uint32_t> decomp_cp;
  std::vector<std::pair<char32_t, char32_t>> decomp_pair;
  // The primary composites' pairs, sorted: (first << 21 | second) -> cp.
  std::vector<uint64_t> compose_key;
  std::vector<char32_t> compose_cp;

  Tables() {
    ReadRanges(Stream(unicode_tables::kProps), &props);
    ReadRanges(Stream(unicode_tables::kCcc), &ccc);
    for (char32_t c = 0; c < 128; ++c) ascii_props[c] = props.Get(c);
    Stream f(unicode_tables::kFold);
    uint32_t end = 0;
    int32_t delta = 0;
    while (!f.done()) {
      const uint32_t start = end + f.U();
      const uint32_t info = f.U();
      FoldRun r;
      r.count = info >> 3;
      r.stride = static_cast<uint8_t>(((info >> 2) & 1) + 1);
      r.kind = static_cast<uint8_t>(info & 3);
      if (r.kind == 0) {
        delta += f.Z();
        r.data = delta;
      } else if (r.kind == 2) {
        r.length = static_cast<uint8_t>(f.U());
        r.data = static_cast<int32_t>(fold_pool.size());
        int32_t at = static_cast<int32_t>(start);
        for (int k = 0; k < r.length; ++k) {
          at += f.Z();
          fold_pool.push_back(static_cast<char32_t>(at));
        }
      }
      fold_start.push_back(start);
      fold.push_back(r);
      end = start + (r.count - 1) * r.stride + 1;
    }
    std::vector<char32_t> seconds;
    Stream s(unicode_tables::kDecompSecond);
    for (uint32_t at = 0; !s.done();) {
      at += s.U();
      seconds.push_back(at);
    }
    Stream d(unicode_tables::kDecomp);
    std::vector<std::pair<uint64_t, char32_t>> compose;
    for (uint32_t at = 0; !d.done();) {
      at += d.U();
      const char32_t first = static_cast<char32_t>(at + d.Z());
      const uint32_t k = d.U();
      const uint32_t index = k >> 1;
      const char32_t second =
          index >= 1 && index <= seconds.size() ? seconds[index - 1] : 0;
      decomp_cp.push_back(at);
      decomp_pair.emplace_back(first, second);
      if (second != 0 && (k & 1) == 0) {
        compose.emplace_back(static_cast<uint64_t>(first) << 21 | second, at);
      }
    }
    std::sort(compose.begin(), compose.end());
    for (const auto& c : compose) {
      compose_key.push_back(c.first);
      compose_cp.push_back(c.second);
    }
  }

  static void ReadRanges(Stream s, RangeTable* t) {
    for (uint32_t at = 0; !s.done();) {
      at += s.U();
      t->start.push_back(at);
      t->value.push_back(static_cast<uint8_t>(s.U()));
    }
  }

  uint8_t Props(char32_t cp) const {
    return cp < 128 ? ascii_props[cp] : props.Get(cp);
  }

  // Appends NFKC_Casefold(cp) to `out`.
  void Fold(char32_t cp, std::u32string* out) const {
    if (cp < 128) {
      out->push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
      return;
    }
    auto it = std::upper_bound(fold_start.begin(), fold_start.end(),
                               static_cast<uint32_t>(cp));
    if (it != fold_start.begin()) {
      const size_t i = (it - fold_start.begin()) - 1;
      const FoldRun& r = fold[i];
      const uint32_t off = static_cast<uint32_t>(cp) - fold_start[i];
      if (off % r.stride == 0 && off / r.stride < r.count) {
        if (r.kind == 0) {
          out->push_back(
              static_cast<char32_t>(static_cast<int32_t>(cp) + r.data));
        } else if (r.kind == 2) {
          out->append(fold_pool.data() + r.data, r.length);
        }
        return;
      }
    }
    out->push_back(cp);
  }

  // Appends the full canonical decomposition of cp.
  void Decompose(char32_t cp, std::u32string* out) const {
    if (cp >= kHangulSBase && cp < kHangulSBase + kHangulSCount) {
      const int s = static_cast<int>(cp - kHangulSBase);
      out->push_back(kHangulLBase + s / kHangulNCount);
      out->push_back(kHangulVBase + (s % kHangulNCount) / kHangulTCount);
      if (s % kHangulTCount != 0)
        out->push_back(kHangulTBase + s % kHangulTCount);
      return;
    }
    auto it = std::lower_bound(decomp_cp.begin(), decomp_cp.end(),
                               static_cast<uint32_t>(cp));
    if (it == decomp_cp.end() || *it != cp) {
      out->push_back(cp);
      return;
    }
    const auto& pair = decomp_pair[it - decomp_cp.begin()];
    Decompose(pair.first, out);
    if (pair.second != 0) Decompose(pair.second, out);
  }

  // The primary composite of (a, b), or 0.
  char32_t Compose(char32_t a, char32_t b) const {
    // Hangul LV and LV + T.
    if (a >= kHangulLBase && a < kHangulLBase + kHangulLCount &&
        b >= kHangulVBase && b < kHangulVBase + kHangulVCount) {
      return kHangulSBase +
             ((a - kHangulLBase) * kHangulVCount + (b - kHangulVBase)) *
                 kHangulTCount;
    }
    if (a >= kHangulSBase && a < kHangulSBase + kHangulSCount &&
        (a - kHangulSBase) % kHangulTCount == 0 && b > kHangulTBase &&
        b < kHangulTBase + kHangulTCount) {
      return a + (b - kHangulTBase);
    }
    const uint64_t key = static_cast<uint64_t>(a) << 21 | b;
    auto it = std::lower_bound(compose_key.begin(), compose_key.end(), key);
    if (it == compose_key.end() || *it != key) return 0;
    return compose_cp[it - compose_key.begin()];
  }
};

const Tables& T() {
  static const Tables* const kTables = new Tables();
  return *kTables;
}

// Canonical ordering: each run of non-starters stably sorted by ccc (runs are
// a few marks long: insertion sort).
void CanonicalOrder(const Tables& t, std::u32string* s) {
  std::u32string& d = *s;
  for (size_t i = 1; i < d.size(); ++i) {
    const char32_t c = d[i];
    const uint8_t cc = t.ccc.Get(c);
    if (cc == 0) continue;
    size_t j = i;
    while (j > 0) {
      const uint8_t prev = t.ccc.Get(d[j - 1]);
      if (prev <= cc || prev == 0) break;
      d[j] = d[j - 1];
      --j;
    }
    d[j] = c;
  }
}

// Canonical composition of a decomposed, ordered sequence (in place; UAX #15
// sample algorithm). A character composes with the last starter unless a
// character of the same or a higher class, or a starter, is in between.
void Compose(const Tables& t, std::u32string* s) {
  std::u32string& d = *s;
  if (d.empty()) return;
  size_t starter = 0, out = 1;
  int last_class = t.ccc.Get(d[0]) == 0 ? 0 : 256;
  for (size_t i = 1; i < d.size(); ++i) {
    const char32_t c = d[i];
    const int cls = t.ccc.Get(c);
    const char32_t comp =
        last_class < cls || last_class == 0 ? t.Compose(d[starter], c) : 0;
    if (comp != 0 && last_class != 256) {
      d[starter] = comp;
      continue;
    }
    if (cls == 0) starter = out;
    last_class = cls;
    d[out++] = c;
  }
  d.resize(out);
}

// NFD: full canonical decomposition, then canonical ordering.
std::u32string Nfd(const Tables& t, const std::u32string& in) {
  std::u32string d;
  d.reserve(in.size() + 8);
  for (char32_t c : in) t.Decompose(c, &d);
  CanonicalOrder(t, &d);
  return d;
}

std::u32string NfcImpl(const Tables& t, const std::u32string& in,
                       bool loosen_turkish) {
  std::u32string d = Nfd(t, in);
  if (loosen_turkish) {
    // A dot above on i (what İ folds to) is dropped: the i is dotted anyway.
    size_t out = 0;
    char32_t last_starter = 0;
    for (char32_t c : d) {
      if (c == 0x307 && last_starter == 'i') continue;
      if (t.ccc.Get(c) == 0) last_starter = c;
      d[out++] = c;
    }
    d.resize(out);
  }
  Compose(t, &d);
  return d;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3f)));
  }
}

// Decodes one code point at s[*i] (advancing *i); U+FFFD for a bad byte.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + *i;
  if (p[0] < 0x80) {
    ++*i;
    return p[0];
  }
  const int len = Utf8SequenceLength(p, s.size() - *i);
  if (len == 0) {
    ++*i;
    return kReplacement;
  }
  char32_t c = p[0] & (0xff >> (len + 1));
  for (int k = 1; k < len; ++k) c = (c << 6) | (p[k] & 0x3f);
  *i += static_cast<size_t>(len);
  return c;
}

bool Ignorable(uint8_t wb) {
  return wb == kExtend || wb == kFormat || wb == kZWJ;
}
bool AHLetter(uint8_t wb) { return wb == kALetter || wb == kHebrewLetter; }
bool MidLetterQ(uint8_t wb) {
  return wb == kMidLetter || wb == kMidNumLet || wb == kSingleQuote;
}
bool MidNumQ(uint8_t wb) {
  return wb == kMidNum || wb == kMidNumLet || wb == kSingleQuote;
}
bool Newlineish(uint8_t wb) { return wb == kNewline || wb == kCR || wb == kLF; }

// Calls on_break(i) for each UAX #29 word boundary 0 < i < n of the code
// points whose kProps bytes are props(0..n-1).
template <typename Props, typename OnBreak>
void ForEachBoundary(const Props& props, size_t n, OnBreak on_break) {
  auto cls = [&props](ptrdiff_t i) -> uint8_t {
    return props(static_cast<size_t>(i)) & kWordBreakMask;
  };
  // The position of the character WB4 makes stand for position p (p itself,
  // or the non-ignorable one before a run of Extend / Format / ZWJ), or -1
  // when there is none (sot, or the run follows a newline).
  auto left_of = [&](ptrdiff_t p) -> ptrdiff_t {
    while (p >= 0 && Ignorable(cls(p))) --p;
    if (p < 0 || Newlineish(cls(p))) return -1;
    return p;
  };
  auto right_of = [&](size_t p) -> ptrdiff_t {  // first non-ignorable >= p
    while (p < n && Ignorable(cls(p))) ++p;
    return p < n ? static_cast<ptrdiff_t>(p) : -1;
  };
  for (size_t i = 1; i < n; ++i) {
    const uint8_t prev = cls(i - 1), cur = cls(i);
    bool brk;
    if (prev == kCR && cur == kLF) {
      brk = false;  // WB3
    } else if (Newlineish(prev) || Newlineish(cur)) {
      brk = true;  // WB3a, WB3b
    } else if (prev == kZWJ && (props(i) & kExtPict)) {
      brk = false;  // WB3c
    } else if (prev == kWSegSpace && cur == kWSegSpace) {
      brk = false;  // WB3d
    } else if (Ignorable(cur)) {
      brk = false;  // WB4
    } else {
      const ptrdiff_t l = left_of(static_cast<ptrdiff_t>(i) - 1);
      if (l < 0) {
        brk = true;  // an unattached Extend / Format / ZWJ on the left
      } else {
        const uint8_t a = cls(l);
        // The characters before `a` and after `cur` (WB4 applied), looked
        // up only by the rules that need them.
        auto aa = [&]() -> uint8_t {
          const ptrdiff_t ll = left_of(l - 1);
          return ll >= 0 ? cls(ll) : uint8_t{kOther};
        };
        auto b = [&]() -> uint8_t {
          const ptrdiff_t r = right_of(i + 1);
          return r >= 0 ? cls(r) : uint8_t{kOther};
        };
        if (AHLetter(a) && AHLetter(cur)) {
          brk = false;  // WB5
        } else if (AHLetter(a) && MidLetterQ(cur) && AHLetter(b())) {
          brk = false;  // WB6
        } else if (MidLetterQ(a) && AHLetter(cur) && AHLetter(aa())) {
          brk = false;  // WB7
        } else if (a == kHebrewLetter && cur == kSingleQuote) {
          brk = false;  // WB7a
        } else if (a == kHebrewLetter && cur == kDoubleQuote &&
                   b() == kHebrewLetter) {
          brk = false;  // WB7b
        } else if (a == kDoubleQuote && cur == kHebrewLetter &&
                   aa() == kHebrewLetter) {
          brk = false;  // WB7c
        } else if ((a == kNumeric || AHLetter(a)) && cur == kNumeric) {
          brk = false;  // WB8, WB9
        } else if (a == kNumeric && AHLetter(cur)) {
          brk = false;  // WB10
        } else if (MidNumQ(a) && cur == kNumeric && aa() == kNumeric) {
          brk = false;  // WB11
        } else if (a == kNumeric && MidNumQ(cur) && b() == kNumeric) {
          brk = false;  // WB12
        } else if (a == kKatakana && cur == kKatakana) {
          brk = false;  // WB13
        } else if ((AHLetter(a) || a == kNumeric || a == kKatakana ||
                    a == kExtendNumLet) &&
                   cur == kExtendNumLet) {
          brk = false;  // WB13a
        } else if (a == kExtendNumLet &&
                   (AHLetter(cur) || cur == kNumeric || cur == kKatakana)) {
          brk = false;  // WB13b
        } else if (a == kRegionalIndicator && cur == kRegionalIndicator) {
          // WB15, WB16: pairs; count the regional indicators before i.
          size_t count = 0;
          for (ptrdiff_t p = l; p >= 0 && cls(p) == kRegionalIndicator;
               p = left_of(p - 1)) {
            ++count;
          }
          brk = count % 2 == 0;
        } else {
          brk = true;  // WB999
        }
      }
    }
    if (brk) on_break(i);
  }
}

std::atomic<uint64_t> fold_count{0};

}  // namespace

const char* UnicodeVersion() { return unicode_tables::kUnicodeVersion; }

uint64_t FoldTextCount() { return fold_count.load(std::memory_order_relaxed); }

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) out.push_back(NextCodePoint(text, &i));
  return out;
}

std::string EncodeUtf8(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) AppendUtf8(c, &out);
  return out;
}

std::u32string Nfc(const std::u32string& text) {
  return NfcImpl(T(), text, false);
}

std::string FoldText(std::string_view text) {
  fold_count.fetch_add(1, std::memory_order_relaxed);
  std::string out(text);
  bool ascii = true;
  for (char& ch : out) {
    const unsigned char u = static_cast<unsigned char>(ch);
    if (u >= 0x80) {
      ascii = false;
      break;
    }
    if (u >= 'A' && u <= 'Z') ch = static_cast<char>(u + 32);
  }
  if (ascii) return out;
  // toNFKC_Casefold: NFD, each character mapped by NFKC_Casefold, NFC.
  const Tables& t = T();
  std::u32string in = DecodeUtf8(text);
  // Without a combining mark the order cannot change, and mapping a
  // precomposed character gives what mapping its decomposition gives.
  bool marks = false;
  for (char32_t c : in) marks |= c >= 0x300 && t.ccc.Get(c) != 0;
  if (marks) in = Nfd(t, in);
  std::u32string mapped;
  mapped.reserve(in.size());
  bool check = false;
  for (char32_t c : in) {
    const size_t at = mapped.size();
    t.Fold(c, &mapped);
    for (size_t k = at; k < mapped.size(); ++k) {
      if (mapped[k] == 0x131) mapped[k] = 'i';  // dotless ı: i
      check |= (t.Props(mapped[k]) & kNfcCheck) != 0;
    }
  }
  // Without a combining mark or a character that may compose with the one
  // before it, the mapped text is already NFC.
  return EncodeUtf8(check ? NfcImpl(t, mapped, true) : mapped);
}

namespace {

bool IsWordProps(uint8_t p) {
  return (p & (kWordChar | kExtPict)) != 0 ||
         (p & kWordBreakMask) == kRegionalIndicator;
}

// The word spans of the n code points with kProps bytes props(i) starting
// at byte offset(i) (offset(n) = the end).
template <typename Props, typename Offset>
void Words(const Props& props, const Offset& offset, size_t n, size_t max_words,
           std::vector<std::pair<uint32_t, uint32_t>>* out) {
  // A segment is a word when one of its code points is.
  size_t begin = 0, next = 0;
  bool word = false;
  auto end_segment = [&](size_t end) {
    for (; next < end; ++next) word |= IsWordProps(props(next));
    if (word && out->size() < max_words) {
      out->emplace_back(offset(begin), offset(end));
    }
    begin = end;
    word = false;
  };
  ForEachBoundary(props, n, end_segment);
  end_segment(n);
}

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> FoldWords(std::string_view folded,
                                                     size_t max_words) {
  std::vector<std::pair<uint32_t, uint32_t>> words;
  if (folded.empty() || max_words == 0) return words;
  words.reserve(std::min(max_words, folded.size() / 4 + 1));
  const Tables& t = T();
  const auto* bytes = reinterpret_cast<const unsigned char*>(folded.data());
  bool ascii = true;
  for (size_t i = 0; i < folded.size() && ascii; ++i) ascii = bytes[i] < 0x80;
  if (ascii) {  // one code point per byte
    Words([&](size_t i) { return t.ascii_props[bytes[i]]; },
          [](size_t i) { return static_cast<uint32_t>(i); }, folded.size(),
          max_words, &words);
    return words;
  }
  // Per code point: its kProps byte and byte offset (scratch kept between
  // calls: this runs once per candidate at prepare time).
  thread_local std::vector<uint8_t> props;
  thread_local std::vector<uint32_t> offset;
  props.clear();
  offset.clear();
  for (size_t i = 0; i < folded.size();) {
    offset.push_back(static_cast<uint32_t>(i));
    props.push_back(t.Props(NextCodePoint(folded, &i)));
  }
  offset.push_back(static_cast<uint32_t>(folded.size()));
  const uint8_t* p = props.data();
  const uint32_t* o = offset.data();
  Words([p](size_t i) { return p[i]; }, [o](size_t i) { return o[i]; },
        props.size(), max_words, &words);
  return words;
}

std::vector<size_t> WordBoundaries(const std::u32string& text) {
  const Tables& t = T();
  std::vector<uint8_t> props;
  for (char32_t c : text) props.push_back(t.Props(c));
  std::vector<size_t> out;
  if (text.empty()) return out;
  out.push_back(0);
  const uint8_t* p = props.data();
  ForEachBoundary([p](size_t i) { return p[i]; }, props.size(),
                  [&](size_t i) { out.push_back(i); });
  out.push_back(text.size());
  return out;
}

}  // namespace reelrank
