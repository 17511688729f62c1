#!/bin/sh
# Compares PocketSphinxTranscriber with Debian's pocketsphinx_continuous on the same 16 kHz
# files, same model, same options, in one run (the project reports ratios, not raw timings).
#
#   Scripts/compare-transcription.sh [ROUNDS]
#
# Builds a small release runner (Scripts/compare-transcription/main.swift) in a temporary
# package that depends on this one, then for each round times, interleaved:
#   peer total : one `pocketsphinx_continuous -infile F -logfn /dev/null` process per file
#   peer load  : the same on 0.1 s of silence (process start + model load)
#   ours cold  : per file, a new PocketSphinxTranscriber + read + transcribe
#   ours warm  : one engine, decoding only
# and prints realtime factors (audio seconds per wall second; higher is faster), the ratio
# ours/peer, the RSS per engine instance (ours) and the peak RSS of one peer process.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
DATA=/usr/share/pocketsphinx/test/data
FILES="$DATA/librivox/*.wav $DATA/cards/*.wav"
WORK=$(mktemp -d /tmp/compare-transcription.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

command -v pocketsphinx_continuous >/dev/null || { echo "apt-get install pocketsphinx" >&2; exit 1; }
[ -d "$DATA" ] || { echo "apt-get install pocketsphinx-testdata" >&2; exit 1; }

# --- the runner, built once (release) against this checkout --------------------------------
RUNNER_PKG=${RUNNER_PKG:-$ROOT/.build-compare-transcription}
mkdir -p "$RUNNER_PKG/Sources/runner"
cp "$ROOT/Scripts/compare-transcription/main.swift" "$RUNNER_PKG/Sources/runner/main.swift"
cat > "$RUNNER_PKG/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "runner",
    dependencies: [.package(name: "SpeechPrep", path: "$ROOT")],
    targets: [.executableTarget(
        name: "runner",
        dependencies: [.product(name: "Transcription", package: "SpeechPrep"),
                       .product(name: "AudioCodec", package: "SpeechPrep"),
                       .product(name: "PCM", package: "SpeechPrep")])])
SWIFT
echo "building the runner (release)…" >&2
swift build -c release --package-path "$RUNNER_PKG" >&2
RUNNER="$RUNNER_PKG/.build/release/runner"

# --- audio ------------------------------------------------------------------------------------
AUDIO=$(for f in $FILES; do soxi -D "$f"; done | awk '{s += $1} END {printf "%.3f", s}')
COUNT=$(echo $FILES | wc -w)
sox -n -r 16000 -b 16 -c 1 "$WORK/silence.wav" trim 0 0.1
echo "files: $COUNT clips, $AUDIO s of 16 kHz speech (librivox + cards from pocketsphinx-testdata)"

elapsed() { # command… → wall seconds
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
peer_all() { for f in $FILES; do pocketsphinx_continuous -infile "$f" -logfn /dev/null >/dev/null; done; }
peer_load() { for f in $FILES; do pocketsphinx_continuous -infile "$WORK/silence.wav" -logfn /dev/null >/dev/null; done; }

best() { sort -g | head -1; }
: > "$WORK/peer"; : > "$WORK/peerload"; : > "$WORK/cold"; : > "$WORK/warm"
for round in $(seq "$ROUNDS"); do
    elapsed peer_all >> "$WORK/peer"
    "$RUNNER" cold $FILES | head -1 >> "$WORK/cold"
    elapsed peer_load >> "$WORK/peerload"
    "$RUNNER" warm $FILES >> "$WORK/warm"
done
PEER=$(best < "$WORK/peer"); PEERLOAD=$(best < "$WORK/peerload")
COLD=$(best < "$WORK/cold"); WARM=$(best < "$WORK/warm")
LOAD=$("$RUNNER" load 3)
MEM=$("$RUNNER" memory 4)
PEERMEM=$(/usr/bin/time -f %M pocketsphinx_continuous -infile "$DATA/librivox/sense_and_sensibility_01_austen_64kb-0870.wav" -logfn /dev/null 2>&1 >/dev/null | tail -1)

rtf() { echo "scale=2; $AUDIO / $1" | bc -l; }
PEER_DECODE=$(echo "$PEER - $PEERLOAD" | bc -l)
echo "best of $ROUNDS rounds (wall seconds):"
echo "  pocketsphinx_continuous, process per file : $PEER s  -> $(rtf "$PEER")x realtime"
echo "  pocketsphinx_continuous, start+load only  : $PEERLOAD s"
echo "  pocketsphinx_continuous, decoding only    : $PEER_DECODE s -> $(rtf "$PEER_DECODE")x realtime"
echo "  PocketSphinxTranscriber, engine per file  : $COLD s  -> $(rtf "$COLD")x realtime"
echo "  PocketSphinxTranscriber, one engine       : $WARM s  -> $(rtf "$WARM")x realtime"
echo "  PocketSphinxTranscriber, engine creation  : $LOAD s each"
echo "ratio (ours RTF / peer RTF), engine per file vs process per file: $(echo "scale=3; $PEER / $COLD" | bc -l)"
echo "ratio (ours RTF / peer RTF), decoding only                      : $(echo "scale=3; $PEER_DECODE / $WARM" | bc -l)"
echo "memory: RSS growth per PocketSphinxTranscriber instance: $MEM KiB; peak RSS of one pocketsphinx_continuous process: $PEERMEM KiB"

# Same engine, same model: the transcripts should agree.
"$RUNNER" cold $FILES | tail -n +2 > "$WORK/ours"
same=0; total=0
while IFS="$(printf '\t')" read -r _ file text; do
    total=$((total + 1))
    peer=$(pocketsphinx_continuous -infile "$file" -logfn /dev/null 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')
    if [ "$peer" = "$text" ]; then same=$((same + 1)); else echo "  differs on $(basename "$file"): ours \"$text\" / peer \"$peer\""; fi
done < "$WORK/ours"
echo "transcripts identical to pocketsphinx_continuous on $same of $total files"
