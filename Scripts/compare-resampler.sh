#!/usr/bin/env bash
# Times SpeechPrep's Resampler against Python soxr (HQ and VHQ) on the same jobs, in the same
# run: 10 minutes of 44.1 kHz and of 48 kHz mono Float32 resampled to 16 kHz, single-threaded.
# Prints each tool's throughput (× realtime) and the ratio SpeechPrep / soxr per input rate.
#
# Usage: [ROUNDS=4] [RATES=44100,48000] Scripts/compare-resampler.sh [seconds-of-audio] [repeats]
# Extra compiler flags for the Swift harness may be given in SWIFTFLAGS (for example
# SWIFTFLAGS="-target-cpu x86-64-v3"); by default it is built for the baseline CPU, like
# the package itself. SPEECHPREP_ROOT=<another checkout> times that checkout's PCM instead.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
repeats="${2:-3}"
venv=.venv-resampler
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet soxr numpy
fi

# The Swift harness: Scripts/resampler-timing built against the PCM library (of this checkout,
# or of SPEECHPREP_ROOT for a before/after comparison).
source Scripts/lib.sh
build_harness resampler-timing Scripts/resampler-timing/main.swift PCM
cp "$HARNESS" "$work/resampler-timing"

cat > "$work/soxr_timing.py" <<'PY'
import sys, time
import numpy as np, soxr
seconds, repeats = float(sys.argv[1]), int(sys.argv[2])
for rate in (int(r) for r in sys.argv[3].split(",")):
    n = int(seconds * rate)
    t = np.arange(n) / rate
    rng = np.random.default_rng(12345)
    x = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3000 * t)
         + 0.1 * rng.uniform(-1, 1, n)).astype(np.float32)
    for q in ("HQ", "VHQ"):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            y = soxr.resample(x, rate, 16000, quality=q)
            best = min(best, time.perf_counter() - start)
        print(f"{rate} soxr {q} {best:.4f} s {seconds / best:.0f}x realtime ({len(y)} frames)")
PY

rounds="${ROUNDS:-4}"
rates="${RATES:-44100,48000}"
echo "job: ${seconds} s of mono Float32 at ${rates} Hz -> 16 kHz; ${rounds} alternating rounds of best-of-${repeats}; best of all kept; $(nproc) cores; $(date -u +%FT%TZ)"
export OMP_NUM_THREADS=1
# The machine is shared, so the tools take turns several times and each keeps its best time.
all=""
for _ in $(seq "$rounds"); do
    all+="$("$venv/bin/python" "$work/soxr_timing.py" "$seconds" "$repeats" "$rates")"$'\n'
    all+="$("$work/resampler-timing" "$seconds" "$repeats" "$rates")"$'\n'
done
best="$(awk 'NF { key = $1 " " $2 " " $3; if (!(key in t) || $4 < t[key]) { t[key] = $4; line[key] = $0 } }
             END { for (k in line) print line[k] }' <<<"$all" | sort -k1,1n -k2,2 -k3,3)"
echo "$best"
awk '$2 == "soxr" { t[$1 " " $3] = $4 }
     $2 == "speechprep" { p[++n] = $0 }
     END { for (i = 1; i <= n; i++) { split(p[i], f, " ")
               printf "ratio %s->16000 speechprep %s / soxr HQ = %.2f, / soxr VHQ = %.2f\n",
                   f[1], f[3], t[f[1] " HQ"] / f[4], t[f[1] " VHQ"] / f[4] } }' <<<"$best"
