#!/usr/bin/env bash
# Builds a Common Voice release of N clips of REAL speech — the bundled sample's MP3s, made
# from Debian's pocketsphinx-testdata by Scripts/make-demo-sample.sh, under new ids — in the
# layout of a real download, both extracted and as archives:
#   OUT/cv-corpus-test/en/{clips/*.mp3, validated.tsv, test.tsv, dev.tsv}
#   OUT/cv-corpus-test-en.tar.gz and OUT/cv-corpus-test-en.tar.zst
# TSV_POSITION=last (default) stores the TSVs after the clips, first before them.
# Nothing here is committed; tests and benchmarks call it with a scratch folder.
# Usage: Scripts/make-cv-archive.sh OUT [clips] [first|last]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: Scripts/make-cv-archive.sh OUT [clips] [first|last]}
N=${2:-200}
TSV_POSITION=${3:-last}
SAMPLE=Samples/commonvoice-sample/en
for tool in tar gzip zstd python3; do
    command -v "$tool" >/dev/null || { echo "error: $tool is missing; run Scripts/bootstrap.sh" >&2; exit 1; }
done
RELEASE="$OUT/cv-corpus-test/en"
rm -rf "$OUT/cv-corpus-test"
mkdir -p "$RELEASE/clips"
python3 - "$SAMPLE" "$RELEASE" "$N" <<'PY'
import csv, os, sys
sample, release, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(os.path.join(sample, "validated.tsv"), newline="") as f:
    rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
header, rows = rows[0], rows[1:]
path_column = header.index("path")
splits = {"validated": [], "test": [], "dev": []}
for i in range(n):
    row = list(rows[i % len(rows)])
    source = os.path.join(sample, "clips", row[path_column])
    name = "common_voice_en_%d.mp3" % (50000000 + i)
    # Hard links keep a 20,000-clip release small; tar is told to store them as files. They
    # point at this release's own copy of each sample clip: linking the shared sample itself
    # changes its ctime while a parallel run's tar reads it ("file changed as we read it").
    private = os.path.join(release, "..", ".sources", os.path.basename(source))
    if not os.path.exists(private):
        os.makedirs(os.path.dirname(private), exist_ok=True)
        with open(os.path.realpath(source), "rb") as a, open(private, "wb") as b:
            b.write(a.read())
    os.link(private, os.path.join(release, "clips", name))
    row[path_column] = name
    splits["validated"].append(row)
    (splits["test"] if i % 5 == 0 else splits["dev"] if i % 5 == 1 else []).append(row)
for split, chosen in splits.items():
    with open(os.path.join(release, split + ".tsv"), "w", newline="") as f:
        writer = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(chosen)
PY
members=(cv-corpus-test/en/clips cv-corpus-test/en/validated.tsv cv-corpus-test/en/test.tsv cv-corpus-test/en/dev.tsv)
if [ "$TSV_POSITION" = first ]; then members=("${members[@]:1}" "${members[0]}"); fi
tar -C "$OUT" --sort=name --hard-dereference --owner=0 --group=0 --numeric-owner -cf "$OUT/cv-corpus-test-en.tar" "${members[@]}"
gzip -6 -c "$OUT/cv-corpus-test-en.tar" >"$OUT/cv-corpus-test-en.tar.gz"
zstd -q -f "$OUT/cv-corpus-test-en.tar" -o "$OUT/cv-corpus-test-en.tar.zst"
rm "$OUT/cv-corpus-test-en.tar"
echo "$N clips: $OUT/cv-corpus-test-en.tar.gz, $OUT/cv-corpus-test-en.tar.zst, extracted in $RELEASE"
