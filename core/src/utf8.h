// UTF-8 well-formedness (RFC 3629: no overlong forms, no surrogates, no code
// point above U+10FFFF). Every string the core keeps in a profile must be
// well-formed so that an export (JSON) reproduces it byte for byte.
#ifndef REELRANK_CORE_SRC_UTF8_H_
#define REELRANK_CORE_SRC_UTF8_H_

#include <cstddef>
#include <string_view>

namespace reelrank {

// Length (2-4) of the well-formed multi-byte sequence starting at p[0]
// (a byte >= 0x80), reading at most `n` bytes; 0 when it is malformed or
// truncated.
int Utf8SequenceLength(const unsigned char* p, size_t n);

// True when `s` is well-formed UTF-8 (an ASCII-only string takes one pass).
bool IsValidUtf8(std::string_view s);

}  // namespace reelrank

#endif  // REELRANK_CORE_SRC_UTF8_H_
