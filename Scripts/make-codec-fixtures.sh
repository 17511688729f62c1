#!/usr/bin/env bash
# Makes the small committed codec fixtures in Tests/Fixtures/codec (about 120 KB in all): one
# spoken sentence from espeak-ng, stored the way real collections store speech, including
# files whose extension lies about their content. Most codec test files are generated at test
# time instead (Tests/AudioCodecTests/CodecFixtures.swift); these few are committed so the
# tests also cover real speech and the exact bytes stay reviewable.
# Needs espeak-ng, sox, lame.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/Tests/Fixtures/codec"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

espeak-ng -v en-us -s 160 -w "$tmp/speech.wav" "Speech data, ready."
# Common Voice style: 48 kHz mono MP3 (MPEG-1 Layer III, VBR).
sox "$tmp/speech.wav" -r 48000 "$tmp/speech48k.wav"
lame --quiet -V 5 --add-id3v2 --tt "fixture" "$tmp/speech48k.wav" "$out/speech-48k-mono.mp3"
# The same MP3 under a WAV name, and a 16 kHz 16-bit WAV under an MP3 name.
cp "$out/speech-48k-mono.mp3" "$out/mp3-named.wav"
sox "$tmp/speech.wav" -r 16000 -b 16 "$tmp/speech16k.wav"
cp "$tmp/speech16k.wav" "$out/wav-named.mp3"
# 22.05 kHz 16-bit FLAC, espeak-ng's native rate.
sox "$tmp/speech.wav" -b 16 "$out/speech-22k-mono.flac"
du -ch "$out"/* | tail -1
