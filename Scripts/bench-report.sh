#!/usr/bin/env bash
# Whole-process speed of `speechprep report` against the same work in Python (pandas + jiwer
# + NumPy: Scripts/report-reference.py, which slices and bootstraps the same way and draws the
# same numbers), on a synthetic 100,000-utterance run with 5 slicing columns (gender, age,
# accents, duration, speaker) and 1,000 resamples. Also the size of the HTML page.
#   Scripts/bench-report.sh [UTTERANCES] [RUNS]      (defaults 100000, 2; best of RUNS)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
COUNT="${1:-100000}"
RUNS="${2:-2}"
bash Scripts/report-venv.sh
swift build -c release --product speechprep >/dev/null
BIN="$(swift build -c release --product speechprep --show-bin-path)/speechprep"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 Scripts/make-report-bench-run.py "$WORK/run" "$COUNT"

BY=gender,age,accents,duration,speaker
best() {  # best <label> <command...>: best wall and CPU (user + sys) time of RUNS whole-process runs
    local wall=999999 cpu=999999 rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "${@:2}" >/dev/null
        read -r seconds user sys kib <"$WORK/time"
        wall=$(python3 -c "print(min($wall, $seconds))"); cpu=$(python3 -c "print(min($cpu, $user + $sys))"); rss=$kib
    done
    printf '%-30s wall %7.2f s  CPU %7.2f s  %5d MiB\n' "$1" "$wall" "$cpu" $((rss / 1024)) >&2
    echo "$wall $cpu"
}
echo "$COUNT utterances, 5 slicing columns, 1000 resamples, best of $RUNS:" >&2
read -r swift_wall swift_cpu < <(best "speechprep report" "$BIN" report "$WORK/run" --by "$BY" --resamples 1000)
read -r html_wall html_cpu < <(best "speechprep report --html" "$BIN" report "$WORK/run" --by "$BY" --resamples 1000 --html "$WORK/report.html")
read -r py_wall py_cpu < <(best "python pandas+jiwer+numpy" .venv-report/bin/python Scripts/report-reference.py "$WORK/run" --by "$BY" --resamples 1000)
"$BIN" report "$WORK/run" --by "$BY" --resamples 1000 --json > "$WORK/report.json"
echo "HTML $(stat -c %s "$WORK/report.html") bytes, JSON $(stat -c %s "$WORK/report.json") bytes" >&2
python3 -c "print(f'speed-up, wall: {$py_wall / $swift_wall:.1f}x (summary), {$py_wall / $html_wall:.1f}x (with HTML); CPU: {$py_cpu / $swift_cpu:.1f}x, {$py_cpu / $html_cpu:.1f}x')" >&2
