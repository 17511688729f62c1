#!/usr/bin/env bash
# `speechprep merge --verify` of 4 shard parts against a Python peer (json.loads every line,
# heapq.merge by input position, json.dumps the merged manifest.jsonl), whole processes, in one
# run; plus speechprep's peak RSS at two sizes, to show it does not grow with the record count.
# Two cases: parts whose lines carry each item's Common-Voice-like metadata (speaker, language,
# age, gender, accents, votes, …), as real runs write them, and metadata-free parts (as parts
# written before metadata was carried). The peer writes only manifest.jsonl; speechprep also
# writes results.json, failures.jsonl and metadata.jsonl. Plain `merge --verify` (what users run)
# also prints the merged WER: like a shard, the generator puts each part's score in its done
# marker (computed with real jiwer, in .venv-jiwer), and the merge adds those up. `--json` prints
# the merge report only, so that row times the merge itself; a third row merges the same parts
# with the scores taken out of the markers (as markers written before they held one), so the
# merge scores every record as it writes it — and must print the same WER and CER as the sum of
# jiwer's counts; and `speechprep score --json` of the merged results.json must give exactly the
# WER, CER and worst 10 the generator derives from jiwer's counts. All are timed, and peak RSS at
# two sizes.
# Usage: Scripts/bench-merge.sh [records-per-part] [small-records-per-part]   (default 100000 25000)
#        BASELINE=<another speechprep binary> adds its plain `merge --verify` (before/after in one run).
# Parts are written under .slurm/bench-merge/ (git-ignored) in the format a shard writes; the
# first run generates them (about a minute per case, most of it jiwer), later runs reuse them.
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/lib.sh
VENV="${JIWER_VENV:-.venv-jiwer}"
ensure_venv "$VENV" "import jiwer" "jiwer==${JIWER_VERSION:-4.0.0}"
N=${1:-100000}
SMALL=${2:-25000}
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product speechprep 2>&1 | grep -E 'error|warning:' >&2 || true
BIN=$(swift build -c release --show-bin-path)/speechprep
D=.slurm/bench-merge
mkdir -p "$D"

make_parts() { # make_parts <folder> <records per part> <metadata 0|1>: parts 0..3 of 4, records interleaved as a hash split does
    "$VENV/bin/python" - "$1" "$2" "$3" <<'EOF'
import heapq, json, os, random, sys
import jiwer
folder, per_part, with_metadata = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
os.makedirs(folder, exist_ok=True)
if os.path.exists(f"{folder}/expected-score.json"):  # written last
    sys.exit(0)
rng = random.Random(7)
words = "the of and to a in that is was he for it with as his on be at by had not ten clubs spades hearts".split()
speakers = ["%0128x" % rng.getrandbits(512) for _ in range(500)]
accents = ["United States English", "England English", "India and South Asia (India, Pakistan, Sri Lanka)",
           "Canadian English", "Australian English", "Scottish English", ""]
def metadata():
    # The columns a Common Voice validated.tsv gives (ManifestEntry.outputMetadata).
    return {"accents": rng.choice(accents), "age": rng.choice(["teens", "twenties", "thirties", "fourties", ""]),
            "down_votes": str(rng.randint(0, 2)), "gender": rng.choice(["male_masculine", "female_feminine", ""]),
            "language": "en", "segment": "", "sentence_domain": "", "sentence_id": "%064x" % rng.getrandbits(256),
            "speaker": rng.choice(speakers), "up_votes": str(rng.randint(2, 9)), "variant": ""}
config = {"engine": "pocketsphinx", "input": "commonvoice:/data/cv/en#train", "limit": "none",
          "normalization": "lowercase-punctuation", "resampleQuality": "high", "targetSampleRate": "16000",
          "writeAudio": "false", "languageLimits": "8000,yue=none,zh-HK=none"}
files = [open(f"{folder}/part-{k}-of-4.jsonl", "w", encoding="utf-8") for k in range(4)]
counts = [0] * 4
# Each part's score, as ShardPart.Score holds it: jiwer's counts summed over the successes,
# normalised as `lowercase-punctuation` is, and the 10 worst by (rate desc, input position asc).
normalize = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()])
kinds = ("hits", "substitutions", "deletions", "insertions")
scores = [{"offered": 0, "words": dict.fromkeys(kinds, 0), "characters": dict.fromkeys(kinds, 0), "worst": []} for _ in range(4)]
def score(part, index, record):
    part["offered"] += 1
    ref, hyp = normalize(record["truth"]), normalize(record.get("asr", ""))
    words, characters = jiwer.process_words(ref, hyp), jiwer.process_characters(ref, hyp)
    for total, counts in ((part["words"], words), (part["characters"], characters)):
        for kind in kinds:
            total[kind] += getattr(counts, kind)
    rate = (words.substitutions + words.deletions + words.insertions) / (words.hits + words.substitutions + words.deletions)
    ranked = (rate, -index, {"order": index, "utterance": {"id": record["id"], "reference": ref, "hypothesis": hyp,
                                                          "wer": rate, "unit": "word", "errorRate": rate}})
    (heapq.heappush if len(part["worst"]) < 10 else heapq.heappushpop)(part["worst"], ranked)
for index in range(4 * per_part):
    k = rng.randrange(4) if min(counts) < per_part else counts.index(min(counts))
    while counts[k] >= per_part:
        k = (k + 1) % 4
    counts[k] += 1
    clip = f"common_voice_en_{40000000 + index}"
    truth = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14)))
    record = {"asr": truth if rng.random() < 0.5 else " ".join(truth.split()[1:]), "duration": round(rng.uniform(1, 9), 3),
              "engine": "pocketsphinx", "id": clip, "truth": truth.capitalize() + "."}
    if rng.random() < 0.01:
        record = {"duration": 0, "error": "decode failed: not an MP3", "id": clip, "truth": truth}
    line = {"audioPath": f"/data/cv/en/clips/{clip}.mp3", "index": index, "record": record}
    if with_metadata:
        line["metadata"] = metadata()
    files[k].write(json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n")
    if "error" not in record:
        score(scores[k], index, record)
for k, f in enumerate(files):
    f.close()
    s = scores[k]
    tally = {"normalizer": "lowercase-punctuation", "worstCount": 10, "offered": s["offered"], "words": s["words"],
             "characters": s["characters"], "worst": [w for _, _, w in sorted(s["worst"], reverse=True)],
             "units": [{"unit": "word", "utteranceCount": s["offered"], "counts": s["words"]}]}
    with open(f"{folder}/part-{k}-of-4.done", "w") as marker:
        json.dump({"chunkInterval": None, "configuration": config, "recordCount": counts[k],
                   "shard": {"count": 4, "index": k}, "transcribed": True,
                   "score": {"unit": "word", "tally": tally}}, marker, sort_keys=True)
# The merged score from jiwer's sums alone, for the script to compare with `speechprep score`.
errors = lambda counts: counts["substitutions"] + counts["deletions"] + counts["insertions"]
total = lambda kind: {k: sum(s[kind][k] for s in scores) for k in kinds}
words, characters = total("words"), total("characters")
worst = sorted((w for s in scores for w in s["worst"]), key=lambda w: (-w[0], -w[1]))[:10]
with open(f"{folder}/expected-score.json", "w") as expected:
    json.dump({"wer": errors(words) / (words["hits"] + words["substitutions"] + words["deletions"]),
               "cer": errors(characters) / (characters["hits"] + characters["substitutions"] + characters["deletions"]),
               "worst": [w[2]["utterance"]["id"] for w in worst]}, expected)
EOF
}

# run <label> <command…>: wall seconds and peak RSS (KiB) of one whole process, from /usr/bin/time -v
run() {
    local label=$1
    shift
    /usr/bin/time -v "$@" >"$D/stdout.txt" 2>"$D/time.txt" || { cat "$D/time.txt" >&2; exit 1; }
    local wall rss cpu
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$D/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$D/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$D/time.txt")
    printf '%-48s %8.2f s %8.2f s %9.1f MiB\n' "$label" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
    echo "$wall $rss $cpu" >"$D/last.txt"
}

PEER=$(cat <<'EOF'
import heapq, json, sys
folder, out = sys.argv[1], sys.argv[2]
def records(k):
    with open(f"{folder}/part-{k}-of-4.jsonl", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)
with open(out, "w", encoding="utf-8") as manifest:
    for item in heapq.merge(*(records(k) for k in range(4)), key=lambda r: r["index"]):
        r = item["record"]
        manifest.write(json.dumps({"audio_filepath": item["audioPath"], "duration": r["duration"], "text": r["truth"],
                                   "pred_text": r.get("asr", "")}, ensure_ascii=False) + "\n")
EOF
)

# unscored <folder>: <folder>-unscored, whose parts are links to the folder's and whose markers
# have no score (the fallback: the merge scores every record)
unscored() {
    local folder=$1 copy=$1-unscored
    mkdir -p "$copy"
    for part in "$folder"/part-*.jsonl; do ln -sf "$(realpath "$part")" "$copy/"; done
    python3 - "$folder" "$copy" <<'EOF'
import glob, json, os, sys
for path in glob.glob(sys.argv[1] + "/part-*.done"):
    marker = json.load(open(path))
    del marker["score"]
    json.dump(marker, open(os.path.join(sys.argv[2], os.path.basename(path)), "w"), sort_keys=True)
EOF
}

# bench <case> <0|1>: both processes on 4×N records, then speechprep on 4×SMALL; prints the ratios
bench() {
    local case=$1 metadata=$2
    # "scored-": parts whose markers hold their score (older caches, without, are not reused)
    local big="$D/scored-parts-$case-$N" small="$D/scored-parts-$case-$SMALL"
    make_parts "$big" "$N" "$metadata"
    make_parts "$small" "$SMALL" "$metadata"
    unscored "$big"
    echo
    echo "$case: 4 parts × $N records ($(du -sh "$big" | cut -f1)), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
    printf '%-48s %10s %10s %13s\n' "" "wall" "CPU" "peak RSS"
    rm -rf "$D/out"
    run "speechprep merge --verify (4×$N)" "$BIN" merge "$big" --out "$D/out" --verify
    read -r ours ours_rss ours_cpu <"$D/last.txt"
    local summed_score
    summed_score=$(grep '^WER ' "$D/stdout.txt" || true)
    rm -rf "$D/out-unscored"
    run "  the same, no scores in the markers" "$BIN" merge "$big-unscored" --out "$D/out-unscored" --verify
    read -r unscored _ unscored_cpu <"$D/last.txt"
    [[ -n $summed_score && "$(grep '^WER ' "$D/stdout.txt")" == "$summed_score" ]] \
        || { echo "the markers' summed score differs from scoring every record: $summed_score vs $(grep '^WER ' "$D/stdout.txt")" >&2; exit 1; }
    cmp -s "$D/out/results.json" "$D/out-unscored/results.json" || { echo "the fallback merge wrote another results.json" >&2; exit 1; }
    # Exactly: jiwer's summed WER, CER and worst 10 are what our scorer reads from the merged results.
    "$BIN" score "$D/out/results.json" --worst 10 --json | python3 -c '
import json, sys
ours, jiwer = json.load(sys.stdin), json.load(open(sys.argv[1]))
assert (ours["wer"], ours["cer"], [w["id"] for w in ours["worst"]]) == (jiwer["wer"], jiwer["cer"], jiwer["worst"]), (ours, jiwer)
' "$big/expected-score.json"
    rm -rf "$D/out-json"
    run "  the same with --json (no WER printed)" "$BIN" merge "$big" --out "$D/out-json" --verify --json
    read -r json json_rss json_cpu <"$D/last.txt"
    run "python json + heapq.merge → manifest (4×$N)" python3 -c "$PEER" "$big" "$D/peer.jsonl"
    read -r peer _ peer_cpu <"$D/last.txt"
    rm -rf "$D/out-small" "$D/out-json"
    run "speechprep merge --verify --json (4×$SMALL)" "$BIN" merge "$small" --out "$D/out-small" --verify --json
    read -r _ small_rss _ <"$D/last.txt"
    rm -rf "$D/out-small"
    run "speechprep merge --verify (4×$SMALL)" "$BIN" merge "$small" --out "$D/out-small" --verify
    read -r _ small_plain_rss _ <"$D/last.txt"
    local base=0 base_cpu=0
    if [[ -n ${BASELINE:-} ]]; then
        rm -rf "$D/out-base"
        run "  baseline merge --verify (4×$N)" "$BASELINE" merge "$big" --out "$D/out-base" --verify
        read -r base _ base_cpu <"$D/last.txt"
        cmp -s "$D/out/results.json" "$D/out-base/results.json" && cmp -s "$D/out/metadata.jsonl" "$D/out-base/metadata.jsonl" \
            || { echo "the baseline wrote different files" >&2; exit 1; }
    fi
    [[ $(cat "$D/out/manifest.jsonl" "$D/out/failures.jsonl" | wc -l) -eq $(wc -l <"$D/peer.jsonl") ]] || { echo "the peer merged a different number of records" >&2; exit 1; }
    [[ $(wc -l <"$D/out/metadata.jsonl") -eq $(wc -l <"$D/out/manifest.jsonl") ]] || { echo "metadata.jsonl and manifest.jsonl differ in length" >&2; exit 1; }
    python3 - "$ours" "$peer" "$ours_rss" "$small_rss" "$N" "$SMALL" "$ours_cpu" "$peer_cpu" "$case" "$json" "$json_cpu" "$json_rss" "$small_plain_rss" "$base" "$base_cpu" "$unscored" "$unscored_cpu" "$summed_score" <<'EOF'
import sys
ours, peer, rss, small_rss = map(float, sys.argv[1:5])
n, small = sys.argv[5:7]
ours_cpu, peer_cpu = map(float, sys.argv[7:9])
case = sys.argv[9]
json, json_cpu, json_rss, small_plain_rss, base, base_cpu, unscored, unscored_cpu = map(float, sys.argv[10:18])
print(f"{case} speed: python / speechprep = {peer / ours:.1f}x wall, {peer_cpu / ours_cpu:.1f}x CPU (goal ≥ 5x); "
      f"merge only (--json): {peer / json:.1f}x wall, {peer_cpu / json_cpu:.1f}x CPU; "
      f"no scores in the markers: {peer / unscored:.1f}x wall, {peer_cpu / unscored_cpu:.1f}x CPU")
print(f"{case} score: the markers' jiwer sums = scoring every record: {sys.argv[18]}")
print(f"{case} peak RSS (merge only): {small_rss / 1024:.1f} MiB at 4×{small}, {json_rss / 1024:.1f} MiB at 4×{n} "
      f"(ratio {json_rss / small_rss:.2f}); printing the WER: {small_plain_rss / 1024:.1f} MiB at 4×{small}, "
      f"{rss / 1024:.1f} MiB at 4×{n} (ratio {rss / small_plain_rss:.2f})")
if base:
    print(f"{case} before/after: baseline merge --verify / this one = {base / ours:.1f}x wall, {base_cpu / ours_cpu:.1f}x CPU")
EOF
    rm -rf "$D/out" "$D/out-small" "$D/out-json" "$D/out-base" "$D/out-unscored" "$D/peer.jsonl"
}

bench metadata 1
bench metadata-free 0
