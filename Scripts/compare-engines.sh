#!/usr/bin/env bash
# Engine worker protocol overhead, all in one run so the ratios are fair on a shared machine:
#   speechprep prepare                             (decode + resample + write WAVs, no engine)
#   speechprep transcribe --engine python          (one interpreter per worker, constant asr())
#   speechprep transcribe --engine command         (one python3 process per clip, same asr())
# over the same N MP3 clips (the bundled Common Voice sample's clips, cycled, as in
# Scripts/compare-prepare.sh), 2 workers each. Goals (issue 12): python ≥ 0.9× prepare's
# clips/s, and ≥ 20× the process-per-clip loop.
# Usage: Scripts/compare-engines.sh [clips] [command-clips]
#   (defaults 1000 and 200: the process-per-clip peer is timed on fewer clips, clips/s compared)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
NCMD=${2:-200}
swift build -c release --product speechprep 2>&1 | grep -E "error|warning:" || true
BIN="$(swift build -c release --product speechprep --show-bin-path)/speechprep"
WORK=$(mktemp -d /tmp/speechprep-engines.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/clips" "$WORK/few"
mapfile -t SOURCES < <(ls Samples/commonvoice-sample/en/clips/*.mp3)
for i in $(seq 0 $((N - 1))); do
    cp "${SOURCES[$((i % ${#SOURCES[@]}))]}" "$WORK/clips/clip_$(printf %05d "$i").mp3"
done
for i in $(seq 0 $((NCMD - 1))); do
    cp "${SOURCES[$((i % ${#SOURCES[@]}))]}" "$WORK/few/clip_$(printf %05d "$i").mp3"
done
cat >"$WORK/const_asr.py" <<'PY'
def asr(wav_path):
    return "a constant transcript"
PY
cat >"$WORK/one_clip.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from const_asr import asr
print(asr(sys.argv[2]))
PY

# run <label> <clips> <command…>: wall seconds, clips/s and peak RSS (KiB) of the command.
declare -A RATE
run() {
    local label=$1 clips=$2; shift 2
    local start end wall
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    end=$(date +%s%N)
    wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
    RATE[$label]=$(awk -v n="$clips" -v s="$wall" 'BEGIN { printf "%.1f", n / s }')
    printf '%-34s %6d clips %8s s  %8s clips/s  peak RSS %6d KiB\n' "$label" "$clips" "$wall" "${RATE[$label]}" "$(cat "$WORK/rss")"
}

COMMON=(--workers 2 --quiet --no-language-limit)
for round in 1 2; do
    rm -rf "$WORK/prep" "$WORK/py"
    run "prepare (round $round)" "$N" "$BIN" prepare "$WORK/clips" --out "$WORK/prep" "${COMMON[@]}"
    run "transcribe --engine python ($round)" "$N" "$BIN" transcribe "$WORK/clips" --out "$WORK/py" "${COMMON[@]}" \
        --engine python --function "$WORK/const_asr.py:asr"
done
run "transcribe --engine command" "$NCMD" "$BIN" transcribe "$WORK/few" --out "$WORK/cmd" "${COMMON[@]}" \
    --engine command --command python3 --command "$WORK/one_clip.py" --command "$WORK" --command "{wav}"

# Every clip was transcribed, none failed.
for out in py cmd; do
    test "$(wc -l <"$WORK/$out/failures.jsonl")" -eq 0 || { echo "failures in $out"; head -3 "$WORK/$out/failures.jsonl"; exit 1; }
done
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
PREP=$(best "${RATE[prepare (round 1)]}" "${RATE[prepare (round 2)]}")
PY=$(best "${RATE[transcribe --engine python (1)]}" "${RATE[transcribe --engine python (2)]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "python engine / prepare (clips/s, best of 2):      $(ratio "$PY" "$PREP")x   (goal ≥ 0.9)"
echo "python engine / process per clip (clips/s):       $(ratio "$PY" "${RATE[transcribe --engine command]}")x   (goal ≥ 20)"
