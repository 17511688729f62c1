#!/usr/bin/env bash
# Times WER and CER over the same sentence pairs in jiwer 4.0 and in SpeechPrep's Scoring
# target, in the same run, and prints the ratio.
#
#   Scripts/compare-jiwer.sh [PAIRS]      (default 100000)
#
# jiwer goes into a local venv (.venv-jiwer). Our side is a small release-mode harness built
# against the Scoring library (of this checkout, or of SPEECHPREP_ROOT for a before/after
# comparison), so the root package gains no target. Each side runs REPEATS times; the best time counts. Both sides must agree on the
# corpus measures or the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

PAIRS="${1:-100000}"
REPEATS="${REPEATS:-3}"
VENV="${JIWER_VENV:-.venv-jiwer}"
source Scripts/lib.sh
ensure_venv "$VENV" "import jiwer" "jiwer==${JIWER_VERSION:-4.0.0}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/speechprep-compare-jiwer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --- the harness: times Scorer over the pairs file --------------------------------------
cat > "$WORK/main.swift" <<'SWIFT'
import Foundation
import Scoring

// Pairs file: reference \u{1F} hypothesis \u{1E}, repeated.
let arguments = CommandLine.arguments
let data = try! Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let repeats = Int(arguments[2])!
let text = String(decoding: data, as: UTF8.self)
var references: [String] = [], hypotheses: [String] = []
for record in text.split(separator: "\u{1E}", omittingEmptySubsequences: true) {
    let fields = record.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
    references.append(String(fields[0]))
    hypotheses.append(fields.count > 1 ? String(fields[1]) : "")
}
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
for unit in [ScoringUnit.word, .character] {
    var best = Double.infinity, bestCPU = Double.infinity
    var report = ScoreReport(unit: unit)
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds, startCPU = cpuSeconds()
        report = try! score(references: references, hypotheses: hypotheses, unit: unit)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        bestCPU = min(bestCPU, cpuSeconds() - startCPU)
    }
    let t = report.total
    print("\(unit.rawValue) \(best) \(bestCPU) \(report.errorRate) \(t.hits) \(t.substitutions) \(t.deletions) \(t.insertions)")
}
SWIFT
build_harness scoring-harness "$WORK/main.swift" Scoring

# --- the pairs, and jiwer's timing ------------------------------------------------------
PYTHONPATH=Scripts PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/python" - "$PAIRS" "$REPEATS" "$WORK/pairs.txt" "$WORK/jiwer.txt" <<'PY'
import random, sys, time
import jiwer
import word_errors

count, repeats, pairs_path, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
rng = random.Random(7)
vocabulary = word_errors.vocabulary(rng)
refs, hyps = [], []
for _ in range(count):
    ref, hyp = word_errors.pair(rng, vocabulary)
    refs.append(" ".join(ref)); hyps.append(" ".join(hyp))

with open(pairs_path, "w", encoding="utf-8") as f:
    f.write("".join(f"{r}\x1f{h}\x1e" for r, h in zip(refs, hyps)))

with open(out_path, "w") as f:
    for unit, process in (("word", jiwer.process_words), ("character", jiwer.process_characters)):
        best = best_cpu = float("inf")
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            o = process(refs, hyps)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - start_cpu)
        rate = o.wer if unit == "word" else o.cer
        f.write(f"{unit} {best} {best_cpu} {rate} {o.hits} {o.substitutions} {o.deletions} {o.insertions}\n")
PY

"$HARNESS" "$WORK/pairs.txt" "$REPEATS" > "$WORK/swift.txt"

echo "pairs: $PAIRS (best of $REPEATS), jiwer $("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("jiwer"))'), load average $(cut -d' ' -f1 /proc/loadavg)"
printf "%-10s %9s %9s %7s  %9s %9s %7s   %s\n" unit "jiwer s" "ours s" "wall" "jiwer cpu" "ours cpu" "cpu" "corpus rate (H S D I)"
status=0
while read -r unit jt jc jrate jh js jd ji && read -r _ st sc srate sh ss sd si <&3; do
    if ! python3 -c "import sys; sys.exit(0 if abs(float('$jrate') - float('$srate')) <= 1e-12 and '$jh $js $jd $ji' == '$sh $ss $sd $si' else 1)"; then
        echo "MISMATCH $unit: jiwer $jrate ($jh $js $jd $ji) vs Scoring $srate ($sh $ss $sd $si)"
        status=1
    fi
    python3 -c "print('%-10s %9.3f %9.4f %6.1fx  %9.3f %9.4f %6.1fx   %s (%s %s %s %s)' % ('$unit', $jt, $st, $jt / $st, $jc, $sc, $jc / $sc, '$jrate', '$jh', '$js', '$jd', '$ji'))"
done < "$WORK/jiwer.txt" 3< "$WORK/swift.txt"
exit $status
