#!/usr/bin/env bash
# Engine worker protocol overhead, all in one run so the ratios are fair on a shared machine:
#   speechprep prepare                             (decode + resample + write WAVs, no engine)
#   speechprep transcribe --engine python          (one interpreter per worker, constant asr())
#   speechprep transcribe --engine command         (one python3 process per clip, same asr())
# over the same N MP3 clips (the bundled Common Voice sample's clips, cycled, as in
# Scripts/compare-prepare.sh), 2 workers each. Goals (issue 12): python ≥ 0.9× prepare's
# clips/s, and ≥ 20× the process-per-clip loop.
# Usage: [ROUNDS=3] [PYTHON=interpreter] Scripts/compare-engines.sh [clips] [command-clips]
#   (defaults 1000 and 200: the process-per-clip peer is timed on fewer clips, clips/s compared).
# Both engines run the same interpreter: PYTHON, or the real executable behind `python3` (a
# pyenv shim would add a shell script to every process start of the peer).
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
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
echo "interpreter: $PYTHON ($("$PYTHON" --version 2>&1))"
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

# run <label> <clips> <command…>: wall seconds, clips/s, CPU seconds (user + system of the
# whole process tree: the engines' children are reaped by speechprep, so they count) and
# clips per CPU second, and peak RSS (KiB) of the command. On this shared VM wall time swings
# with the other helpers' builds; CPU time is the robust figure.
declare -A RATE CPURATE
run() {
    local label=$1 clips=$2; shift 2
    local start end wall cpu
    start=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    end=$(date +%s%N)
    wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
    cpu=$(awk '{ printf "%.2f", $2 + $3 }' "$WORK/rss")
    RATE[$label]=$(awk -v n="$clips" -v s="$wall" 'BEGIN { printf "%.1f", n / s }')
    CPURATE[$label]=$(awk -v n="$clips" -v s="$cpu" 'BEGIN { printf "%.1f", n / s }')
    printf '%-34s %5d clips %7s s %7s clips/s  CPU %7s s %7s clips/CPU-s  peak RSS %6d KiB\n' "$label" "$clips" \
        "$wall" "${RATE[$label]}" "$cpu" "${CPURATE[$label]}" "$(awk '{ print $1 }' "$WORK/rss")"
}

COMMON=(--workers 2 --quiet --no-language-limit)
ROUNDS=${ROUNDS:-3}
for round in $(seq 1 "$ROUNDS"); do
    rm -rf "$WORK/prep" "$WORK/py"
    run "prepare ($round)" "$N" "$BIN" prepare "$WORK/clips" --out "$WORK/prep" "${COMMON[@]}"
    run "transcribe --engine python ($round)" "$N" "$BIN" transcribe "$WORK/clips" --out "$WORK/py" "${COMMON[@]}" \
        --engine python --python "$PYTHON" --function "$WORK/const_asr.py:asr"
done
run "transcribe --engine command" "$NCMD" "$BIN" transcribe "$WORK/few" --out "$WORK/cmd" "${COMMON[@]}" \
    --engine command --command "$PYTHON" --command "$WORK/one_clip.py" --command "$WORK" --command "{wav}"

# Every clip was transcribed, none failed.
for out in py cmd; do
    test "$(wc -l <"$WORK/$out/failures.jsonl")" -eq 0 || { echo "failures in $out"; head -3 "$WORK/$out/failures.jsonl"; exit 1; }
done
# best <label prefix> <array name>: the highest rate over the rounds.
best() {
    local -n rates=$2
    for key in "${!rates[@]}"; do [[ $key == "$1"* ]] && echo "${rates[$key]}"; done | sort -g | tail -1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
CMD="transcribe --engine command"
echo
echo "best of $ROUNDS rounds, clips/s (wall):"
echo "  python engine / prepare:            $(ratio "$(best "transcribe --engine python" RATE)" "$(best "prepare" RATE)")x   (goal ≥ 0.9)"
echo "  python engine / process per clip:   $(ratio "$(best "transcribe --engine python" RATE)" "${RATE[$CMD]}")x   (goal ≥ 20)"
echo "best of $ROUNDS rounds, clips per CPU second:"
echo "  python engine / prepare:            $(ratio "$(best "transcribe --engine python" CPURATE)" "$(best "prepare" CPURATE)")x"
echo "  python engine / process per clip:   $(ratio "$(best "transcribe --engine python" CPURATE)" "${CPURATE[$CMD]}")x"
