#!/usr/bin/env bash
# Common Voice straight from its archive vs extracted, all in one run so the ratios are fair on
# a shared machine. A release of N clips of real speech (Scripts/make-cv-archive.sh; TSVs
# stored AFTER the clips, the hard case; and a copy with the TSVs first) is prepared
# (MP3 → 16 kHz mono WAV, 2 workers):
#   1. over the extracted folder;
#   2. over the .tar.gz, read in place (TSVs last, and TSVs first); 1 and 2 run twice,
#      alternating, and the faster run of each counts (the machine is shared);
#   3. `tar xzf` followed by prepare on the folder it made (what users do today);
#   4. one Python process: tarfile (stream) + soundfile + soxr HQ, as the old workflow did;
#   5. a resume of run 2 that is 90 % done (the archive is read again);
#   6. peak RSS with 10× the members: an archive of 10·N clips, the same N wanted (--limit).
# Also: the disk space each way, and the cost of finding TSVs stored after the clips.
# Usage: Scripts/compare-archive.sh [clips]   (default 2000; release build of speechprep)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
source Scripts/lib.sh
release_speechprep
VENV=.venv-prepare
ensure_venv "$VENV" "import soundfile, soxr, numpy" soundfile soxr numpy
WORK=$(mktemp -d /tmp/speechprep-archive.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
Scripts/make-cv-archive.sh "$WORK/first" "$N" first >/dev/null
Scripts/make-cv-archive.sh "$WORK/release" "$N" last >/dev/null
ARCHIVE="$WORK/release/cv-corpus-test-en.tar.gz"
FIRST="$WORK/first/cv-corpus-test-en.tar.gz"
FOLDER="$WORK/release/cv-corpus-test/en"
OPTS=(--split validated --workers 2 --quiet --no-language-limit)

declare -A WALL RSS

echo "$N clips; archive $(du -k "$ARCHIVE" | cut -f1) KiB (.tar.gz, TSVs after the clips)"
# The runs alternate and each counts at its faster round (the machine is shared).
# Output folders are removed first, so no run reuses an earlier run's TSV copy.
for round in 1 2; do
    rm -rf "$WORK/folder" "$WORK/archive" "$WORK/archive-first"
    run_clips "prepare extracted folder ($round)" "$BIN" prepare "$FOLDER" --out "$WORK/folder" "${OPTS[@]}"
    run_clips "prepare .tar.gz, TSVs last ($round)" "$BIN" prepare "$ARCHIVE" --out "$WORK/archive" "${OPTS[@]}"
    run_clips "prepare .tar.gz, TSVs first ($round)" "$BIN" prepare "$FIRST" --out "$WORK/archive-first" "${OPTS[@]}"
done
for label in "prepare extracted folder" "prepare .tar.gz, TSVs last" "prepare .tar.gz, TSVs first"; do
    a="${WALL[$label (1)]}" b="${WALL[$label (2)]}"
    pick=2; awk -v a="$a" -v b="$b" 'BEGIN { exit !(a <= b) }' && pick=1
    WALL[$label]=${WALL[$label ($pick)]}; RSS[$label]=${RSS[$label ($pick)]}
done
cmp -s "$WORK/folder/manifest.jsonl" "$WORK/archive/manifest.jsonl" || { echo "error: outputs differ" >&2; exit 1; }
cmp -s "$WORK/folder/manifest.jsonl" "$WORK/archive-first/manifest.jsonl" || { echo "error: outputs differ" >&2; exit 1; }
run_clips "tar xzf" tar -C "$WORK" -xzf "$ARCHIVE"
run_clips "prepare after tar xzf" "$BIN" prepare "$WORK/cv-corpus-test/en" --out "$WORK/extracted" "${OPTS[@]}"
run_clips "finding the TSV (header-only pass)" "$BIN" import commonvoice "$ARCHIVE" --split validated --out "$WORK/tsv.jsonl"

cat >"$WORK/peer.py" <<'PY'
# One process, as the old workflow: find the TSV, then stream the tarball once more and
# decode each wanted clip from memory with soundfile, resample with soxr HQ, write a WAV.
import csv, io, os, sys, tarfile, soundfile as sf, soxr
archive, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
wanted = None
with tarfile.open(archive, "r|gz") as tar:
    for member in tar:
        if member.name.endswith("/validated.tsv"):
            text = tar.extractfile(member).read().decode()
            wanted = {row["path"] for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)}
            break
with tarfile.open(archive, "r|gz") as tar:
    for member in tar:
        name = member.name.rsplit("/", 1)[-1]
        if not member.isfile() or "/clips/" not in member.name or name not in wanted:
            continue
        data, rate = sf.read(io.BytesIO(tar.extractfile(member).read()), dtype="float32")
        if data.ndim > 1:
            data = data.mean(axis=1)
        sf.write(os.path.join(out, name[:-4] + ".wav"), soxr.resample(data, rate, 16000, quality="HQ"), 16000, subtype="PCM_16")
PY
run_clips "python tarfile+soundfile+soxr HQ" "$VENV/bin/python" "$WORK/peer.py" "$ARCHIVE" "$WORK/py"

# Resume: keep the header and 90 % of the records, drop the outputs, run again (the TSV copy
# from the first run is reused, as a real resume does; the clips are read again).
KEEP=$((N * 9 / 10 + 1))
head -n "$KEEP" "$WORK/archive/journal.jsonl" >"$WORK/journal" && mv "$WORK/journal" "$WORK/archive/journal.jsonl"
rm -f "$WORK/archive/manifest.jsonl" "$WORK/archive/failures.jsonl"
run_clips "resume 90 % done (.tar.gz)" "$BIN" prepare "$ARCHIVE" --out "$WORK/archive" "${OPTS[@]}"
cmp -s "$WORK/folder/manifest.jsonl" "$WORK/archive/manifest.jsonl" || { echo "error: resumed outputs differ" >&2; exit 1; }

# Peak RSS against the member count: 10·N clips in the archive, N of them prepared.
EXTRACTED_KIB=$(du -sk "$WORK/cv-corpus-test" | cut -f1)
EXTRACTED_INODES=$(find "$WORK/cv-corpus-test" | wc -l)
rm -rf "$WORK/cv-corpus-test" "$WORK/extracted" "$WORK/py"
Scripts/make-cv-archive.sh "$WORK/big" $((N * 10)) last >/dev/null
run_clips "prepare .tar.gz, 10x members" "$BIN" prepare "$WORK/big/cv-corpus-test-en.tar.gz" --out "$WORK/big-out" --limit "$N" "${OPTS[@]}"

echo
echo "archive (TSVs last) / folder clips/s:        $(ratio "${WALL[prepare extracted folder]}" "${WALL[prepare .tar.gz, TSVs last]}")"
echo "archive (TSVs first) / folder clips/s:       $(ratio "${WALL[prepare extracted folder]}" "${WALL[prepare .tar.gz, TSVs first]}")"
echo "tar xzf + prepare / archive wall time:       $(ratio "$(awk -v a="${WALL[tar xzf]}" -v b="${WALL[prepare after tar xzf]}" 'BEGIN { print a + b }')" "${WALL[prepare .tar.gz, TSVs last]}")"
echo "python tarfile+soxr / archive wall time:     $(ratio "${WALL[python tarfile+soundfile+soxr HQ]}" "${WALL[prepare .tar.gz, TSVs last]}")"
echo "resume 90 % done / full archive run:         $(ratio "${WALL[resume 90 % done (.tar.gz)]}" "${WALL[prepare .tar.gz, TSVs last]}")"
echo "peak RSS 10x members / 1x:                   $(ratio "${RSS[prepare .tar.gz, 10x members]}" "${RSS[prepare .tar.gz, TSVs last]}")"
echo "peak RSS archive / folder:                   $(ratio "${RSS[prepare .tar.gz, TSVs last]}" "${RSS[prepare extracted folder]}")"
echo "disk: archive $(du -k "$ARCHIVE" | cut -f1) KiB; tar xzf adds $EXTRACTED_KIB KiB in $EXTRACTED_INODES inodes; in place adds the split TSV copy ($(du -k "$WORK/archive/.archive-validated.tsv" | cut -f1) KiB)"
