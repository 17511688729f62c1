#!/usr/bin/env bash
# Regenerates the audio seed corpora in Corpus/{wav,flac,ogg,mp3,sniffer}: real files of each
# format, each a few tenths of a second so a seed stays under ~5 KB and an input decodes fast.
# The files are committed; this script documents how they were made (sox, lame).
set -euo pipefail
cd "$(dirname "$0")/Corpus"
tone() { sox -n -r "$1" -c "$2" "${@:3}" synth 0.05 sine 440 sine 660 2>/dev/null; }
tone 8000 1 -b 16 wav/pcm16-mono.wav
tone 8000 2 -b 24 wav/pcm24-stereo.wav
tone 8000 1 -b 8 -e unsigned-integer wav/u8-mono.wav
tone 8000 1 -e floating-point -b 32 wav/float32-mono.wav
tone 8000 1 -e u-law wav/ulaw-mono.wav
tone 8000 1 -e ima-adpcm wav/ima-adpcm-mono.wav
tone 8000 3 -b 16 wav/pcm16-3ch-extensible.wav
tone 8000 1 flac/mono-16.flac
tone 16000 2 -b 24 flac/stereo-24.flac
tone 8000 1 -C 0 ogg/vorbis-mono.ogg
tone 8000 1 -t wav - | lame --quiet -b 32 - mp3/cbr32-mono.mp3
tone 22050 2 -t wav - | lame --quiet -V 9 --add-id3v2 --tt fuzz - mp3/vbr-id3-stereo.mp3
tone 16000 1 -t wav - | lame --quiet -b 8 -m m --resample 8 - mp3/mpeg25-mono.mp3
# The sniffer sees only the first bytes: one prefix of each container it knows.
for f in wav/pcm16-mono.wav flac/mono-16.flac ogg/vorbis-mono.ogg mp3/cbr32-mono.mp3 mp3/vbr-id3-stereo.mp3; do
    head -c 64 "$f" > "sniffer/$(basename "$f").prefix"
done
tone 8000 1 -t aiff sniffer/aiff.prefix.aiff && head -c 64 sniffer/aiff.prefix.aiff > sniffer/aiff.prefix && rm sniffer/aiff.prefix.aiff
# Containers that go to ffmpeg, by their magic alone.
printf '\0\0\0\030ftypM4A \0\0\0\0M4A mp42isom\0\0\0\010free' > sniffer/m4a.prefix
printf '\032\105\337\243\001\0\0\0\0\0\0\037\102\206\201\001webm' > sniffer/webm.prefix
printf '#!AMR\n\074\0\0\0' > sniffer/amr.prefix
printf '\377\361\120\200\002\037\374\336\002\0' > sniffer/adts.prefix
