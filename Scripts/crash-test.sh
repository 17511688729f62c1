#!/usr/bin/env bash
# Crash test: SIGKILL `speechprep prepare` at random points (default 20 times), rerun it each
# time, then check that the final outputs are byte-identical to an uninterrupted run and that
# no id is lost or duplicated.
# Usage: Scripts/crash-test.sh [kills]      (release build; SWIFT_BUILD_FLAGS= for debug)
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${1:-20}
swift build --product speechprep ${SWIFT_BUILD_FLAGS--c release} 2>&1 | grep -E "error|warning:" || true
BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS--c release} --show-bin-path)/speechprep"
WORK=$(mktemp -d /tmp/speechprep-crash.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# A dataset of 20 × 12 real clips under distinct names, plus one corrupt file.
mkdir -p "$WORK/data"
for copy in $(seq 0 19); do
    for clip in Samples/commonvoice-sample/en/clips/*.mp3; do
        cp "$clip" "$WORK/data/c${copy}_$(basename "$clip")"
    done
done
head -c 2000 /dev/urandom >"$WORK/data/zz_corrupt.mp3"
ARGS=(prepare "$WORK/data" --workers 2 --quiet)

start=$(date +%s%N)
"$BIN" "${ARGS[@]}" --out "$WORK/reference" >/dev/null
clean_ms=$((($(date +%s%N) - start) / 1000000))
echo "uninterrupted run: ${clean_ms} ms"

completed_early=0
for i in $(seq 1 "$KILLS"); do
    "$BIN" "${ARGS[@]}" --out "$WORK/crashed" >/dev/null 2>&1 &
    pid=$!
    # A random point within the first 20 % of a whole run (runs resume, so later kills
    # land in later parts of the job, and some in the final writing).
    delay_ms=$((RANDOM % (clean_ms / 5 + 1) + 10))
    sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    if kill -KILL "$pid" 2>/dev/null; then :; else completed_early=$((completed_early + 1)); fi
    wait "$pid" 2>/dev/null || true
    done_lines=$(($(wc -l <"$WORK/crashed/journal.jsonl" 2>/dev/null || echo 1) - 1))
    printf 'kill %2d after %5d ms: journal holds %d records\n' "$i" "$delay_ms" "$done_lines"
done
"$BIN" "${ARGS[@]}" --out "$WORK/crashed" >/dev/null

status=0
for file in manifest.jsonl failures.jsonl; do
    if cmp -s "$WORK/reference/$file" "$WORK/crashed/$file"; then echo "ok: $file byte-identical"
    else echo "FAIL: $file differs"; status=1; fi
done
if diff -r -q "$WORK/reference/wavs" "$WORK/crashed/wavs"; then echo "ok: every WAV byte-identical, no temporary file left"
else echo "FAIL: WAVs differ"; status=1; fi
total=$(($(wc -l <"$WORK/crashed/manifest.jsonl") + $(wc -l <"$WORK/crashed/failures.jsonl")))
unique=$(cat "$WORK/crashed/manifest.jsonl" "$WORK/crashed/failures.jsonl" | sed -E 's/^\{"(audio_filepath|id)": "([^"]*)".*/\2/' | sort -u | wc -l)
if [ "$total" = 241 ] && [ "$unique" = 241 ]; then echo "ok: 241 ids, none lost or duplicated"
else echo "FAIL: $total lines, $unique unique ids (expected 241)"; status=1; fi
echo "$KILLS kills ($completed_early landed after the run had finished)"
exit $status
