#!/usr/bin/env python3
"""Writes the small seed corpus in tests/fuzz/corpus/<target>/ (deterministic).

The targets read their input with FuzzedDataProvider: integers come from the
end of the input, strings from the front (a string ends at a backslash
followed by any other byte; a doubled backslash is one backslash).
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261127)


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def rand_bytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def fdp_string(s):
    return s.encode().replace(b"\\", b"\\\\") + b"\\x"


for i in range(6):
    write("candidates", f"seed{i}", rand_bytes(64 + 96 * i))
    write("events", f"seed{i}", rand_bytes(256 + 384 * i))

POLICIES = [
    '{"version": 1, "rules": [{"id": "violence", "priority": 100, "action": "drop",'
    ' "match": {"labels": ["violence", "gore"], "min_confidence": 0.7},'
    ' "reason": "violent content"}, {"id": "clickbait", "action": "demote",'
    ' "multiplier": 0.5, "match": {"labels": ["clickbait"]}}]}',
    '{"rules": [{"id": "b", "action": "boost", "multiplier": 3, "final": true,'
    ' "match": {"tags": ["cats", "#dogs"]}}, {"id": "d", "action": "drop",'
    ' "match": {"tags": ["cats"], "categories": ["news"]}}]}',
    '{"rules": [{"id": "kw", "action": "drop", "match": {"keywords": ["scam", "a b"]}},'
    ' {"id": "i", "action": "interstitial", "match": {"maturity_at_least": "teen"}},'
    ' {"id": "age", "action": "demote", "multiplier": 0.2,'
    ' "match": {"min_age_hours": 1, "max_age_hours": 1000, "regions": ["US"]}},'
    ' {"id": "au", "action": "drop", "priority": -3, "match": {"authors": ["a1"], "sounds": ["s2"]}}]}',
    '{"version": 1, "rules": []}',
    '{"rules": [{"id": "x", "action": "delete", "match": {}}]}',
]
CONTROLS = [
    '{}',
    '{"blocked_authors": ["a3"], "blocked_tags": ["dance"], "max_maturity": "teen"}',
    '{"blocked_keywords": ["prank"], "blocked_sounds": ["s1"],'
    ' "not_interested_topics": ["cats", {"topic": "dogs", "at_ms": 1700000000000}]}',
    '{"max_maturity": "general", "not_interested_topics": [{"topic": "food", "at_ms": 0}]}',
]
k = 0
for p in POLICIES:
    for c in CONTROLS[: 2 + (k % 3)]:
        write("policy", f"seed{k}", fdp_string(p) + fdp_string(c) + rand_bytes(300))
        k += 1

for mode in range(4):
    for i in range(3):
        # The mode is the last byte (FuzzedDataProvider reads integers from the end).
        write("profile", f"mode{mode}_{i}", rand_bytes(24 + 40 * i) + bytes([mode]))
write("profile", "text0", b'{"format": "reelrank-profile", "version": 1, "checksum": "0", "payload": {}}' + b"\x00")
# Format 2 in its canonical layout (the import fast path: raw-payload checksum,
# light parser), with a base64 field and an item reference to mutate.
write("profile", "text1", b'{"checksum":"0000000000000000","format":"reelrank-profile","payload":'
      b'{"checkpoint":{"dense_n":"AACAPw=="},"embedding_dim":4,"items":[],"log":[{"item":0}]},"version":2}' + b"\x00")

# ---- Issue 20 classes (2026-12-07), with their own generator so the seeds
# above stay as they are: int32-wrapping integers, Unicode separators, case
# folding and normalization in keywords / tags / authors / topics. Huge
# fields, photo posts (duration 0) and far-future timestamps come from the
# candidate and event generators (fuzz_gen.h) on any bytes.
rng = random.Random(20261207)
POLICIES_20 = [
    # A final boost at priority 2^31 (was read as -2^31) against a demote.
    '{"rules": [{"id": "b", "action": "boost", "multiplier": 2, "final": true,'
    ' "priority": 2147483648, "match": {"tags": ["cats"]}}, {"id": "d",'
    ' "action": "demote", "priority": 1, "match": {"tags": ["cats"]}}]}',
    '{"rules": [{"id": "m", "action": "drop", "match": {"maturity_at_least": 4294967298}}]}',
    '{"version": 4294967297, "rules": []}',
    '{"rules": [{"id": "p", "action": "drop", "priority": -2147483649, "match": {"tags": ["x"]}},'
    ' {"id": "q", "action": "boost", "priority": 1000000000, "match": {"tags": ["x"]}}]}',
    '{"rules": [{"id": "kw", "action": "drop", "match": {"keywords":'
    ' ["scam", "no prank", "\u5267\u900f", "stra\u00dfe", "caf\u00e9", "\uff33\uff23\uff21\uff2d"]}},'
    ' {"id": "tag", "action": "demote", "match": {"tags": ["#CAF\u00c9", "\uff03cats"],'
    ' "authors": ["\uff21\uff11"], "categories": ["\u0130stanbul"]}}]}',
    '{"rules": [{"id": "' + "i" * 129 + '", "action": "drop", "match": {"tags": ["x"]}}]}',
    '{"rules": [{"id": "r", "action": "drop", "reason": "' + "r" * 1025 + '", "match": {"tags": ["x"]}}]}',
]
CONTROLS_20 = [
    '{"max_maturity": 4294967298}',
    '{"blocked_keywords": ["scam", "\u0131stanbul", "\ufb01x", "prank\u2026"],'
    ' "blocked_tags": ["#CAF\u00c9"], "blocked_authors": ["\uff21\uff13"]}',
    '{"not_interested_topics": ["\u00c9T\u00c9", {"topic": "cats", "at_ms": 9223372036854775807}]}',
    '{"blocked_keywords": ["\u201cscam\u201d", "a\u00a0b", "\u00bfscam?"], "max_maturity": "teen"}',
]
k = 0
for p in POLICIES_20:
    for c in CONTROLS_20[: 2 + (k % 3)]:
        write("policy", f"issue20_{k}", fdp_string(p) + fdp_string(c) + rand_bytes(400))
        k += 1

# ---- Issue 20 profile classes (2026-12-08): nesting beyond
# Limits::kProfileDepth (refused before any parser runs), at the limit, and
# brackets inside strings (which do not count). Raw-text mode (last byte 0).
write("profile", "issue20_deep", b"[" * 1500 + b"]" * 1500 + b"\x00")
write("profile", "issue20_deep_obj", b'{"format":"reelrank-profile","version":2,"x":' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"}\x00")
write("profile", "issue20_at_limit", b'{"checksum":"0","format":"reelrank-profile","payload":' + b"[" * 30 + b"]" * 30 + b',"version":2}\x00')
write("profile", "issue20_brackets_in_strings", b'{"format":"reelrank-profile","version":2,"s":"' + b"[{" * 500 + b'\\"[","payload":{}}\x00')
