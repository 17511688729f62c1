#!/usr/bin/env bash
# Whole-process cost of a resume that has nothing left to do (issue 12): the bundled sample is
# transcribed once, then the same command is rerun over the finished output folder, ROUNDS
# times per binary, interleaved (before, after, before, …), each under /usr/bin/time. Reports
# the median wall seconds and peak RSS of each binary and their ratio.
#
#   Scripts/bench-resume.sh BEFORE_BIN [AFTER_BIN] [ROUNDS]
#
# AFTER_BIN defaults to this checkout's release build, ROUNDS to 3. The engine is Whisper
# (`--engine whisper`, 2 workers) when its venv exists (SPEECHPREP_WHISPER_VENV, else
# .venv-whisper), else the python engine with an asr() that returns a constant. Both binaries
# must record the same journal settings, so they resume one another's run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
BEFORE=${1:?usage: Scripts/bench-resume.sh BEFORE_BIN [AFTER_BIN] [ROUNDS]}
AFTER=${2:-}
ROUNDS=${3:-3}
if [[ -z "$AFTER" ]]; then
    source Scripts/lib.sh
    release_speechprep
    AFTER=$BIN
fi
WORK=$(mktemp -d /tmp/bench-resume.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

export SPEECHPREP_WHISPER_VENV="${SPEECHPREP_WHISPER_VENV:-$PWD/.venv-whisper}"
if [[ -x "$SPEECHPREP_WHISPER_VENV/bin/python" ]]; then
    ENGINE=(--engine whisper)
else
    printf 'def asr(wav_path):\n    return "hello"\n' >"$WORK/constant.py"
    ENGINE=(--engine python --function "$WORK/constant.py:asr")
fi
COMMAND=(transcribe Samples/commonvoice-sample/en --split dev --out "$WORK/out" --workers 2 --quiet "${ENGINE[@]}")
echo "engine: ${ENGINE[*]}"
/usr/bin/time -f "first run: %e s wall, %M KiB peak RSS" "$AFTER" "${COMMAND[@]}" >/dev/null

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for round in $(seq "$ROUNDS"); do
    for side in before after; do
        bin=$BEFORE
        [[ $side == after ]] && bin=$AFTER
        /usr/bin/time -f "%e %M" -o "$WORK/time" "$bin" "${COMMAND[@]}" >"$WORK/summary"
        read -r wall rss <"$WORK/time"
        echo "$wall" >>"$WORK/$side.wall"
        echo "$rss" >>"$WORK/$side.rss"
        echo "round $round $side: $wall s, $rss KiB"
    done
done
before_wall=$(median <"$WORK/before.wall")
after_wall=$(median <"$WORK/after.wall")
echo "median wall: before $before_wall s (peak RSS $(median <"$WORK/before.rss") KiB), after $after_wall s (peak RSS $(median <"$WORK/after.rss") KiB)"
awk -v b="$before_wall" -v a="$after_wall" 'BEGIN { printf "before / after: %.1fx\n", b / a }'
