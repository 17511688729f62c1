#!/usr/bin/env bash
# Renders every library's DocC catalog with swift-docc-plugin and fails on any warning (an
# unresolved ``link``, a documented parameter that does not exist, …). Run by .ci/run.
#
#   Scripts/check-docs.sh            (archives land in .build/plugins/Swift-DocC/outputs)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(SystemSupport PCM AudioCodec Archive Segmentation SpeechDataset Scoring ProcessProbe Transcription Reporting SpeechPrep SpeechPrepTesting)
args=()
for target in "${targets[@]}"; do args+=(--target "$target"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift package generate-documentation "${args[@]}" --warnings-as-errors >"$log" 2>&1; then
    grep -E -A3 "warning:|error:" "$log" || tail -30 "$log"
    echo "FAIL: the documentation does not build cleanly" >&2
    exit 1
fi
if grep -q "warning:" "$log"; then
    grep -A3 "warning:" "$log"
    echo "FAIL: the documentation has warnings" >&2
    exit 1
fi
echo "ok: documentation for ${targets[*]} builds without warnings"
