#!/usr/bin/env bash
# Crash test: SIGKILL the job at random points (default 20 times per phase), rerun it each
# time, then check that the final outputs are byte-identical to an uninterrupted run and that
# no id is lost or duplicated. Two phases:
#   1. `prepare` (MP3 → 16 kHz WAV): manifest, failures and every WAV;
#   2. `transcribe` with an external recogniser whose output depends only on the clip (the
#      WAV's size, via `wc -c`): results.json, manifest and failures. It keeps 20 kills fast;
#      PocketSphinx itself is history-free too, which EndToEndTests checks with kills.
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
EXPECTED=241
status=0

# phase <name> <files to compare…> -- <speechprep arguments…>
phase() {
    local name=$1; shift
    local files=()
    while [ "$1" != "--" ]; do files+=("$1"); shift; done
    shift
    local reference="$WORK/$name-reference" crashed="$WORK/$name-crashed"
    local start clean_ms
    start=$(date +%s%N)
    "$BIN" "$@" --out "$reference" >/dev/null
    clean_ms=$((($(date +%s%N) - start) / 1000000))
    echo "== $name: uninterrupted run ${clean_ms} ms"
    local finished=0 i pid delay_ms records
    rm -rf "$crashed"
    for i in $(seq 1 "$KILLS"); do
        "$BIN" "$@" --out "$crashed" >/dev/null 2>&1 &
        pid=$!
        # A random point within what is left of the job (an uninterrupted run's length,
        # scaled by the share of items not yet journaled, plus 40 ms for start-up and the
        # final writing). Records reach the journal in batches (64 items or 1 s, after one
        # syncfs), so some kills find no new batch, some one or more, and some land in the
        # final writing or after the end.
        records=$(($(wc -l <"$crashed/journal.jsonl" 2>/dev/null || echo 1) - 1))
        delay_ms=$((RANDOM % (clean_ms * (EXPECTED - records) / EXPECTED + 40) + 10))
        sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
        kill -KILL "$pid" 2>/dev/null || finished=$((finished + 1))
        wait "$pid" 2>/dev/null || true
        records=$(($(wc -l <"$crashed/journal.jsonl" 2>/dev/null || echo 1) - 1))
        printf 'kill %2d after %5d ms: journal holds %d records\n' "$i" "$delay_ms" "$records"
    done
    "$BIN" "$@" --out "$crashed" >/dev/null
    local file
    for file in "${files[@]}"; do
        if [ -d "$reference/$file" ]; then
            if diff -r -q "$reference/$file" "$crashed/$file"; then echo "ok: every file in $file/ byte-identical"
            else echo "FAIL: $file/ differs"; status=1; fi
        elif cmp -s "$reference/$file" "$crashed/$file"; then echo "ok: $file byte-identical"
        else echo "FAIL: $file differs"; status=1; fi
    done
    if ls -A "$crashed" | grep -q '^\.'; then echo "FAIL: temporary files left: $(ls -A "$crashed" | grep '^\.')"; status=1
    else echo "ok: no temporary file left"; fi
    local total unique
    total=$(($(wc -l <"$crashed/manifest.jsonl") + $(wc -l <"$crashed/failures.jsonl")))
    unique=$(sed -E 's/^\{"(audio_filepath|id)": "([^"]*)".*/\2/' "$crashed/manifest.jsonl" "$crashed/failures.jsonl" | sort -u | wc -l)
    if [ "$total" = "$EXPECTED" ] && [ "$unique" = "$EXPECTED" ]; then echo "ok: $EXPECTED ids, none lost or duplicated"
    else echo "FAIL: $total lines, $unique unique ids (expected $EXPECTED)"; status=1; fi
    echo "$KILLS kills ($finished landed after the run had finished)"
}

phase prepare manifest.jsonl failures.jsonl wavs -- \
    prepare "$WORK/data" --workers 2 --quiet
phase transcribe results.json asr_100.json asr_200.json asr_241.json manifest.jsonl failures.jsonl -- \
    transcribe "$WORK/data" --workers 2 --quiet --chunk-every 100 --engine command \
    --command /bin/sh --command=-c --command 'wc -c < "$1"' --command sh --command '{wav}'
exit $status
