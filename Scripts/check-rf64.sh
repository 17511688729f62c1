#!/usr/bin/env bash
# Integration check that SndFileEncoder switches to RF64 when the data passes 4 GiB, and that
# the result reads back (too big and slow for unit tests: it writes ~4.3 GB).
#
#   Scripts/check-rf64.sh [FOLDER]      (default /tmp; needs ~4.5 GB free there)
#
# Writes 2,800 s of 8-channel 48 kHz 32-bit float (4,300,800,000 data bytes > 2^32) through
# the release harness, then checks: the header says RF64; soxi and our decoder report the
# exact frame count; the last frame decodes to the expected value. A 60 s file made the same
# way must stay plain RIFF/WAVE (the auto-downgrade).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folder=${1:-/tmp}
big="$folder/speechprep-rf64-check.wav"
small="$folder/speechprep-rf64-small.wav"
trap 'rm -f "$big" "$small"' EXIT
(cd "$root/Scripts/codec-harness" && swift build -c release 2>&1 | grep -E "error|warning" || true)
harness="$root/Scripts/codec-harness/.build/release/codec-harness"

"$harness" write "$small" 60 8
[ "$(head -c 4 "$small")" = "RIFF" ] || { echo "FAIL: a 60 s file is not plain RIFF"; exit 1; }
echo "ok: 60 s file is RIFF/WAVE ($(stat -c %s "$small") bytes)"

time "$harness" write "$big" 2800 8
size=$(stat -c %s "$big")
magic=$(head -c 4 "$big")
echo "wrote $size bytes, header magic: $magic"
[ "$magic" = "RF64" ] || { echo "FAIL: expected RF64"; exit 1; }
frames=$((2800 * 48000))
[ "$(soxi -s "$big")" = "$frames" ] || { echo "FAIL: soxi reports $(soxi -s "$big") frames, expected $frames"; exit 1; }
decoded=$("$harness" decode "$big")
[ "$decoded" = "$frames" ] || { echo "FAIL: SpeechPrep decoded $decoded frames, expected $frames"; exit 1; }
# The last frame holds 47999/48000 in every channel.
last=$(sox "$big" -t f32 - trim $((frames - 1))s | od -An -f -N 4 | tr -d ' ')
python3 -c "import sys; v=float('$last'); sys.exit(0 if abs(v - 47999/48000) < 1e-6 else 1)" \
    || { echo "FAIL: last sample is $last"; exit 1; }
echo "ok: RF64 with $frames frames, read back by soxi, sox and SpeechPrep"
