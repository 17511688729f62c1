#!/usr/bin/env bash
# Builds Samples/commonvoice-sample: a tiny Common Voice release (layout, TSV header and clip
# format as a real CV download: 48 kHz mono MP3 under clips/) made of REAL recorded speech
# that has reference transcripts in Debian's pocketsphinx-testdata package:
#   librivox/*.wav + librivox/transcription   (LibriVox reading of Sense and Sensibility)
#   cards/*.wav + cards/cards.transcription   (spoken playing cards)
#   goforward.raw                             ("go forward ten meters", the reference the
#                                              package's own tests and goforward.gram use)
#   tidigits/dhd.2934z.raw                    (TIDIGITS naming: 2 9 3 4 z = zero)
# The .raw files are 16 kHz 16-bit signed little-endian mono. Synthetic speech is not used:
# PocketSphinx recognises espeak-ng badly, which makes a poor demo.
# Usage: Scripts/make-demo-sample.sh [output-folder]
#   (default Sources/SpeechPrepTesting/Resources/commonvoice-sample, which Samples/commonvoice-sample
#   links to: the sample is a resource of the SpeechPrepTesting product)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=/usr/share/pocketsphinx/test/data
OUT=${1:-Sources/SpeechPrepTesting/Resources/commonvoice-sample}
LOCALE=en
for tool in sox lame sha256sum sha512sum; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing; run Scripts/bootstrap.sh" >&2; exit 1; }
done
[ -d "$DATA" ] || { echo "error: $DATA is missing; install pocketsphinx-testdata" >&2; exit 1; }

rm -rf "$OUT/$LOCALE"
mkdir -p "$OUT/$LOCALE/clips"
HEADER=$'client_id\tpath\tsentence_id\tsentence\tsentence_domain\tup_votes\tdown_votes\tage\tgender\taccents\tvariant\tlocale\tsegment'
rows=()

# Sentence case with a full stop, as Common Voice sentences are written (the scorer's
# normalisation must cope with that).
sentence_case() { local s="$1"; printf '%s.' "${s^}"; }
# Common Voice ids are hex digests: client_id 128 digits, sentence_id 64.
hex() { printf '%s' "$1" | "sha$(($2 * 4))sum" | cut -d' ' -f1; }

n=0
# add <source audio> <sox input options> <speaker> <reference text> <gender> <age>
add() {
    local src="$1" inopts="$2" speaker="$3" text="$4" gender="$5" age="$6"
    n=$((n + 1))
    local id="common_voice_${LOCALE}_$((40000000 + n))"
    # sox resamples (its default VHQ) and lame encodes 48 kbit/s mono like a CV clip.
    # shellcheck disable=SC2086
    sox -R -G -V1 $inopts "$src" -t raw -r 48000 -c 1 -b 16 -e signed-integer -L - |
        lame --quiet -r -s 48 --bitwidth 16 --signed --little-endian -m m -b 48 --resample 48 \
            --noreplaygain - "$OUT/$LOCALE/clips/$id.mp3" 2>/dev/null  # lame warns about -r on every run
    local sentence; sentence=$(sentence_case "$text")
    rows+=("$(hex "$speaker" 128)	$id.mp3	$(hex "$text" 64)	$sentence		2	0	$age	$gender			$LOCALE	")
}

while read -r line; do
    text=$(sed -E 's/^<s> (.*) <\/s> \((.*)\)$/\1/' <<<"$line" | sed -E 's/ +$//')
    file=$(sed -E 's/^.*\((.*)\)$/\1/' <<<"$line")
    add "$DATA/librivox/$file.wav" "" "librivox-austen-reader" "$text" "female_feminine" "thirties"
done <"$DATA/librivox/transcription"
while read -r line; do
    text=$(sed -E 's/^<s> (.*) <\/s> \((.*)\)$/\1/' <<<"$line" | sed -E 's/ +$//')
    file=$(sed -E 's/^.*\((.*)\)$/\1/' <<<"$line")
    add "$DATA/cards/$file.wav" "" "cards-speaker" "$text" "" ""
done <"$DATA/cards/cards.transcription"
RAW="-t raw -r 16000 -c 1 -b 16 -e signed-integer -L"
add "$DATA/goforward.raw" "$RAW" "goforward-speaker" "go forward ten meters" "male_masculine" ""
add "$DATA/tidigits/dhd.2934z.raw" "$RAW" "tidigits-dhd" "two nine three four zero" "male_masculine" ""

# validated.tsv holds every clip; dev.tsv a subset (in a real release dev ⊂ validated).
{ echo "$HEADER"; printf '%s\n' "${rows[@]}"; } >"$OUT/$LOCALE/validated.tsv"
{ echo "$HEADER"; printf '%s\n' "${rows[@]}" | awk 'NR % 2 == 0'; } >"$OUT/$LOCALE/dev.tsv"
echo "wrote $n clips to $OUT/$LOCALE ($(du -sh "$OUT" | cut -f1))"
