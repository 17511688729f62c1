#!/usr/bin/env bash
# Whole-process scoring speed: `speechprep score --ref --hyp --normalizer X` against one Python
# process that applies the same normalisation (openai-whisper's normalisers, or jiwer's
# transforms) and calls jiwer.wer and jiwer.cer, on the same pairs, in the same run.
#
#   Scripts/compare-score.sh [PAIRS] [NORMALIZER…]     (default 100000, all four normalisers)
#
# Both sides are timed as whole processes (start-up, reading, normalising, scoring, output),
# best of REPEATS (default 3), and must agree on WER and CER. Uses .venv-normalizers (made by
# Scripts/check-normalizers.sh) with jiwer added, and a release build of speechprep.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

PAIRS="${1:-100000}"
shift || true
NORMALIZERS=("${@:-whisper-english whisper-basic lowercase-punctuation jiwer-default}")
NORMALIZERS=(${NORMALIZERS[*]})
REPEATS="${REPEATS:-3}"
VENV="${NORMALIZERS_VENV:-.venv-normalizers}"
[[ -d "$VENV/openai_whisper-20250625" ]] || bash Scripts/check-normalizers.sh --fetch-only
"$VENV/bin/python" -c "import jiwer" 2>/dev/null || "$VENV/bin/pip" install --quiet "jiwer==4.0.0"
export WHISPER_NORMALIZERS="$PWD/$VENV/openai_whisper-20250625/whisper/normalizers"
swift build -c release --product speechprep 2>&1 | grep -E "error|warning: " || true
SPEECHPREP="$(swift build -c release --show-bin-path)/speechprep"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/speechprep-compare-score.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Common Voice-like pairs: capitalised references with punctuation, numbers and contractions;
# lower-case hypotheses without punctuation with about 15 % word errors.
PYTHONPATH=Scripts PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" - "$PAIRS" "$WORK" <<'PY'
import random, sys
import word_errors
count, work = int(sys.argv[1]), sys.argv[2]
rng = random.Random(11)
vocabulary = word_errors.vocabulary(rng, ["don't", "it's", "colour", "centre", "twenty", "five", "hundred", "mr", "dr", "um"])
with open(f"{work}/ref.txt", "w") as refs, open(f"{work}/hyp.txt", "w") as hyps:
    for _ in range(count):
        ref, hyp = word_errors.pair(rng, vocabulary, number_rate=0.04)
        text = " ".join(ref)
        text = text[0].upper() + text[1:]
        text = text.replace(" ", ", ", 1) if rng.random() < 0.3 else text
        refs.write(text + rng.choice([".", ".", "?", "!"]) + "\n")
        hyps.write(" ".join(hyp) + "\n")
PY

cat > "$WORK/score.py" <<'PY'
# One Python process: read, normalise, jiwer.wer + jiwer.cer, print.
import importlib.util, json, os, sys, types
import jiwer
name, ref_path, hyp_path = sys.argv[1:4]
refs = open(ref_path, encoding="utf-8").read().split("\n")[:-1]
hyps = open(hyp_path, encoding="utf-8").read().split("\n")[:-1]
def whisper(cls):
    folder = os.environ["WHISPER_NORMALIZERS"]
    package = types.ModuleType("wn"); package.__path__ = [folder]; sys.modules["wn"] = package
    for module_name in ("basic", "english"):
        spec = importlib.util.spec_from_file_location(f"wn.{module_name}", f"{folder}/{module_name}.py")
        module = importlib.util.module_from_spec(spec); sys.modules[spec.name] = module; spec.loader.exec_module(module)
    return getattr(sys.modules["wn.english" if cls == "EnglishTextNormalizer" else "wn.basic"], cls)()
if name == "whisper-english": normalize = whisper("EnglishTextNormalizer")
elif name == "whisper-basic": normalize = whisper("BasicTextNormalizer")
elif name == "lowercase-punctuation":
    steps = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation()])
    normalize = lambda s: " ".join(steps(s).split())
else: normalize = lambda s: s.strip()
pairs = [(r, h) for r, h in ((normalize(r), normalize(h)) for r, h in zip(refs, hyps)) if r.strip()]
refs, hyps = [p[0] for p in pairs], [p[1] for p in pairs]
print(json.dumps({"wer": jiwer.wer(refs, hyps), "cer": jiwer.cer(refs, hyps), "utteranceCount": len(refs)}))
PY

best() {  # "wall cpu": best wall and best CPU (user + sys) time of REPEATS runs of a command;
          # its last stdout goes to $WORK/out
    "$VENV/bin/python" - "$REPEATS" "$WORK/out" "$@" <<'PY'
import resource, subprocess, sys, time
repeats, out, command = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
walls, cpus = [], []
for _ in range(repeats):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=True)
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
open(out, "wb").write(result.stdout)
print(f"{min(walls):.3f} {min(cpus):.3f}")
PY
}

echo "pairs: $PAIRS (whole processes, best of $REPEATS), load average $(cut -d' ' -f1 /proc/loadavg)"
printf "%-22s %9s %9s %7s  %9s %9s %7s   %s\n" normalizer "python s" "ours s" wall "py cpu" "ours cpu" cpu "WER / CER (both sides)"
status=0
for name in "${NORMALIZERS[@]}"; do
    python_times=$(best "$VENV/bin/python" "$WORK/score.py" "$name" "$WORK/ref.txt" "$WORK/hyp.txt")
    cp "$WORK/out" "$WORK/python.json"
    ours_times=$(best "$SPEECHPREP" score --ref "$WORK/ref.txt" --hyp "$WORK/hyp.txt" --normalizer "$name" --json)
    cp "$WORK/out" "$WORK/ours.json"
    "$VENV/bin/python" - "$name" "$python_times" "$ours_times" "$WORK/python.json" "$WORK/ours.json" <<'PY' || status=1
import json, sys
name, a, b = sys.argv[1], json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
(py, pyc), (ours, oursc) = (map(float, t.split()) for t in sys.argv[2:4])
same = all(abs(a[k] - b[k]) <= 1e-12 for k in ("wer", "cer")) and a["utteranceCount"] == b["utteranceCount"]
print(f"{name:<22} {py:9.3f} {ours:9.3f} {py / ours:6.1f}x  {pyc:9.3f} {oursc:9.3f} {pyc / oursc:6.1f}x   {a['wer']:.6f} / {a['cer']:.6f}"
      + ("" if same else f"   MISMATCH: ours {b['wer']} / {b['cer']} ({b['utteranceCount']})"))
sys.exit(0 if same else 1)
PY
done
exit $status
