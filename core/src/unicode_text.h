// Private: Unicode text for matching (policy keywords, hashtags, ids).
//
// FoldText gives the form two strings are compared in: toNFKC_Casefold
// (Unicode case folding, compatibility normalization, default-ignorable code
// points removed, then NFC), plus one language-independent loosening: Turkish
// dotless ı (U+0131) and the dot above of İ (U+0130 folds to i + U+0307) fold
// to plain i. So "ＳＰＯＩＬＥＲ", "Spoiler", "ｓｐｏｉｌｅｒ" fold alike,
// "STRASSE" == "straße", "ﬁx" == "fix", "e\u0301" == "é", "İSTANBUL" ==
// "istanbul". FoldWords then splits folded text into words by UAX #29 word
// boundaries: a word is a segment with a letter, mark, digit, connector
// punctuation, pictograph or regional indicator. Scripts written without
// spaces (Han, Hiragana, Thai, ...) segment into single characters, so a
// phrase of them matches as a substring.
//
// The data tables are generated at build time from the Unicode Character
// Database (Debian's unicode-data) by core/tools/gen_unicode_tables.py.
// Input is UTF-8; an invalid byte reads as U+FFFD.
#ifndef REELRANK_CORE_SRC_UNICODE_TEXT_H_
#define REELRANK_CORE_SRC_UNICODE_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reelrank {

// The Unicode version of the tables, e.g. "15.0.0".
const char* UnicodeVersion();

// The folded form of `text` (see the file comment). ASCII text takes one pass
// (it folds to lower case).
std::string FoldText(std::string_view text);
// How many times FoldText has run in this process (tests check that ranking
// a prepared batch folds nothing).
uint64_t FoldTextCount();

// The byte spans [begin, end) of the words of `folded` (FoldText output), in
// order, at most `max_words` of them.
std::vector<std::pair<uint32_t, uint32_t>> FoldWords(std::string_view folded,
                                                     size_t max_words);

// ---- exposed for the conformance tests -----------------------------------

// NFC (Unicode normalization form C) of a code point sequence.
std::u32string Nfc(const std::u32string& text);
// The UAX #29 word boundaries of a code point sequence: positions 0..size
// between which it breaks, including 0 and size (for a non-empty sequence).
std::vector<size_t> WordBoundaries(const std::u32string& text);
// UTF-8 <-> code points (invalid bytes decode to U+FFFD).
std::u32string DecodeUtf8(std::string_view text);
std::string EncodeUtf8(const std::u32string& text);

}  // namespace reelrank

#endif  // REELRANK_CORE_SRC_UNICODE_TEXT_H_
