#!/usr/bin/env bash
# Peak RSS and wall time of `speechprep prepare` as the item count grows: generated NeMo
# manifests of N entries (distinct ids) pointing at three 0.1 s clips of real speech (48 kHz
# WAVs cut from the bundled Common Voice sample, so every item is decoded, resampled to 16 kHz
# and written), whole processes, `/usr/bin/time -f %M`. Then, at the largest size, a resume of
# the run cut back to 90 % done (the journal's first 90 % of records kept, the final files
# removed): its wall time and peak RSS, and its outputs byte-identical to the full run's.
# Usage: Scripts/bench-memory.sh [N…]   (default 10000 100000; BIN=… measures another binary,
#        WORKERS=… sets --workers, default 2)
# Work files go under .slurm/bench-memory/ (git-ignored); each run's output folder is fresh.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(10000 100000)
WORKERS=${WORKERS:-2}
source Scripts/lib.sh
export PATH=/opt/swift/usr/bin:$PATH
[[ -n ${BIN:-} ]] || release_speechprep
D=.slurm/bench-memory
mkdir -p "$D/clips"

# Three short clips of real speech.
mapfile -t SOURCES < <(ls Samples/commonvoice-sample/en/clips/*.mp3 | head -3)
for k in 0 1 2; do
    [[ -s "$D/clips/clip$k.wav" ]] || ffmpeg -nostdin -loglevel error -y -i "${SOURCES[$k]}" -t 0.1 -ar 48000 -ac 1 -c:a pcm_s16le "$D/clips/clip$k.wav"
done

manifest() { # manifest <N>: a NeMo manifest of N entries with distinct ids, clips repeated
    local path="$D/manifest-$1.jsonl"
    [[ -s $path ]] || python3 - "$1" "$(realpath "$D/clips")" >"$path" <<'EOF'
import json, sys
n, clips = int(sys.argv[1]), sys.argv[2]
out = sys.stdout
for i in range(n):
    out.write(json.dumps({"audio_filepath": f"{clips}/clip{i % 3}.wav", "duration": 0.1,
                          "text": f"utterance number {i}", "id": f"cv_{i:08d}"}) + "\n")
EOF
    echo "$path"
}

# run <label> <command…>: wall seconds and peak RSS of one whole process.
run() {
    local label=$1 start end
    shift
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$D/rss" "$@" >/dev/null 2>"$D/stderr" || { cat "$D/stderr" >&2; exit 1; }
    end=$(date +%s%N)
    WALL=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    RSS=$(cat "$D/rss")
    printf '%-40s %9s s %9.1f MiB\n' "$label" "$WALL" "$(awk -v k="$RSS" 'BEGIN { print k / 1024 }')"
}

echo "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), --workers $WORKERS, $BIN"
printf '%-40s %11s %13s\n' "" "wall" "peak RSS"
declare -A PEAK
for n in "${SIZES[@]}"; do
    out="$D/out-$n-$$"
    run "prepare $n items" "$BIN" prepare "$(manifest "$n")" --out "$out" --workers "$WORKERS" --quiet --no-language-limit
    PEAK[$n]=$RSS
    [[ $(wc -l <"$out/manifest.jsonl") -eq $n ]] || { echo "prepare $n: the manifest does not have $n lines" >&2; exit 1; }
    last=$n
done

# Resume of the largest run, cut back to 90 % done.
out="$D/out-$last-$$"
mkdir -p "$D/full-$$"
mv "$out/manifest.jsonl" "$out/metadata.jsonl" "$out/failures.jsonl" "$D/full-$$/"
keep=$((1 + last * 9 / 10))
head -n "$keep" "$out/journal.jsonl" >"$out/journal.cut" && mv "$out/journal.cut" "$out/journal.jsonl"
run "resume $last items, 90 % done" "$BIN" prepare "$(manifest "$last")" --out "$out" --workers "$WORKERS" --quiet --no-language-limit
for f in manifest.jsonl metadata.jsonl failures.jsonl; do
    cmp "$out/$f" "$D/full-$$/$f" || { echo "resume: $f differs from the uninterrupted run's" >&2; exit 1; }
done
echo "resume: manifest, metadata and failures byte-identical to the uninterrupted run"
python3 - "$out" <<'EOF'
import json, sys
for name in ("manifest.jsonl", "metadata.jsonl", "failures.jsonl"):
    with open(f"{sys.argv[1]}/{name}", encoding="utf-8") as f:
        for line in f:
            json.loads(line)
EOF
if [[ ${#SIZES[@]} -gt 1 ]]; then
    first=${SIZES[0]}
    echo "peak RSS ${first} → ${last} items: ratio $(awk -v a="${PEAK[$first]}" -v b="${PEAK[$last]}" 'BEGIN { printf "%.2f", b / a }') (goal: flat, ≤ 64 MB)"
fi
rm -rf "$D"/out-*-$$ "$D/full-$$"
