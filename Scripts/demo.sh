#!/usr/bin/env bash
# The README demo (`make demo`): builds speechprep and runs the main job on the bundled Common
# Voice sample of real recorded speech — 48 kHz MP3 → 16 kHz mono WAVs, transcription with the
# best engine the bootstrap installed (Whisper base through faster-whisper when .venv-whisper
# holds it, PocketSphinx otherwise), results JSON + NeMo JSONL, WER — with the live progress
# bar; then PocketSphinx's WER on the same clips for comparison.
# Output goes to ./out/demo (gitignored). Rerunning resumes (nothing left to do) unless
# DEMO_FRESH=1. Set SWIFT_BUILD_FLAGS=-c release for a release build; DEMO_ENGINE=pocketsphinx
# to run the main job with PocketSphinx.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLE=Samples/commonvoice-sample/en
OUT=out/demo
echo "==> building speechprep"
swift build --product speechprep ${SWIFT_BUILD_FLAGS:-}
BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/speechprep"

echo "==> the sample: $(($(wc -l <"$SAMPLE/validated.tsv") - 1)) clips"
"$BIN" info "$SAMPLE/clips/common_voice_en_40000001.mp3"

# Score the way ASR evaluation does: openai-whisper's English normaliser ("10" = "ten",
# "Mr." = "mister", hyphens), as the Open ASR Leaderboard does.
NORMALIZER=(--normalizer whisper-english)
ENGINE=${DEMO_ENGINE:-pocketsphinx}
if [[ -z "${DEMO_ENGINE:-}" && -f .venv-whisper/models/whisper-base/model.bin ]]; then ENGINE=whisper; fi
if [[ $ENGINE == whisper ]]; then
    echo "==> transcribing with Whisper base (faster-whisper, .venv-whisper) into $OUT"
    "$BIN" transcribe "$SAMPLE" --split validated --out "$OUT" --write-audio --engine whisper "${NORMALIZER[@]}" ${DEMO_FRESH:+--fresh}
else
    echo "==> transcribing with PocketSphinx into $OUT"
    "$BIN" transcribe "$SAMPLE" --split validated --out "$OUT" --write-audio --engine pocketsphinx "${NORMALIZER[@]}" ${DEMO_FRESH:+--fresh}
fi

echo "==> scoring ${NORMALIZER[*]}"
"$BIN" score "$OUT/results.json" --worst 3 "${NORMALIZER[@]}"
"$BIN" report "$OUT" --html "$OUT/report.html" --min-slice 3 "${NORMALIZER[@]}" >/dev/null
if [[ $ENGINE == whisper ]]; then
    echo
    echo "==> for comparison: PocketSphinx on the same clips (out/demo-pocketsphinx)"
    "$BIN" transcribe "$SAMPLE" --split validated --out out/demo-pocketsphinx --quiet --engine pocketsphinx "${NORMALIZER[@]}" ${DEMO_FRESH:+--fresh} >/dev/null
    "$BIN" score out/demo-pocketsphinx/results.json --worst 0 "${NORMALIZER[@]}"
fi
echo
echo "results:  $OUT/results.json   ({idx: {ID, truth, asr}})"
echo "manifest: $OUT/manifest.jsonl (NeMo, with pred_text)"
echo "audio:    $OUT/wavs/*.wav      (16 kHz mono)"
echo "report:   $OUT/report.html     (speechprep report: WER by slice with intervals, alignments, audio)"
