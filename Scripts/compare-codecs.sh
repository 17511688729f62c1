#!/usr/bin/env bash
# Times SpeechPrep's decoder and converter against peer tools on the same files in ONE run and
# prints ratios (the project's rule: performance is a ratio against a peer measured together).
#
#   Scripts/compare-codecs.sh [WORK_FOLDER]     (default /tmp/speechprep-compare-codecs)
#
# Inputs, made once with sox + lame: a 10-minute 44.1 kHz stereo signal as 128 kbps MP3, 16-bit
# WAV and FLAC; 1-minute and 1-hour MP3s for the peak-memory check.
# Peers: mpg123 -s, ffmpeg -ar 16000 -ac 1, sox, and Python soundfile + soxr, pydub, librosa
# (in the local venv .venv-codecs). Ours: Scripts/codec-harness, a release build of a tiny
# command over AudioCodec (one process per job, like the CLI peers).
#
# Each job runs REPEAT times (default 3); the table shows the best wall time and the best CPU
# time (user + sys of the process, or process_time() for in-process Python). The machine is
# shared, so CPU time is the steadier measure; both are printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/speechprep-compare-codecs}
export REPEAT=${REPEAT:-3}
mkdir -p "$work"

for tool in sox lame mpg123 ffmpeg python3 swift; do
    command -v "$tool" >/dev/null || { echo "missing $tool (run Scripts/bootstrap.sh)"; exit 1; }
done

echo "== inputs"
if [ ! -f "$work/ten.mp3" ]; then
    sox -n -r 44100 -c 2 -b 16 "$work/ten.wav" synth 600 pinknoise sine 220-3520 tremolo 3 gain -8
    lame --quiet -b 128 "$work/ten.wav" "$work/ten.mp3"
    sox "$work/ten.wav" "$work/ten.flac"
fi
if [ ! -f "$work/hour.mp3" ]; then
    sox -n -r 44100 -c 2 -b 16 "$work/minute.wav" synth 60 pinknoise sine 220-3520 tremolo 3 gain -8
    lame --quiet -b 128 "$work/minute.wav" "$work/minute.mp3"
    sox -n -r 44100 -c 2 -b 16 -t wav - synth 3600 pinknoise sine 220-3520 tremolo 3 gain -8 \
        | lame --quiet -b 128 - "$work/hour.mp3"
fi

echo "== building the release harness"
(cd "$root/Scripts/codec-harness" && swift build -c release 2>&1 | grep -E "error|warning|Compiling|Build complete" | tail -3)
harness="$root/Scripts/codec-harness/.build/release/codec-harness"

venv="$root/.venv-codecs"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q soundfile soxr pydub librosa numpy
fi

"$venv/bin/python" - "$work" "$harness" <<'PY'
import os, resource, subprocess, sys, time
work, harness = sys.argv[1], sys.argv[2]
repeat = int(os.environ.get("REPEAT", "3"))
mp3, wav, flac = (f"{work}/ten.{x}" for x in ("mp3", "wav", "flac"))
out = f"{work}/out.wav"
audio_seconds = 600.0

def run_process(argv, stdout=subprocess.DEVNULL):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

def run_python(fn):
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    # process_time counts this process's threads; pydub's ffmpeg child is added from rusage.
    return time.perf_counter() - start, time.process_time() - cpu

def best(job):
    results = [job() for _ in range(repeat)]
    return min(r[0] for r in results), min(r[1] for r in results)

import numpy as np, soundfile as sf, soxr
def sf_soxr():
    x, rate = sf.read(mp3, dtype="float32")
    y = soxr.resample(x.mean(axis=1), rate, 16000, "HQ")
    sf.write(out, y, 16000, subtype="PCM_16")
def pydub_convert():
    from pydub import AudioSegment
    AudioSegment.from_mp3(mp3).set_frame_rate(16000).set_channels(1).export(out, format="wav")
def pydub_with_child():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = run_python(pydub_convert)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, cpu + (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
def librosa_convert():
    import librosa
    y, _ = librosa.load(mp3, sr=16000, mono=True)
    sf.write(out, y, 16000, subtype="PCM_16")
import librosa  # imported once, outside the timings, like the others' start-up is not measured

jobs = {
    "decode MP3": [
        ("mpg123 -s", lambda: run_process(["mpg123", "-q", "-s", mp3])),
        ("ffmpeg -f s16le", lambda: run_process(["ffmpeg", "-nostdin", "-v", "error", "-i", mp3, "-f", "s16le", "-"])),
        ("sox -t s16", lambda: run_process(["sox", mp3, "-t", "s16", "-"])),
        ("soundfile.read", lambda: run_python(lambda: sf.read(mp3, dtype="float32"))),
        ("SpeechPrep", lambda: run_process([harness, "decode", mp3])),
    ],
    "decode WAV": [
        ("sox -t f32", lambda: run_process(["sox", wav, "-t", "f32", "-"])),
        ("soundfile.read", lambda: run_python(lambda: sf.read(wav, dtype="float32"))),
        ("SpeechPrep", lambda: run_process([harness, "decode", wav])),
    ],
    "decode FLAC": [
        ("sox -t f32", lambda: run_process(["sox", flac, "-t", "f32", "-"])),
        ("soundfile.read", lambda: run_python(lambda: sf.read(flac, dtype="float32"))),
        ("SpeechPrep", lambda: run_process([harness, "decode", flac])),
    ],
    "MP3 -> 16 kHz mono 16-bit WAV": [
        ("ffmpeg -ar 16000 -ac 1", lambda: run_process(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", mp3, "-ar", "16000", "-ac", "1", out])),
        ("sox -r 16000 -c 1 (rate -h)", lambda: run_process(["sox", mp3, "-r", "16000", "-c", "1", "-b", "16", out])),
        ("soundfile + soxr HQ", lambda: run_python(sf_soxr)),
        ("pydub", pydub_with_child),
        ("librosa.load(sr=16000)", lambda: run_python(librosa_convert)),
        ("SpeechPrep (high)", lambda: run_process([harness, "convert", mp3, out])),
        ("SpeechPrep (quick)", lambda: run_process([harness, "convert", mp3, out, "quick"])),
        ("SpeechPrep (high, half-rate MP3)", lambda: run_process([harness, "convert", mp3, out, "high", "half-rate"])),
    ],
}

print(f"\n{'job':34} {'tool':34} {'wall s':>7} {'x realtime':>10} {'cpu s':>7}")
table = {}
for job, tools in jobs.items():
    for tool, fn in tools:
        wall, cpu = best(fn)
        table[(job, tool)] = (wall, cpu)
        print(f"{job:34} {tool:34} {wall:7.3f} {audio_seconds / wall:10.0f} {cpu:7.3f}")

def peer_wall(ours, peer):
    return f"wall {peer[0] / ours[0]:.2f}x, cpu {peer[1] / ours[1]:.2f}x"

print("\nratios (peer time / our time; > 1 means SpeechPrep is faster)")
for job, ours, peers in [
    ("decode MP3", "SpeechPrep", ["mpg123 -s", "ffmpeg -f s16le", "sox -t s16", "soundfile.read"]),
    ("decode WAV", "SpeechPrep", ["sox -t f32", "soundfile.read"]),
    ("decode FLAC", "SpeechPrep", ["sox -t f32", "soundfile.read"]),
    ("MP3 -> 16 kHz mono 16-bit WAV", "SpeechPrep (high)", ["ffmpeg -ar 16000 -ac 1", "sox -r 16000 -c 1 (rate -h)", "soundfile + soxr HQ", "pydub", "librosa.load(sr=16000)"]),
    ("MP3 -> 16 kHz mono 16-bit WAV", "SpeechPrep (quick)", ["ffmpeg -ar 16000 -ac 1", "pydub"]),
    ("MP3 -> 16 kHz mono 16-bit WAV", "SpeechPrep (high, half-rate MP3)", ["ffmpeg -ar 16000 -ac 1", "soundfile + soxr HQ", "pydub", "librosa.load(sr=16000)"]),
]:
    for peer in peers:
        print(f"  {job:32} {ours:34} vs {peer:30} {peer_wall(table[(job, ours)], table[(job, peer)])}")

print("\npeak RSS converting MP3 -> 16 kHz mono WAV (/usr/bin/time -v)")
def peak_rss(argv):
    r = subprocess.run(["/usr/bin/time", "-v"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    line = next(l for l in r.stderr.splitlines() if "Maximum resident set size" in l)
    return int(line.split(":")[1]) / 1024
for name in ("minute", "hour"):
    src = f"{work}/{name}.mp3"
    ours = peak_rss([harness, "convert", src, out])
    ff = peak_rss(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", src, "-ar", "16000", "-ac", "1", out])
    print(f"  1-{name} MP3: SpeechPrep {ours:6.1f} MB   ffmpeg {ff:6.1f} MB")
PY
