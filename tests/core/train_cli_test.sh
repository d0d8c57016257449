#!/usr/bin/env bash
# ctest: reelrank_train on a small file with good and bad lines writes a pack
# that loads, reports each bad line with its line number, and exits 0; with
# no usable line it exits 1; with a missing input 2.
set -u
bin="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
good='{"candidate":{"id":"v1","author":"a","tags":["t"],"duration_ms":15000,"server_score":0.3},"outcome":{"play_ms":15000,"completed":true}}'
good2='{"candidate":{"id":"v2","duration_ms":15000,"server_score":0.6},"outcome":{"play_ms":1200}}'
{
  echo "$good"; echo "$good2"
  echo '{"candidate":{"id":"v3","duration_ms":"x"},"outcome":{}}'
  echo 'not json'
  echo ''
  printf '{"candidate":{"id":"\xff","duration_ms":1},"outcome":{}}\n'
  for i in $(seq 1 50); do echo "$good"; echo "$good2"; done
} > "$dir/views.jsonl"
"$bin" --in "$dir/views.jsonl" --out "$dir/pack.json" 2> "$dir/err" || { cat "$dir/err"; echo "FAIL: exit $?"; exit 1; }
grep -q 'views.jsonl:3: candidate.duration_ms: expected a number' "$dir/err" || { cat "$dir/err"; echo "FAIL: line 3 not reported"; exit 1; }
grep -q 'views.jsonl:4: line: malformed JSON' "$dir/err" || { cat "$dir/err"; echo "FAIL: line 4 not reported"; exit 1; }
grep -q 'views.jsonl:6: ' "$dir/err" || { cat "$dir/err"; echo "FAIL: line 6 not reported"; exit 1; }
grep -q '102 views used, 3 lines skipped' "$dir/err" || { cat "$dir/err"; echo "FAIL: summary"; exit 1; }
grep -q '"format": "reelrank-model-pack"' "$dir/pack.json" || { echo "FAIL: no pack"; exit 1; }
echo 'nothing' > "$dir/bad.jsonl"
"$bin" --in "$dir/bad.jsonl" --out "$dir/p2.json" 2>/dev/null; [ $? = 1 ] || { echo "FAIL: no usable line should exit 1"; exit 1; }
"$bin" --in "$dir/missing.jsonl" --out "$dir/p3.json" 2>/dev/null; [ $? = 2 ] || { echo "FAIL: missing input should exit 2"; exit 1; }
echo PASS
