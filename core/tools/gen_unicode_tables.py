#!/usr/bin/env python3
"""Generates the Unicode data tables of core/src/unicode_text.cpp.

Reads the Unicode Character Database as Debian's `unicode-data` package
installs it (/usr/share/unicode) and writes one C++ include file (to the build
tree; it is never committed):

  kProps      per code point range: word-break class (5 bits),
              Extended_Pictographic (bit 5), "word character" (general
              category L*, M*, N*, Pc; bit 6) and "NFC check needed" (ccc != 0
              or NFC_Quick_Check != Yes; bit 7)
  kCcc        canonical combining class ranges
  kFold       the NFKC_Casefold mapping (DerivedNormalizationProps NFKC_CF) as
              runs: cp -> cp + delta (stride 1 or 2), cp -> "" (removed), or
              cp -> a code point string
  kDecomp*    canonical decompositions (one level, as in UnicodeData.txt) and
              whether each is excluded from composition

Each is a compact varint stream (layouts below, at "streams"), decoded once at
first use. The streams are decoded here as the C++ decodes them and checked
against the source data for every code point before anything is written.

  gen_unicode_tables.py --ucd /usr/share/unicode --out unicode_tables.inc
"""

import argparse
import bisect
import os
import re
import sys

MAX_CP = 0x10FFFF

# Word-break classes (UAX #29); the C++ enum WordBreak lists them in this
# order.
WB_CLASSES = [
    "Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator",
    "Format", "Katakana", "Hebrew_Letter", "ALetter", "Single_Quote",
    "Double_Quote", "MidNumLet", "MidLetter", "MidNum", "Numeric",
    "ExtendNumLet", "WSegSpace",
]

HANGUL_S_BASE, HANGUL_S_COUNT = 0xAC00, 11172


def ranges_of(path, want_field=None):
    """Yields (lo, hi, fields) of a UCD property file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            cps = fields[0]
            if ".." in cps:
                lo, hi = (int(x, 16) for x in cps.split(".."))
            else:
                lo = hi = int(cps, 16)
            if want_field is not None and fields[1] != want_field:
                continue
            yield lo, hi, fields


def read_unicode_data(ucd):
    """General category, ccc and canonical decomposition per code point."""
    gc, ccc, decomp = {}, {}, {}
    first = None
    with open(os.path.join(ucd, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split(";")
            cp = int(p[0], 16)
            if p[1].endswith(", First>"):
                first = cp
                continue
            lo = first if p[1].endswith(", Last>") else cp
            first = None
            for c in range(lo, cp + 1):
                gc[c] = p[2]
                if p[3] != "0":
                    ccc[c] = int(p[3])
            if p[5] and not p[5].startswith("<"):
                decomp[cp] = [int(x, 16) for x in p[5].split()]
    return gc, ccc, decomp


def read_version(ucd):
    with open(os.path.join(ucd, "DerivedNormalizationProps.txt"),
              encoding="utf-8") as f:
        m = re.search(r"DerivedNormalizationProps-([0-9.]+)\.txt", f.readline())
    return m.group(1) if m else "unknown"


def build_range_table(value_of, bits):
    """[(start, value)] with an implied end at the next start (value 0 where
    nothing applies)."""
    out = []
    prev = None
    for cp in range(MAX_CP + 1):
        v = value_of(cp)
        assert 0 <= v < (1 << bits)
        if v != prev:
            out.append((cp, v))
            prev = v
    return out


def lookup_range(starts, values, cp):
    return values[bisect.bisect_right(starts, cp) - 1]


def build_fold_runs(fold):
    """Runs over the NFKC_CF mapping (a dict cp -> list of cps).

    Each run is (start, count, stride, kind, payload): kind "delta" maps
    start + k*stride to itself + payload, "empty" maps to nothing, "string"
    (count 1) maps to the code point list `payload`. No run starts inside
    another's span, so the last run starting at or before a code point is
    the only one that can hold it."""
    mapped = sorted(fold)
    runs = []
    i = 0
    covered_to = -1
    while i < len(mapped):
        cp = mapped[i]
        if cp <= covered_to:
            i += 1
            continue
        out = fold[cp]
        best = None
        if len(out) == 0:
            n = 1
            while cp + n in fold and len(fold[cp + n]) == 0:
                n += 1
            best = (cp, n, 1, "empty", 0)
        elif len(out) == 1:
            delta = out[0] - cp
            for stride in (1, 2):
                n = 1
                while True:
                    nxt = cp + n * stride
                    m = fold.get(nxt)
                    if m is None or len(m) != 1 or m[0] - nxt != delta:
                        break
                    # stride 2: the code points in between must be unmapped
                    if stride == 2 and (nxt - 1) in fold:
                        break
                    n += 1
                if best is None or n > best[1]:
                    best = (cp, n, stride, "delta", delta)
        else:
            best = (cp, 1, 1, "string", out)
        runs.append(best)
        covered_to = best[0] + (best[1] - 1) * best[2]
        i += 1
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ucd", default="/usr/share/unicode")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    ucd = args.ucd

    gc, ccc, decomp = read_unicode_data(ucd)
    version = read_version(ucd)

    wb = {}
    for lo, hi, f in ranges_of(
            os.path.join(ucd, "auxiliary", "WordBreakProperty.txt")):
        for c in range(lo, hi + 1):
            wb[c] = WB_CLASSES.index(f[1])
    ext_pict = set()
    for lo, hi, f in ranges_of(os.path.join(ucd, "emoji", "emoji-data.txt"),
                               "Extended_Pictographic"):
        ext_pict.update(range(lo, hi + 1))
    dnp = os.path.join(ucd, "DerivedNormalizationProps.txt")
    nfc_qc_not_yes = set()
    for lo, hi, f in ranges_of(dnp, "NFC_QC"):
        nfc_qc_not_yes.update(range(lo, hi + 1))
    comp_excl = set()
    for lo, hi, f in ranges_of(dnp, "Full_Composition_Exclusion"):
        comp_excl.update(range(lo, hi + 1))
    fold = {}
    for lo, hi, f in ranges_of(dnp, "NFKC_CF"):
        out = [int(x, 16) for x in f[2].split()] if len(f) > 2 else []
        for c in range(lo, hi + 1):
            fold[c] = out

    # ---- kProps --------------------------------------------------------
    def props(cp):
        g = gc.get(cp, "Cn")
        word = g[0] in "LMN" or g == "Pc"
        check = cp in ccc or cp in nfc_qc_not_yes
        return (wb.get(cp, 0) | (cp in ext_pict) << 5 | word << 6 |
                check << 7)

    prop_table = build_range_table(props, 8)
    ccc_table = build_range_table(lambda cp: ccc.get(cp, 0), 8)

    # ---- kFold ---------------------------------------------------------
    runs = build_fold_runs(fold)

    # ---- kDecomp -------------------------------------------------------
    seconds = sorted({d[1] for d in decomp.values() if len(d) == 2})
    for cp, d in decomp.items():
        assert len(d) in (1, 2), hex(cp)

    # ---- streams ---------------------------------------------------------
    # Every table is a byte stream of unsigned LEB128 varints ("v"), signed
    # ones zigzag-coded ("z"), decoded once at first use (unicode_text.cpp):
    #   kProps / kCcc: per range  v(start - previous start) v(value)
    #   kFold: per run  v(start - end of the previous run)
    #                   v(count << 3 | (stride - 1) << 2 | kind)
    #          kind 0 (delta): z(delta - previous delta run's delta)
    #          kind 1 (empty): nothing
    #          kind 2 (string): v(length) then per code point z(cp - the
#                           previous one), the first one from start
    #   kDecompSecond: v(cp - previous) per distinct second code point
    #   kDecomp: per decomposable cp  v(cp - previous cp) z(first - cp)
    #            v((index of its second code point in kDecompSecond + 1, or 0
    #            for a singleton) << 1 | excluded from composition)
    def v(n, out):
        assert n >= 0
        while True:
            x, n = n & 0x7F, n >> 7
            out.append(x | 0x80 if n else x)
            if not n:
                return

    def z(n, out):
        v(n << 1 if n >= 0 else ((-n) << 1) - 1, out)

    def range_stream(table):
        out, prev = bytearray(), 0
        for start, value in table:
            v(start - prev, out)
            v(value, out)
            prev = start
        return out

    fold_stream, prev_end, prev_delta = bytearray(), 0, 0
    KIND = {"delta": 0, "empty": 1, "string": 2}
    for start, count, stride, kind, payload in runs:
        v(start - prev_end, fold_stream)
        v(count << 3 | (stride - 1) << 2 | KIND[kind], fold_stream)
        if kind == "delta":
            z(payload - prev_delta, fold_stream)
            prev_delta = payload
        elif kind == "string":
            v(len(payload), fold_stream)
            at = start
            for c in payload:
                z(c - at, fold_stream)
                at = c
        prev_end = start + (count - 1) * stride + 1
    second_stream, prev = bytearray(), 0
    for c in seconds:
        v(c - prev, second_stream)
        prev = c
    decomp_stream, prev = bytearray(), 0
    for cp in sorted(decomp):
        d = decomp[cp]
        v(cp - prev, decomp_stream)
        z(d[0] - cp, decomp_stream)
        second = seconds.index(d[1]) + 1 if len(d) == 2 else 0
        v(second << 1 | (cp in comp_excl), decomp_stream)
        prev = cp

    # ---- verification: decode the streams as the C++ does ---------------
    def reader(stream):
        pos = [0]

        def rv():
            n, shift = 0, 0
            while True:
                b = stream[pos[0]]
                pos[0] += 1
                n |= (b & 0x7F) << shift
                shift += 7
                if b < 0x80:
                    return n

        def rz():
            n = rv()
            return (n >> 1) if not n & 1 else -((n + 1) >> 1)

        return rv, rz, lambda: pos[0] == len(stream)

    def decode_ranges(stream):
        rv, _, done = reader(stream)
        starts, values, at = [], [], 0
        while not done():
            at += rv()
            starts.append(at)
            values.append(rv())
        return starts, values

    ps, pv = decode_ranges(range_stream(prop_table))
    cs, cv = decode_ranges(range_stream(ccc_table))
    rv, rz, done = reader(fold_stream)
    fold_runs, end, delta = [], 0, 0
    while not done():
        start = end + rv()
        info = rv()
        count, stride, kind = info >> 3, (info >> 2 & 1) + 1, info & 3
        if kind == 0:
            delta += rz()
            payload = delta
        elif kind == 2:
            payload, at = [], start
            for _ in range(rv()):
                at += rz()
                payload.append(at)
        else:
            payload = None
        fold_runs.append((start, count, stride, kind, payload))
        end = start + (count - 1) * stride + 1
    fold_starts = [r[0] for r in fold_runs]

    def fold_lookup(cp):
        i = bisect.bisect_right(fold_starts, cp) - 1
        if i < 0:
            return None
        start, count, stride, kind, payload = fold_runs[i]
        off = cp - start
        if off % stride or off // stride >= count:
            return None
        return [cp + payload] if kind == 0 else ([] if kind == 1 else payload)

    rv, rz, done = reader(second_stream)
    got_seconds, at = [], 0
    while not done():
        at += rv()
        got_seconds.append(at)
    assert got_seconds == seconds
    rv, rz, done = reader(decomp_stream)
    got_decomp, got_excl, at = {}, set(), 0
    while not done():
        at += rv()
        first = at + rz()
        x = rv()
        got_decomp[at] = [first] + ([seconds[(x >> 1) - 1]] if x >> 1 else [])
        if x & 1:
            got_excl.add(at)
    assert got_decomp == decomp
    assert got_excl == comp_excl & set(decomp)
    for cp in range(MAX_CP + 1):
        assert lookup_range(ps, pv, cp) == props(cp), hex(cp)
        assert lookup_range(cs, cv, cp) == ccc.get(cp, 0), hex(cp)
        assert fold_lookup(cp) == fold.get(cp), hex(cp)

    # ---- output --------------------------------------------------------
    def arr(name, data):
        lines = [f"constexpr unsigned char {name}[] = {{"]
        for k in range(0, len(data), 16):
            lines.append("    " + ",".join(str(b) for b in data[k:k + 16]) +
                         ",")
        lines.append("};")
        return "\n".join(lines)

    streams = {
        "kProps": range_stream(prop_table),
        "kCcc": range_stream(ccc_table),
        "kFold": fold_stream,
        "kDecompSecond": second_stream,
        "kDecomp": decomp_stream,
    }
    parts = [
        "// Generated by core/tools/gen_unicode_tables.py from the Unicode",
        f"// Character Database {version} ({ucd}). Do not edit; not committed.",
        "// The stream layouts are documented in the generator.",
        "namespace unicode_tables {",
        f'constexpr char kUnicodeVersion[] = "{version}";',
    ] + [arr(k, d) for k, d in streams.items()] + [
        "}  // namespace unicode_tables",
        "",
    ]
    text = "\n".join(parts)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)
    print(f"unicode tables {version}: " +
          ", ".join(f"{k} {len(d)} B" for k, d in streams.items()) +
          f", total {sum(len(d) for d in streams.values())} B",
          file=sys.stderr)


if __name__ == "__main__":
    main()
