#!/usr/bin/env bash
# Peer comparison for `speechprep prepare` (MP3 → 16 kHz mono WAV), all in one run so the
# ratios are fair on a shared machine:
#   speechprep prepare (2 workers, 1 worker)  vs  a loop of one ffmpeg per file,
#   `xargs -P 2` over ffmpeg, and one Python process looping soundfile + soxr HQ.
# Also: pipeline wall time vs the recogniser's own time (transcribe, PocketSphinx), peak RSS.
# Usage: Scripts/compare-prepare.sh [clips]   (default 1000; release build of speechprep)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
source Scripts/lib.sh
release_speechprep
VENV=.venv-prepare
ensure_venv "$VENV" "import soundfile, soxr, numpy" soundfile soxr numpy
WORK=$(mktemp -d /tmp/speechprep-compare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# N short 48 kHz mono MP3 clips: the bundled Common Voice sample's clips, cycled.
mkdir -p "$WORK/clips"
mapfile -t SOURCES < <(ls Samples/commonvoice-sample/en/clips/*.mp3)
for i in $(seq 0 $((N - 1))); do
    cp "${SOURCES[$((i % ${#SOURCES[@]}))]}" "$WORK/clips/clip_$(printf %05d "$i").mp3"
done
AUDIO=$("$VENV/bin/python" - "$WORK/clips" <<'PY'
import sys, os, soundfile as sf
d = sys.argv[1]
print(round(sum(sf.info(os.path.join(d, f)).duration for f in os.listdir(d)), 1))
PY
)
echo "$N clips, $AUDIO s of audio"

declare -A WALL RSS
LABEL_WIDTH=28

run_clips "speechprep 2 workers" "$BIN" prepare "$WORK/clips" --out "$WORK/sp2" --workers 2 --quiet --no-language-limit
run_clips "speechprep 1 worker" "$BIN" prepare "$WORK/clips" --out "$WORK/sp1" --workers 1 --quiet --no-language-limit
mkdir -p "$WORK/ff1" "$WORK/ff2" "$WORK/py"
cat >"$WORK/ffmpeg-loop.sh" <<SH
for f in "$WORK"/clips/*.mp3; do
    ffmpeg -nostdin -loglevel error -y -i "\$f" -ar 16000 -ac 1 -c:a pcm_s16le "$WORK/ff1/\$(basename "\$f" .mp3).wav"
done
SH
run_clips "ffmpeg loop (1 per file)" bash "$WORK/ffmpeg-loop.sh"
cat >"$WORK/ffmpeg-one.sh" <<SH
exec ffmpeg -nostdin -loglevel error -y -i "\$1" -ar 16000 -ac 1 -c:a pcm_s16le "$WORK/ff2/\$(basename "\$1" .mp3).wav"
SH
run_clips "xargs -P 2 ffmpeg" bash -c "ls '$WORK'/clips/*.mp3 | xargs -P 2 -n 1 bash '$WORK/ffmpeg-one.sh'"
# The Python peer, plain (as people write it) and with the same durability speechprep gives
# every WAV (temp file, fsync, rename, fsync of the folder).
cat >"$WORK/prepare_soxr.py" <<'PY'
import os, sys, soundfile as sf, soxr
src, dst, durable = sys.argv[1], sys.argv[2], sys.argv[3] == "durable"
folder = os.open(dst, os.O_RDONLY) if durable else None
for name in sorted(os.listdir(src)):
    data, rate = sf.read(os.path.join(src, name), dtype="float32")
    if data.ndim > 1:
        data = data.mean(axis=1)
    out = soxr.resample(data, rate, 16000, quality="HQ")
    path = os.path.join(dst, name[:-4] + ".wav")
    if not durable:
        sf.write(path, out, 16000, subtype="PCM_16")
        continue
    with open(path + ".tmp", "wb") as f:
        sf.write(f, out, 16000, subtype="PCM_16", format="WAV")
        f.flush()
        os.fsync(f.fileno())
    os.rename(path + ".tmp", path)
    os.fsync(folder)
PY
mkdir -p "$WORK/pyd"
run_clips "python soundfile+soxr HQ" "$VENV/bin/python" "$WORK/prepare_soxr.py" "$WORK/clips" "$WORK/py" plain
run_clips "python soxr HQ + fsync" "$VENV/bin/python" "$WORK/prepare_soxr.py" "$WORK/clips" "$WORK/pyd" durable

echo
echo "speechprep (2 workers) vs ffmpeg loop:        $(ratio "${WALL[ffmpeg loop (1 per file)]}" "${WALL[speechprep 2 workers]}")x faster"
echo "speechprep (2 workers) vs xargs -P 2 ffmpeg:  $(ratio "${WALL[xargs -P 2 ffmpeg]}" "${WALL[speechprep 2 workers]}")x faster"
echo "speechprep (2 workers) vs python soxr HQ:     $(ratio "${WALL[python soundfile+soxr HQ]}" "${WALL[speechprep 2 workers]}")x faster"
echo "  … vs python with fsync per file (same durability): $(ratio "${WALL[python soxr HQ + fsync]}" "${WALL[speechprep 2 workers]}")x faster"
echo "2 workers / 1 worker wall time:               $(ratio "${WALL[speechprep 2 workers]}" "${WALL[speechprep 1 worker]}")"

# Pipeline vs engine: one worker, so the engine's summed time is directly comparable.
"$BIN" transcribe Samples/commonvoice-sample/en --out "$WORK/tr" --workers 1 --json --no-language-limit >"$WORK/tr.json"
"$VENV/bin/python" - "$WORK/tr.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"transcribe (1 worker, {s['total']} clips): wall {s['wallSeconds']:.2f} s, "
      f"engine {s['engineSeconds']:.2f} s, wall/engine {s['wallSeconds'] / s['engineSeconds']:.3f}")
PY
