#!/usr/bin/env bash
# Builds a Common Voice release of COUNT clips (default 200) for the scale-out tests, from the
# real recorded speech of Samples/commonvoice-sample (made by make-demo-sample.sh from Debian's
# pocketsphinx-testdata): clip i is a copy of sample clip (i mod 12) under its own Common Voice
# id, with that clip's sentence. dev.tsv and validated.tsv both list every clip.
# Usage: Scripts/make-test-release.sh OUTPUT-FOLDER [COUNT]   (writes OUTPUT-FOLDER/en)
# Idempotent: an existing release of the same size is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: $0 OUTPUT-FOLDER [COUNT]}
COUNT=${2:-200}
SAMPLE=Samples/commonvoice-sample/en
if [[ -f $OUT/en/dev.tsv ]] && (($(wc -l <"$OUT/en/dev.tsv") == COUNT + 1)); then
    echo "test release: $OUT/en has $COUNT clips"
    exit 0
fi
rm -rf "$OUT/en"
mkdir -p "$OUT/en/clips"
# Column 2 is the clip's file name; awk keeps the empty columns (bash `read` would merge tabs).
awk -F '\t' -v OFS='\t' -v count="$COUNT" -v sample="$SAMPLE/clips" -v clips="$OUT/en/clips" '
    NR == 1 { print; next }
    { rows[n++] = $0 }
    END {
        for (i = 0; i < count; i++) {
            $0 = rows[i % n]
            id = "common_voice_en_" (50000000 + i)
            if (system("cp \"" sample "/" $2 "\" \"" clips "/" id ".mp3\"") != 0) exit 1
            $2 = id ".mp3"
            print
        }
    }' "$SAMPLE/validated.tsv" >"$OUT/en/validated.tsv"
cp "$OUT/en/validated.tsv" "$OUT/en/dev.tsv"
echo "test release: wrote $COUNT clips to $OUT/en ($(du -sh "$OUT/en" | cut -f1))"
