#!/usr/bin/env bash
# Compares PocketSphinxTranscriber with Debian's pocketsphinx_continuous on the same 16 kHz
# files, same model, same options, in one run (the project reports ratios, not raw timings).
#
#   Scripts/compare-transcription.sh [ROUNDS]
#
# Builds a small release runner (Scripts/compare-transcription/main.swift) in a package of its
# own (<root>/.build-compare-transcription, Scripts/lib.sh build_harness), then for each round
# times, interleaved:
#   peer total : one `pocketsphinx_continuous -infile F -logfn /dev/null` process per file
#   peer load  : the same on 0.1 s of silence (process start + model load)
#   ours cold  : one runner process; per file a new PocketSphinxTranscriber + read + transcribe
#   ours warm  : one engine, decoding only
# Wall and CPU (user + system, children included, from /usr/bin/time) are both reported:
# CPU time is the robust figure on a shared machine. Prints realtime factors (audio seconds
# per second; higher is faster), the ratios ours/peer, the RSS per engine instance (ours)
# and the peak RSS of one peer process.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
DATA=/usr/share/pocketsphinx/test/data
FILES="$DATA/librivox/*.wav $DATA/cards/*.wav"
WORK=$(mktemp -d /tmp/compare-transcription.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

command -v pocketsphinx_continuous >/dev/null || { echo "apt-get install pocketsphinx" >&2; exit 1; }
[ -d "$DATA" ] || { echo "apt-get install pocketsphinx-testdata" >&2; exit 1; }

# --- the runner, built (release) against this checkout, or SPEECHPREP_ROOT's -----------------
echo "building the runner (release)…" >&2
source "$ROOT/Scripts/lib.sh"
SPEECHPREP_ROOT=${SPEECHPREP_ROOT:-$ROOT} build_harness compare-transcription "$ROOT/Scripts/compare-transcription/main.swift" Transcription AudioCodec PCM
RUNNER=$HARNESS

# --- audio ------------------------------------------------------------------------------------
AUDIO=$(for f in $FILES; do soxi -D "$f"; done | awk '{s += $1} END {printf "%.3f", s}')
COUNT=$(echo $FILES | wc -w)
sox -n -r 16000 -b 16 -c 1 "$WORK/silence.wav" trim 0 0.1
echo "files: $COUNT clips, $AUDIO s of 16 kHz speech (librivox + cards from pocketsphinx-testdata)"

timed() { # command… → "wall cpu" seconds of the command and everything it waited for
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null 2>&1
    awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$WORK/time"
}
export FILES WORK

# Best wall and best CPU of each measurement over the rounds (each column on its own).
best() { sort -g -k1 "$1" | head -1 | cut -d' ' -f1; }
bestcpu() { sort -g -k2 "$1" | head -1 | cut -d' ' -f2; }
: > "$WORK/peer"; : > "$WORK/peerload"; : > "$WORK/cold"; : > "$WORK/warm"
for round in $(seq "$ROUNDS"); do
    timed sh -c 'for f in $FILES; do pocketsphinx_continuous -infile "$f" -logfn /dev/null; done' >> "$WORK/peer"
    timed "$RUNNER" cold $FILES >> "$WORK/cold"
    timed sh -c 'for f in $FILES; do pocketsphinx_continuous -infile "$WORK/silence.wav" -logfn /dev/null; done' >> "$WORK/peerload"
    "$RUNNER" warm $FILES >> "$WORK/warm"
done
LOAD=$("$RUNNER" load 3)
set -- $("$RUNNER" memory 4)
MEM=$1; MEMANON=$2; MEMFILE=$3
PEERMEM=$(/usr/bin/time -f %M pocketsphinx_continuous -infile "$DATA/librivox/sense_and_sensibility_01_austen_64kb-0870.wav" -logfn /dev/null 2>&1 >/dev/null | tail -1)

rtf() { echo "scale=2; $AUDIO / $1" | bc -l; }
ratio() { echo "scale=3; $1 / $2" | bc -l; }
report() { # label, file → line with best wall and best CPU as RTF
    printf '  %-52s wall %7.2f s (%sx realtime)  CPU %7.2f s (%sx realtime)\n' "$1" "$(best "$2")" "$(rtf "$(best "$2")")" "$(bestcpu "$2")" "$(rtf "$(bestcpu "$2")")"
}
echo "best of $ROUNDS rounds; RTF = audio seconds per second (higher is faster):"
report "pocketsphinx_continuous, one process per file" "$WORK/peer"
report "pocketsphinx_continuous on 0.1 s silence (start+load)" "$WORK/peerload"
report "PocketSphinxTranscriber, one process, engine per file" "$WORK/cold"
report "PocketSphinxTranscriber, one engine, decoding only" "$WORK/warm"
PEER_DECODE_CPU=$(echo "$(bestcpu "$WORK/peer") - $(bestcpu "$WORK/peerload")" | bc -l)
echo "  pocketsphinx_continuous decoding only (CPU, total minus start+load): $PEER_DECODE_CPU s"
echo "  PocketSphinxTranscriber engine creation: $LOAD s wall each"
echo "ratio ours/peer RTF, per file (wall): $(ratio "$(best "$WORK/peer")" "$(best "$WORK/cold")")"
echo "ratio ours/peer RTF, per file (CPU) : $(ratio "$(bestcpu "$WORK/peer")" "$(bestcpu "$WORK/cold")")"
echo "ratio ours/peer RTF, long-lived engine vs peer decoding only (CPU): $(ratio "$PEER_DECODE_CPU" "$(bestcpu "$WORK/warm")")"
echo "memory: RSS growth per PocketSphinxTranscriber instance: $MEM KiB ($MEMANON KiB anonymous, $MEMFILE KiB file-backed); peak RSS of one pocketsphinx_continuous process: $PEERMEM KiB"

# Same engine, same model: the transcripts should agree.
"$RUNNER" cold $FILES | tail -n +2 > "$WORK/ours"
same=0; total=0
while IFS="$(printf '\t')" read -r _ file text; do
    total=$((total + 1))
    peer=$(pocketsphinx_continuous -infile "$file" -logfn /dev/null 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')
    if [ "$peer" = "$text" ]; then same=$((same + 1)); else echo "  differs on $(basename "$file"): ours \"$text\" / peer \"$peer\""; fi
done < "$WORK/ours"
echo "transcripts identical to pocketsphinx_continuous on $same of $total files"
