#!/usr/bin/env bash
# Recomputes the report's Python reference numbers (pandas + jiwer + NumPy, same SplitMix64
# resampling) on the committed fixture runs and checks they equal the committed
# Tests/Fixtures/report/*.expected.json, which the Swift ReportingTests compare against. So the
# Swift report is checked against a live Python reference, not against numbers frozen once.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/report-venv.sh
F=Tests/Fixtures/report
REF=(--min-slice 10 --resamples 1000 --seed 7 --by gender,age,accents,duration,speaker)
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
.venv-report/bin/python Scripts/report-reference.py "$F/cv200" "${REF[@]}" > "$TMP/cv200.expected.json"
.venv-report/bin/python Scripts/report-reference.py "$F/demo" "${REF[@]}" --min-slice 3 > "$TMP/demo.expected.json"
.venv-report/bin/python Scripts/report-reference.py "$F/cv200" "$F/cv200-noisy" "${REF[@]}" > "$TMP/compare.expected.json"
for name in cv200 demo compare; do
    cmp "$TMP/$name.expected.json" "$F/$name.expected.json" || { echo "error: $name reference numbers changed" >&2; exit 1; }
done
echo "report reference numbers reproduced (cv200, demo, compare)"
