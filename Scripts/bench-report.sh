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

python3 - "$WORK/run" "$COUNT" <<'PY'
# A run folder as the pipeline writes it: manifest.jsonl (+ pred_text) and metadata.jsonl.
import json, os, random, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rng = random.Random(20261206)
vocabulary = [f"w{k}" for k in range(3000)] + ["the", "a", "of", "and", "to", "in", "is", "it"] * 40
genders = ["male_masculine", "female_feminine", "", "intersex"]
ages = ["teens", "twenties", "thirties", "fourties", "fifties", "sixties", ""]
accents = ["United States English", "England English", "India and South Asia (India, Pakistan, Sri Lanka)",
           "Canadian English", "Australian English", "Scottish English", "Irish English", "", "German English", "Nigerian English"]
with open(f"{out}/manifest.jsonl", "w") as m, open(f"{out}/metadata.jsonl", "w") as d:
    for k in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 20))]
        hyp = []
        for w in words:
            r = rng.random()
            if r < 0.06: hyp.append(rng.choice(vocabulary))
            elif r < 0.09: pass
            elif r < 0.11: hyp += [w, rng.choice(vocabulary)]
            else: hyp.append(w)
        m.write(json.dumps({"audio_filepath": f"wavs/u{k}.wav", "duration": round(len(words) * 0.38 + rng.random() * 2, 3),
                            "text": " ".join(words).capitalize() + ".", "pred_text": " ".join(hyp)}) + "\n")
        meta = {"id": f"u{k}", "accents": rng.choice(accents), "age": rng.choice(ages), "gender": rng.choice(genders),
                "language": "en", "speaker": f"{rng.randrange(5000):0128x}"}
        d.write(json.dumps({key: v for key, v in meta.items() if v}) + "\n")
PY

BY=gender,age,accents,duration,speaker
best() {  # best <label> <command...>: best wall time of RUNS whole-process runs, and peak RSS
    local best=999999 rss=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$WORK/time" "${@:2}" >/dev/null
        read -r seconds kib <"$WORK/time"
        best=$(python3 -c "print(min($best, $seconds))"); rss=$kib
    done
    printf '%-34s %8.2f s  %7d MiB\n' "$1" "$best" $((rss / 1024)) >&2
    echo "$best"
}
echo "$COUNT utterances, 5 slicing columns, 1000 resamples, best of $RUNS:" >&2
swift_s=$(best "speechprep report" "$BIN" report "$WORK/run" --by "$BY" --resamples 1000)
html_s=$(best "speechprep report --html" "$BIN" report "$WORK/run" --by "$BY" --resamples 1000 --html "$WORK/report.html")
py_s=$(best "python pandas+jiwer+numpy" .venv-report/bin/python Scripts/report-reference.py "$WORK/run" --by "$BY" --resamples 1000)
"$BIN" report "$WORK/run" --by "$BY" --resamples 1000 --json > "$WORK/report.json"
echo "HTML $(stat -c %s "$WORK/report.html") bytes, JSON $(stat -c %s "$WORK/report.json") bytes" >&2
python3 -c "print(f'speed-up: {$py_s / $swift_s:.1f}x (summary), {$py_s / $html_s:.1f}x (with HTML)')" >&2
