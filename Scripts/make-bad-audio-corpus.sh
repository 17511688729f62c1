#!/usr/bin/env bash
# Writes a corpus of broken, hostile and misnamed audio files into the folder given as $1.
# AudioCodecTests runs this script and checks every file against its expected outcome
# (Tests/AudioCodecTests/BadInputTests.swift holds the same names with the expected results).
# Needs sox, lame, python3 (for byte surgery). Deterministic: random bytes come from a fixed seed.
set -euo pipefail
out=${1:?usage: make-bad-audio-corpus.sh OUTPUT_FOLDER}
mkdir -p "$out"
cd "$out"

# Healthy sources the damaged files are cut from.
sox -n -r 16000 -c 1 -b 16 good.wav synth 1 sine 440 gain -3
sox -n -r 44100 -c 2 -b 16 good-stereo.wav synth 1 sine 440 sine 660 gain -3
lame --quiet -b 64 good-stereo.wav good.mp3
sox good-stereo.wav -b 16 good.flac
sox good-stereo.wav good.ogg

python3 - <<'PY'
import os, random, struct
rnd = random.Random(1234)
good = {n: open(n, 'rb').read() for n in ('good.wav', 'good.mp3', 'good.flac', 'good.ogg')}
wav, mp3, flac, ogg = good['good.wav'], good['good.mp3'], good['good.flac'], good['good.ogg']

def put(name, data):
    with open(name, 'wb') as f:
        f.write(data)

def wav_header(channels=1, rate=16000, bits=16, tag=1, data_bytes=32000, fmt_size=16):
    block = channels * bits // 8
    fmt = struct.pack('<HHIIHH', tag, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, bits)
    fmt = fmt + b'\0' * (fmt_size - 16) if fmt_size >= 16 else fmt[:fmt_size]
    riff_size = 4 + 8 + len(fmt) + 8 + data_bytes
    return b'RIFF' + struct.pack('<I', riff_size & 0xFFFFFFFF) + b'WAVE' + b'fmt ' + struct.pack('<I', fmt_size) + fmt + b'data' + struct.pack('<I', data_bytes & 0xFFFFFFFF)

body = wav[44:]
put('zero-byte.wav', b'')
put('zero-byte.mp3', b'')
put('zero-byte.flac', b'')
put('header-only.wav', wav[:44])
put('header-only.flac', flac[:42])
put('truncated-10pc.wav', wav[:44 + len(body) // 10])
put('truncated-half.wav', wav[:44 + len(body) // 2])
put('truncated-mid-sample.wav', wav[:44 + 1001])
put('truncated-1k.mp3', mp3[:1024])
put('cut-in-first-frame.mp3', mp3[:100])
put('truncated-half.mp3', mp3[:len(mp3) // 2])
put('truncated-half.flac', flac[:len(flac) // 2])
put('truncated-half.ogg', ogg[:len(ogg) // 2])
put('random.wav', bytes(rnd.getrandbits(8) for _ in range(20000)))
put('random.mp3', bytes(rnd.getrandbits(8) for _ in range(20000)))
put('random.flac', bytes(rnd.getrandbits(8) for _ in range(20000)))
put('random.ogg', bytes(rnd.getrandbits(8) for _ in range(20000)))
put('riff-then-random.wav', b'RIFF\x00\x10\x00\x00WAVE' + bytes(rnd.getrandbits(8) for _ in range(4096)))
put('mpeg-sync-then-random.mp3', b'\xFF\xFB\x90\x64' + bytes(rnd.getrandbits(8) for _ in range(4096)))
put('claims-more-data.wav', wav_header(data_bytes=0x7FFFFFF0) + body)
put('channels-1000.wav', wav_header(channels=1000) + body)
put('channels-100.wav', wav_header(channels=100, data_bytes=len(body)) + body)
put('channels-0.wav', wav_header(channels=0) + body)
put('rate-0.wav', wav_header(rate=0) + body)
put('rate-4000000000.wav', wav_header(rate=4_000_000_000) + body)
put('bits-7.wav', wav_header(bits=7) + body)
put('format-tag-0x1234.wav', wav_header(tag=0x1234) + body)
put('fmt-chunk-huge.wav', wav[:16] + struct.pack('<I', 0x7FFFFF00) + wav[20:])
# ID3v2 whose size field claims ~256 MB, then real MP3 data.
put('id3-huge.mp3', b'ID3\x04\x00\x00\x7F\x7F\x7F\x7F' + mp3)
# ID3v2 whose size bytes break the sync-safe rule (high bits set), then real MP3 data.
put('id3-broken-size.mp3', b'ID3\x03\x00\x00\xFF\xFF\xFF\xFF' + bytes(64) + mp3)
put('id3-only.mp3', b'ID3\x03\x00\x00\x00\x00\x02\x00' + bytes(256))
put('junk-in-middle.mp3', mp3[:len(mp3) // 2] + bytes(rnd.getrandbits(8) for _ in range(4096)) + mp3[len(mp3) // 2:])
damaged = bytearray(flac)
for i in range(len(flac) // 3, len(flac) // 3 + 2000):
    damaged[i] = rnd.getrandbits(8)
put('damaged-middle.flac', bytes(damaged))
# STREAMINFO total_samples (36 bits at byte 8+13..8+17 of the block) set to 2^35 - 1 frames.
huge = bytearray(flac)
huge[21] = (huge[21] & 0xF0) | 0x07
huge[22:26] = b'\xFF\xFF\xFF\xFF'
put('claims-2^35-frames.flac', bytes(huge))
put('text.mp3', b'This is not audio at all, just a note somebody saved with the wrong name.\n' * 20)
put('html.wav', b'<!DOCTYPE html><html><body>404 Not Found</body></html>\n')
put('mp3-named.wav', mp3)
put('wav-named.mp3', wav)
PY

rm -f good.wav good-stereo.wav good.mp3 good.flac good.ogg
mkdir -p directory.wav
cp mp3-named.wav unreadable.mp3
chmod 000 unreadable.mp3
echo "bad-audio corpus: $(ls -1 | wc -l) entries in $out"
