#!/usr/bin/env bash
# The report pages in a real browser (CI step): `speechprep report` writes a report of the
# 200-clip fixture run, a comparison of two runs and a report of a run full of hostile text
# (<script>, quotes, RTL and CJK); headless Chromium opens each, and
# Scripts/check-report-browser.py checks no page errors, every SVG non-empty, the slice
# tables' rows, the title untouched by page text, and non-blank screenshots at 1280 px and
# on a phone. Screenshots stay in $SHOTS (default: a temporary folder, removed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
command -v chromium >/dev/null || { echo "error: chromium is missing; run Scripts/bootstrap.sh" >&2; exit 1; }
swift build --product speechprep ${SWIFT_BUILD_FLAGS:-}
BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/speechprep"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SHOTS="${SHOTS:-$WORK}"
RUN=Tests/Fixtures/report/cv200

# A run whose ids, texts and metadata try to break out of the page.
mkdir -p "$WORK/hostile"
python3 - "$WORK/hostile" <<'PY'
import json, sys
out = sys.argv[1]
rows = [("<script>document.title='pwned'</script>", "<script>document.title='pwned'</script> one two", "one <img src=x onerror=alert(1)> two",
         {"gender": "\"><script>alert(2)</script>", "accents": "עברית مرحبا"}),
        ("中文'q\"", "你好 世界 hello there", "你好 hello", {"gender": "female", "accents": "日本語 <b>"})]
with open(f"{out}/manifest.jsonl", "w", encoding="utf-8") as m, open(f"{out}/metadata.jsonl", "w", encoding="utf-8") as d:
    for k in range(40):
        i, ref, hyp, meta = rows[k % 2]
        m.write(json.dumps({"audio_filepath": f"wavs/{k}.wav", "duration": 1.0 + k, "text": ref, "pred_text": hyp}, ensure_ascii=False) + "\n")
        d.write(json.dumps(dict({"id": f"{i}-{k}"}, **meta), ensure_ascii=False) + "\n")
PY

expect() {  # expect <report.json> <column...>: the slice tables' expected first cells
    python3 - "$@" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
tables = {}
for slicing in report.get("slicings", []):
    rows = slicing.get("slices") or slicing.get("rows")
    tables[("slices-" if "slices" in slicing else "delta-") + re.sub(r"[^0-9A-Za-z]", "", slicing["column"])] = [
        s["name"] + (" (small)" if s["small"] else "") for s in rows[:40]]
print(json.dumps({"tables": tables, "min_svgs": len(report.get("slicings", [])) + 1}))
PY
}

start=$(date +%s.%N)
"$BIN" report "$RUN" --html "$WORK/report.html" --min-slice 10 >/dev/null
"$BIN" report "$RUN" --min-slice 10 --json > "$WORK/report.json"
expect "$WORK/report.json" > "$WORK/report.expect.json"
python3 Scripts/check-report-browser.py "$WORK/report.html" "$WORK/report.expect.json" --title "speechprep report" --shots "$SHOTS"

"$BIN" report "$RUN" Tests/Fixtures/report/cv200-noisy --html "$WORK/compare.html" --min-slice 10 >/dev/null
"$BIN" report "$RUN" Tests/Fixtures/report/cv200-noisy --min-slice 10 --json > "$WORK/compare.json"
expect "$WORK/compare.json" > "$WORK/compare.expect.json"
python3 Scripts/check-report-browser.py "$WORK/compare.html" "$WORK/compare.expect.json" --title "speechprep comparison" --shots "$SHOTS" --no-bars

"$BIN" report "$WORK/hostile" --html "$WORK/hostile.html" --min-slice 5 >/dev/null
"$BIN" report "$WORK/hostile" --min-slice 5 --json > "$WORK/hostile.json"
expect "$WORK/hostile.json" > "$WORK/hostile.expect.json"
python3 Scripts/check-report-browser.py "$WORK/hostile.html" "$WORK/hostile.expect.json" --title "speechprep report" --shots "$SHOTS"
grep -q '&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;-0' "$WORK/hostile.html"
grep -q '&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;' "$WORK/hostile.html"
echo "browser checks passed in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)") s (after the build)"
