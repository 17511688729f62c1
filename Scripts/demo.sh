#!/usr/bin/env bash
# The README demo (`make demo`): builds speechprep and runs the main job on the bundled Common
# Voice sample of real recorded speech — 48 kHz MP3 → 16 kHz mono WAVs, PocketSphinx
# transcription, results JSON + NeMo JSONL, WER — with the live progress bar.
# Output goes to ./out/demo (gitignored). Rerunning resumes (nothing left to do) unless
# DEMO_FRESH=1. Set SWIFT_BUILD_FLAGS=-c release for a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLE=Samples/commonvoice-sample/en
OUT=out/demo
echo "==> building speechprep"
swift build --product speechprep ${SWIFT_BUILD_FLAGS:-}
BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/speechprep"

echo "==> the sample: $(($(wc -l <"$SAMPLE/validated.tsv") - 1)) clips"
"$BIN" info "$SAMPLE/clips/common_voice_en_40000001.mp3"

echo "==> transcribing with PocketSphinx into $OUT"
"$BIN" transcribe "$SAMPLE" --split validated --out "$OUT" --write-audio ${DEMO_FRESH:+--fresh}

echo "==> scoring"
"$BIN" score "$OUT/results.json" --worst 3
"$BIN" report "$OUT" --html "$OUT/report.html" --min-slice 3 >/dev/null
echo
echo "results:  $OUT/results.json   ({idx: {ID, truth, asr}})"
echo "manifest: $OUT/manifest.jsonl (NeMo, with pred_text)"
echo "audio:    $OUT/wavs/*.wav      (16 kHz mono)"
echo "report:   $OUT/report.html     (speechprep report: WER by slice with intervals, alignments, audio)"
