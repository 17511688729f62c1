#!/usr/bin/env bash
# Disk-full test (issue 15 item 8, as a user met it): `prepare` of 200 sample clips into a
# 3 MB tmpfs, then the tmpfs is enlarged and the same command rerun. Prints what the first
# run recorded (exit code, records failed with ENOSPC, damaged journal lines) and checks that
# the rerun's outputs are byte-identical to an undisturbed run. Needs root (mount).
# Usage: Scripts/disk-full-test.sh        (BIN=path/to/speechprep to test another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    swift build --product speechprep ${SWIFT_BUILD_FLAGS--c release} 2>&1 | grep -E "error|warning:" || true
    BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS--c release} --show-bin-path)/speechprep"
fi
WORK=$(mktemp -d /tmp/speechprep-diskfull.XXXXXX)
trap 'umount -l "$WORK/disk" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data" "$WORK/disk"
clips=(Samples/commonvoice-sample/en/clips/*.mp3)
for i in $(seq 0 199); do
    clip=${clips[$((i % ${#clips[@]}))]}
    cp "$clip" "$WORK/data/c$((i / ${#clips[@]}))_$(basename "$clip")"
done
"$BIN" prepare "$WORK/data" --out "$WORK/reference" --workers 2 --quiet >/dev/null
mount -t tmpfs -o size=3m tmpfs "$WORK/disk"
out="$WORK/disk/out"
set +e
"$BIN" prepare "$WORK/data" --out "$out" --workers 2 --quiet >/dev/null 2>"$WORK/first.err"
echo "first run: exit $?"
set -e
echo "  $(tail -c 300 "$WORK/first.err")"
echo "  journal: $(($(wc -l <"$out/journal.jsonl") - 1)) records, $(grep -c 'No space left' "$out/journal.jsonl" || true) failed with ENOSPC"
python3 - "$out/journal.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
bad = 0
for line in lines[:-1]:
    try: json.loads(line)
    except ValueError: bad += 1
print(f"  damaged journal lines: {bad}, ends with a newline: {lines[-1] == b''}")
PY
mount -o remount,size=64m "$WORK/disk"
"$BIN" prepare "$WORK/data" --out "$out" --workers 2 --quiet | head -1
status=0
for file in manifest.jsonl failures.jsonl; do
    if cmp -s "$WORK/reference/$file" "$out/$file"; then echo "ok: $file byte-identical"; else echo "FAIL: $file differs"; status=1; fi
done
if diff -r -q "$WORK/reference/wavs" "$out/wavs" >/dev/null; then echo "ok: all $(ls "$out/wavs" | wc -l) WAVs byte-identical"
else echo "FAIL: wavs/ differs"; status=1; fi
exit $status
