#!/usr/bin/env python3
"""Peer comparison for Docs/benchmarks/segment.md, run from the repository root:

    python3 Scripts/compare-segment.py

In one run it times the peers on the same input the Swift benchmark uses (one minute of
speech-like 16 kHz signal repeated to 10 and 60 minutes):
  * librosa.effects.split (energy-based silence splitting, top_db=30, 10 ms hop)
  * the old workflow's fixed-length split: pydub AudioSegment slicing into 5 s pieces
then runs `swift package benchmark --target SegmentBenchmarks` and prints both, so the
ratios come from one script run on one machine.
"""
import os, subprocess, sys, time, venv

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
VENV = os.path.join(ROOT, ".venv-segment")

def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        venv.create(VENV, with_pip=True)
        subprocess.check_call([py, "-m", "pip", "install", "-q", "numpy", "librosa", "pydub"])
    if sys.executable != py:
        os.execv(py, [py] + sys.argv)

def one_minute(np):
    # The same generator as SegmentBenchmarks.swift (a 64-bit LCG), so both sides segment the same signal.
    state = 0x5EED
    mask = (1 << 64) - 1
    def uniform():
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        return (state >> 40) / float(1 << 24) * 2 - 1
    rate = 16000
    out = np.zeros(60 * rate, dtype=np.float32)
    t, talking = 0, True
    while t < len(out):
        length = int(abs(uniform()) * 6 * rate) + rate // 4 if talking else int(abs(uniform()) * 1.3 * rate) + rate // 5
        for i in range(t, min(t + length, len(out))):
            dip = (i - t) % (rate // 4) >= rate // 5
            out[i] = 0.001 * uniform() + (((0.01 if dip else 0.1) * uniform()) if talking else 0)
        t += length
        talking = not talking
    return out

def best_of(fn, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)

def main():
    ensure_venv()
    import numpy as np, librosa
    from pydub import AudioSegment
    minute = one_minute(np)
    for minutes in (10, 60):
        y = np.tile(minute, minutes)
        seconds = minutes * 60
        t = best_of(lambda: librosa.effects.split(y, top_db=30, frame_length=400, hop_length=160))
        print(f"librosa.effects.split      {minutes:3d} min: {t*1000:9.1f} ms  = {seconds / t:10.0f}x realtime")
        pcm = (y * 32767).astype(np.int16).tobytes()
        sound = AudioSegment(data=pcm, sample_width=2, frame_rate=16000, channels=1)
        def pydub_split():
            n = len(sound)  # milliseconds
            return [sound[i:i + 5000] for i in range(0, n, 5000)]
        t = best_of(pydub_split)
        print(f"pydub 5 s slicing (old)    {minutes:3d} min: {t*1000:9.1f} ms  = {seconds / t:10.0f}x realtime")
    subprocess.call(["swift", "package", "--allow-writing-to-package-directory", "benchmark",
                     "--target", "SegmentBenchmarks", "--no-progress"], cwd=os.path.join(ROOT, "Benchmarks"))

if __name__ == "__main__":
    main()
