#!/usr/bin/env bash
# Installs every system package SpeechPrep needs to build, test and run its demo.
# Idempotent: packages already installed are skipped. Runs apt-get as root or with sudo.
set -euo pipefail

packages=(
  pkg-config
  libsndfile1-dev        # CSndFile: WAV/RF64/FLAC/OGG/Opus/AIFF decode and encode
  libmpg123-dev          # CMPG123: MP3 decode
  libpocketsphinx-dev    # CPocketSphinx: the in-process recogniser
  libarchive-dev         # CArchive: reading Common Voice tarballs (tar, gz, xz, zst, bz2) as a stream
  pocketsphinx-en-us     # its default US English model
  pocketsphinx-testdata  # real recorded speech with reference transcripts (tests, demo data)
  pocketsphinx           # pocketsphinx_continuous, the peer in the transcription benchmark
  espeak-ng              # synthetic speech for segmenter and codec fixtures
  sox libsox-fmt-mp3     # tones, reference decodes, soxi
  lame mpg123            # MP3 encoding for fixtures; mpg123 as a reference decoder
  ffmpeg                 # MP4/M4A/AAC decoding through FFmpegDecoder; peer in benchmarks
  python3-venv           # local venvs for jiwer / soxr / psutil comparisons
  procps                 # free, ps, pgrep: compared against ProcessProbe in tests
  chromium               # headless browser that opens `speechprep report` pages in CI
  slurm-wlm munge        # a one-node Slurm cluster for the scale-out test (Scripts/slurm-cluster.sh)
  python3-yaml           # checks the Kubernetes manifest (Scripts/check-k8s-manifest.py)
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "bootstrap: this script installs Debian packages with apt-get, which is not available here." >&2
  echo "bootstrap: install the equivalents of: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# Python engines live in git-ignored venvs at the project root (PyPI only; nothing at run time).
python_engines() { bash "$(dirname "$0")/bootstrap-whisper.sh"; }

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#packages[@]} system packages are installed."
  python_engines
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
python_engines
echo "bootstrap: done."
