// Unicode text for matching (core/src/unicode_text.h): conformance with the
// Unicode Character Database's own test files (NormalizationTest for NFC and
// for folding canonical / compatibility equivalents alike, WordBreakTest for
// UAX #29), and the folds policy matching relies on.
#include "unicode_text.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace reelrank {
namespace {

std::u32string Hex(const std::string& field) {
  std::u32string out;
  std::istringstream in(field);
  std::string h;
  while (in >> h)
    out.push_back(static_cast<char32_t>(std::stoul(h, nullptr, 16)));
  return out;
}

std::string Show(const std::u32string& s) {
  std::ostringstream o;
  for (char32_t c : s) o << std::hex << static_cast<uint32_t>(c) << ' ';
  return o.str();
}

TEST(UnicodeTextTest, NfcConformsToNormalizationTest) {
  std::ifstream in(REELRANK_NORMALIZATION_TEST);
  ASSERT_TRUE(in) << REELRANK_NORMALIZATION_TEST;
  int cases = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::vector<std::u32string> c;
    std::istringstream fields(line);
    std::string f;
    for (int k = 0; k < 5 && std::getline(fields, f, ';'); ++k)
      c.push_back(Hex(f));
    ASSERT_EQ(c.size(), 5u) << line;
    // c2 == NFC(c1) == NFC(c2) == NFC(c3); c4 == NFC(c4) == NFC(c5).
    EXPECT_EQ(Nfc(c[0]), c[1]) << line;
    EXPECT_EQ(Nfc(c[1]), c[1]) << line;
    EXPECT_EQ(Nfc(c[2]), c[1]) << line;
    EXPECT_EQ(Nfc(c[3]), c[3]) << line;
    EXPECT_EQ(Nfc(c[4]), c[3]) << line;
    // All five are compatibility-equivalent: they fold alike, and the fold
    // is stable.
    const std::string fold = FoldText(EncodeUtf8(c[0]));
    for (int k = 1; k < 5; ++k) {
      EXPECT_EQ(FoldText(EncodeUtf8(c[k])), fold)
          << line << " column " << k + 1;
    }
    EXPECT_EQ(FoldText(fold), fold) << line;
    ++cases;
  }
  EXPECT_GT(cases, 19000);
}

TEST(UnicodeTextTest, WordBoundariesConformToWordBreakTest) {
  std::ifstream in(REELRANK_WORD_BREAK_TEST);
  ASSERT_TRUE(in) << REELRANK_WORD_BREAK_TEST;
  int cases = 0;
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    // "÷ 0001 × 0308 ÷ 0001 ÷": ÷ is a boundary, × none.
    std::u32string text;
    std::vector<size_t> want;
    std::istringstream tokens(line);
    std::string t;
    while (tokens >> t) {
      if (t == "\xc3\xb7") {
        want.push_back(text.size());
      } else if (t != "\xc3\x97") {
        text.push_back(static_cast<char32_t>(std::stoul(t, nullptr, 16)));
      }
    }
    EXPECT_EQ(WordBoundaries(text), want) << line;
    ++cases;
  }
  EXPECT_GT(cases, 1800);
}

TEST(UnicodeTextTest, FoldIsStableForEveryCodePoint) {
  for (char32_t c = 0; c <= 0x10ffff; ++c) {
    if (c >= 0xd800 && c <= 0xdfff) continue;  // not encodable
    const std::string once = FoldText(EncodeUtf8(std::u32string(1, c)));
    ASSERT_EQ(FoldText(once), once) << std::hex << static_cast<uint32_t>(c);
  }
}

// The folds keyword and hashtag matching relies on.
TEST(UnicodeTextTest, FoldsCaseWidthLigaturesAccentsAndTurkishI) {
  EXPECT_EQ(FoldText("SpOiLeR"), "spoiler");
  EXPECT_EQ(FoldText("\xef\xbc\xb3\xef\xbc\xb0\xef\xbc\xaf"), "spo");  // ＳＰＯ
  EXPECT_EQ(FoldText("STRASSE"), FoldText("stra\xc3\x9f"
                                          "e"));  // ß
  EXPECT_EQ(FoldText("\xe1\xba\x9e"), "ss");      // ẞ
  EXPECT_EQ(FoldText("\xef\xac\x81x"), "fix");    // ﬁ
  EXPECT_EQ(FoldText("caf"
                     "e\xcc\x81"),
            "caf\xc3\xa9");                            // e + U+0301
  EXPECT_EQ(FoldText("CAF\xc3\x89"), "caf\xc3\xa9");   // É
  EXPECT_EQ(FoldText("\xc4\xb0STANBUL"), "istanbul");  // İ
  EXPECT_EQ(FoldText("\xc4\xb1stanbul"), "istanbul");  // ı
  EXPECT_EQ(FoldText("ISPARTA"), FoldText("\xc4\xb1sparta"));
  EXPECT_EQ(FoldText("spo\xc2\xadiler"), "spoiler");  // soft hyphen removed
  EXPECT_EQ(FoldText("a\xc2\xa0"
                     "b"),
            "a b");                            // no-break space
  EXPECT_EQ(FoldText("\xe2\x80\xa6"), "...");  // ellipsis
  // Hangul composes from jamo.
  EXPECT_EQ(FoldText("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab"),
            "\xed\x95\x9c");  // 한
  // Invalid UTF-8 reads as U+FFFD.
  EXPECT_EQ(FoldText("a\xff"), "a\xef\xbf\xbd");
}

std::vector<std::string> Words(const std::string& text) {
  const std::string f = FoldText(text);
  std::vector<std::string> out;
  for (auto [b, e] : FoldWords(f, 1000)) out.push_back(f.substr(b, e - b));
  return out;
}

TEST(UnicodeTextTest, WordsSplitAtPunctuationSpacesAndBetweenIdeographs) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Words("\xe2\x80\x9cspoiler\xe2\x80\x9d"), V{"spoiler"});  // “ ”
  EXPECT_EQ(Words("no\xe2\x80\x94spoiler\xe2\x80\xa6"),               // — …
            (V{"no", "spoiler"}));
  EXPECT_EQ(Words("\xc2\xbfspoiler?"), V{"spoiler"});     // ¿
  EXPECT_EQ(Words("spoiler\xe3\x80\x82"), V{"spoiler"});  // 。
  EXPECT_EQ(Words("spoiler\xf0\x9f\x94\xa5"),             // 🔥
            (V{"spoiler", "\xf0\x9f\x94\xa5"}));
  EXPECT_EQ(Words("don't x_y 3.14"), (V{"don't", "x_y", "3.14"}));
  EXPECT_EQ(Words("\xe5\x89\xa7\xe9\x80\x8f"),  // 剧透: one word per ideograph
            (V{"\xe5\x89\xa7", "\xe9\x80\x8f"}));
  EXPECT_TRUE(Words(" .,!? ").empty());
  EXPECT_EQ(FoldWords(FoldText("a b c d"), 2).size(), 2u);
}

// ASCII text takes a shortcut through the same rules: it splits exactly as
// the general path does (forced by a non-ASCII word appended).
TEST(UnicodeTextTest, AsciiWordsEqualTheGeneralPath) {
  const std::string alphabet = "aZ09_'.:,;\" \n\r\t-!#";
  uint64_t state = 12345;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int len = static_cast<int>(state % 12);
    for (int i = 0; i < len; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      text.push_back(alphabet[(state >> 33) % alphabet.size()]);
    }
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto ascii = FoldWords(text, 1000);
    auto general = FoldWords(text + " \xc3\xa9", 1000);
    ASSERT_FALSE(general.empty());
    general.pop_back();
    EXPECT_EQ(ascii, general) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace reelrank
