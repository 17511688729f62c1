#!/usr/bin/env bash
# Conformance check of the whisper normalisers against openai-whisper itself.
#
#   Scripts/check-normalizers.sh [COUNT]     draw COUNT (default 5000) fresh random sentences,
#                                            normalise them with openai-whisper, then run the
#                                            Swift suite on them
#   Scripts/check-normalizers.sh --fetch-only  only set up the venv and the reference
#   Scripts/check-normalizers.sh --fixture   regenerate the committed vectors (all text, and
#                                            ASCII only for whisper-english's byte path) and the
#                                            Swift source of whisper's British -> American spellings
#
# openai-whisper comes from PyPI with `pip download --no-deps` (its normalisers are loaded by
# file, so torch is not needed) into .venv-normalizers, with the two packages they import
# (regex, more-itertools); nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

WHISPER_VERSION="${WHISPER_VERSION:-20250625}"
VENV="${NORMALIZERS_VENV:-.venv-normalizers}"
SOURCE="$VENV/openai_whisper-$WHISPER_VERSION"
source Scripts/lib.sh
ensure_venv "$VENV" "import regex, more_itertools" regex more-itertools
if [[ ! -f "$SOURCE/whisper/normalizers/english.py" ]]; then
    "$VENV/bin/pip" download --quiet --no-deps --no-binary :all: "openai-whisper==$WHISPER_VERSION" -d "$VENV/download"
    tar -xzf "$VENV/download/openai_whisper-$WHISPER_VERSION.tar.gz" -C "$VENV"
fi
export WHISPER_NORMALIZERS="$PWD/$SOURCE/whisper/normalizers"
[[ "${1:-}" == "--fetch-only" ]] && exit 0

if [[ "${1:-}" == "--fixture" ]]; then
    "$VENV/bin/python" Scripts/make-normalizer-vectors.py --spellings Sources/Scoring/BritishSpellings.swift
    "$VENV/bin/python" Scripts/make-normalizer-vectors.py --count 2500 --seed 20261206 \
        --out Tests/Fixtures/scoring/whisper-normalizer-vectors.jsonl
    "$VENV/bin/python" Scripts/make-normalizer-vectors.py --ascii --count 3000 --seed 20261207 \
        --out Tests/Fixtures/scoring/whisper-english-ascii-vectors.jsonl
    exit 0
fi
OUT="${TMPDIR:-/tmp}/speechprep-normalizer-vectors-$$.jsonl"
trap 'rm -f "$OUT"' EXIT
"$VENV/bin/python" Scripts/make-normalizer-vectors.py --count "${1:-5000}" --seed "${SEED:-$RANDOM}" --out "$OUT"
SPEECHPREP_NORMALIZER_VECTORS="$OUT" swift test --filter "ScoringTests.WhisperNormalizerTests"
