#!/usr/bin/env bash
# Builds the report test fixtures in Tests/Fixtures/report/ from REAL runs, then the Python
# reference numbers for them (Scripts/report-reference.py with pandas + jiwer + NumPy):
#   cv200/      a 200-clip Common Voice-style run: the demo sample's 12 real recordings, each in
#               17 sox variants (speed 0.88–1.07, a little white noise), with synthetic but
#               realistic metadata columns (client_id, gender, age, accents, votes) in the TSV,
#               transcribed by PocketSphinx through `speechprep transcribe`
#   cv200-noisy/ the first 60 of those ids with more noise mixed in (run B of the comparison;
#               60, not 200, because PocketSphinx on this shared 2-core machine took ~30 min per
#               200 clips; the comparison is over the 60 shared items)
#   demo/       the `make demo` run (out/demo, made first when missing)
# Only the run's text outputs are kept (manifest.jsonl, metadata.jsonl, results.json).
# Usage: Scripts/make-report-fixture.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
FIXTURES=Tests/Fixtures/report
VENV=.venv-report
bash Scripts/report-venv.sh
swift build --product speechprep
BIN="$(swift build --product speechprep --show-bin-path)/speechprep"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" <<'PY'
import csv, hashlib, os, subprocess, sys
work = sys.argv[1]
sample = "Samples/commonvoice-sample/en"
rows = list(csv.DictReader(open(f"{sample}/validated.tsv", encoding="utf-8"), delimiter="\t"))
speakers = [hashlib.sha512(f"report-speaker-{k}".encode()).hexdigest() for k in range(10)]
genders = ["male_masculine", "female_feminine", "female_feminine", "", "male_masculine",
           "male_masculine", "female_feminine", "male_masculine", "", "female_feminine"]
ages = ["twenties", "thirties", "fourties", "", "fifties", "twenties", "thirties", "sixties", "twenties", ""]
accents = ["United States English", "England English", "India and South Asia (India, Pakistan, Sri Lanka)", "",
           "Canadian English", "United States English", "Scottish English", "United States English", "", "Australian English"]
header = ["client_id", "path", "sentence_id", "sentence", "sentence_domain", "up_votes", "down_votes", "age",
          "gender", "accents", "variant", "locale", "segment"]
for release, noise, count in (("clean", 0.0, 200), ("noisy", 0.02, 60)):
    root = f"{work}/{release}/en"
    os.makedirs(f"{root}/clips")
    out = []
    for k in range(count):
        src, variant = rows[k % len(rows)], k // len(rows)
        speed = 0.88 + 0.012 * variant
        clip = f"common_voice_en_{50000000 + k}.wav"
        target = f"{root}/clips/{clip}"
        subprocess.run(["sox", f"{sample}/clips/{src['path']}", "-r", "16000", "-c", "1", "-b", "16",
                        f"{work}/plain.wav", "speed", f"{speed:.3f}", "rate", "16000"], check=True)
        level = noise + 0.001 * (variant % 5)
        if level > 0:
            subprocess.run(["sox", f"{work}/plain.wav", "-p", "synth", "whitenoise", "vol", f"{level:.3f}"],
                           check=True, stdout=open(f"{work}/noise.sox", "wb"))
            subprocess.run(["sox", "-m", f"{work}/plain.wav", f"{work}/noise.sox", target], check=True)
        else:
            os.replace(f"{work}/plain.wav", target)
        s = (k * 7) % 10
        out.append({"client_id": speakers[s], "path": clip, "sentence_id": src["sentence_id"],
                    "sentence": src["sentence"], "sentence_domain": "", "up_votes": str(2 + k % 3),
                    "down_votes": str(k % 2), "age": ages[s], "gender": genders[s], "accents": accents[s],
                    "variant": "", "locale": "en", "segment": ""})
    with open(f"{root}/validated.tsv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
PY

keep() {  # keep <run folder> <fixture name>
    mkdir -p "$FIXTURES/$2"
    for name in manifest.jsonl metadata.jsonl results.json; do cp "$1/$name" "$FIXTURES/$2/$name"; done
    # Audio paths relative to the release (clips/…), not the temporary folder.
    sed -i "s|$WORK/[a-z]*/en/||" "$FIXTURES/$2/manifest.jsonl"
}
for release in clean noisy; do
    "$BIN" transcribe "$WORK/$release/en" --split validated --out "$WORK/out-$release" --workers 2
done
keep "$WORK/out-clean" cv200
keep "$WORK/out-noisy" cv200-noisy
[ -f out/demo/metadata.jsonl ] || DEMO_FRESH=1 bash Scripts/demo.sh
keep out/demo demo

# The reference numbers, with the options the Swift tests use.
REF=(--min-slice 10 --resamples 1000 --seed 7 --by gender,age,accents,duration,speaker)
"$VENV/bin/python" Scripts/report-reference.py "$FIXTURES/cv200" "${REF[@]}" > "$FIXTURES/cv200.expected.json"
"$VENV/bin/python" Scripts/report-reference.py "$FIXTURES/demo" "${REF[@]}" --min-slice 3 > "$FIXTURES/demo.expected.json"
"$VENV/bin/python" Scripts/report-reference.py "$FIXTURES/cv200" "$FIXTURES/cv200-noisy" "${REF[@]}" > "$FIXTURES/compare.expected.json"
echo "wrote $FIXTURES"
