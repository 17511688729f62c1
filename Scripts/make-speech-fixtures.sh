#!/bin/sh
# Makes spoken test sentences with espeak-ng for the transcription tests and docs.
#
#   Scripts/make-speech-fixtures.sh OUTDIR
#
# For each sentence N (1…): OUTDIR/N.wav (espeak-ng's own output, 22.05 kHz mono 16-bit) and
# OUTDIR/N.mp3 (the same resampled by sox to 44.1 kHz stereo and encoded as 128 kbps MP3), so
# that tests go through decode → downmix → resample → transcribe. OUTDIR/transcription lists
# "N<TAB>sentence" lines (lower case, no punctuation: the reference transcripts).
set -eu
OUT=${1:?usage: make-speech-fixtures.sh OUTDIR}
mkdir -p "$OUT"
: > "$OUT/transcription"
n=0
while IFS= read -r sentence; do
    n=$((n + 1))
    espeak-ng -v en-us -s 150 -w "$OUT/$n.wav" "$sentence"
    sox "$OUT/$n.wav" -r 44100 -c 2 -C 128 "$OUT/$n.mp3"
    printf '%s\t%s\n' "$n" "$sentence" >> "$OUT/transcription"
done <<'SENTENCES'
go forward ten meters
the weather is nice today
please call me tomorrow morning
she sells sea shells by the sea shore
open the door and turn on the light
i would like a cup of coffee
the quick brown fox jumps over the lazy dog
we need more time to finish the project
SENTENCES
