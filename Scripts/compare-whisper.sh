#!/usr/bin/env bash
# Whisper base through `speechprep transcribe --engine whisper` against its peer, a plain Python
# loop of faster-whisper (Scripts/compare-whisper/plain_loop.py), on the same 16 kHz WAVs with
# the same model and options (beam 5, int8, language en), in one run, interleaved per round:
#   loop 1x2    one process, cpu_threads=2                      (the issue's reference)
#   loop 2x1    two processes started together, one thread each, half the clips each
#   ours 1x2    speechprep --workers 1 --threads 2
#   ours 2x1    speechprep --workers 2 --threads 1
#   pocketsphinx  speechprep --engine pocketsphinx (quality only)
# Clips: the bundled Common Voice sample (12 MP3s decoded once to 16 kHz WAV with ffmpeg) and
# the 5 LibriVox recordings of pocketsphinx-testdata, as one Kaldi data folder (ids sample-*,
# librivox-*; utt2lang = en so the item's language reaches the engine).
# Reports whole-process wall times (best of ROUNDS), ratios against the loop, peak RSS per
# process (/usr/bin/time %M; speechprep's workers are started through a /usr/bin/time wrapper as
# --python), and WER under openai-whisper's EnglishTextNormalizer (loaded by file from the
# openai-whisper sdist, without torch) and under lower-case + punctuation removal.
#
#   Scripts/compare-whisper.sh [ROUNDS]        (default 1; SWIFT_BUILD_FLAGS="-c release")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-1}
export PATH="/opt/swift/usr/bin:$PATH"
VENV="${SPEECHPREP_WHISPER_VENV:-$ROOT/.venv-whisper}"
MODEL="$VENV/models/whisper-base"
DATA=/usr/share/pocketsphinx/test/data
SAMPLE=Samples/commonvoice-sample/en
WORK=$(mktemp -d /tmp/compare-whisper.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

bash Scripts/bootstrap-whisper.sh >&2
PY="$VENV/bin/python"
# Scoring tools, into the same venv (small, pure Python): jiwer and openai-whisper's normalisers.
if ! "$PY" -c "import jiwer, regex, more_itertools" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check jiwer==4.0.0 regex more-itertools
fi
NORM="$VENV/eval/openai-whisper/whisper/normalizers"
if [[ ! -f "$NORM/english.py" ]]; then
    "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d "$WORK/sdist" openai-whisper==20250625
    mkdir -p "$VENV/eval/openai-whisper"
    tar xzf "$WORK"/sdist/openai_whisper-*.tar.gz -C "$VENV/eval/openai-whisper" --strip-components=1
fi

# --- the clips as one Kaldi data folder ----------------------------------------------------------
KALDI="$WORK/kaldi"; mkdir -p "$KALDI" "$WORK/wav"
{
    tail -n +2 "$SAMPLE/validated.tsv" | while IFS=$'\t' read -r _ path _ sentence _; do
        id="sample-${path%.mp3}"; id="${id/common_voice_en_/}"
        ffmpeg -loglevel error -nostdin -i "$SAMPLE/clips/$path" -ar 16000 -ac 1 -c:a pcm_s16le "$WORK/wav/$id.wav"
        printf '%s\t%s\t%s\n' "$id" "$WORK/wav/$id.wav" "$sentence"
    done
    sed -E 's/^<s> (.*) <\/s> \((.*)\)$/\2\t\1/' "$DATA/librivox/transcription" | while IFS=$'\t' read -r utt text; do
        printf 'librivox-%s\t%s\t%s\n' "${utt##*-}" "$DATA/librivox/$utt.wav" "${text% }"
    done
} | LC_ALL=C sort >"$WORK/clips.tsv"
cut -f1,2 "$WORK/clips.tsv" | tr '\t' ' ' >"$KALDI/wav.scp"
cut -f1,3 "$WORK/clips.tsv" | tr '\t' ' ' >"$KALDI/text"
cut -f1 "$WORK/clips.tsv" | sed 's/$/ en/' >"$KALDI/utt2lang"
COUNT=$(wc -l <"$KALDI/wav.scp")
AUDIO=$(cut -f2 "$WORK/clips.tsv" | xargs soxi -D | awk '{s += $1} END {printf "%.1f", s}')
echo "clips: $COUNT ($AUDIO s of speech): 12 Common Voice sample + 5 LibriVox; model $MODEL"

# --- speechprep, when it has the Whisper engine -------------------------------------------------
swift build --product speechprep ${SWIFT_BUILD_FLAGS:-} >&2
BIN="$(swift build --product speechprep ${SWIFT_BUILD_FLAGS:-} --show-bin-path)/speechprep"
OURS=0
if "$BIN" transcribe --help 2>&1 | grep -e "--beam-size" >/dev/null; then OURS=1; fi
# Every worker's interpreter runs under /usr/bin/time, which appends its peak RSS (KiB) to a log.
cat >"$WORK/python-rss" <<SH
#!/bin/sh
exec /usr/bin/time -a -o "$WORK/worker-rss" -f %M "$PY" "\$@"
SH
chmod +x "$WORK/python-rss"

OPTS=(--beam-size 5 --compute-type int8)
timed() { # name command… → appends "name wall rss cpu" to $WORK/times (cpu: user + system, children too)
    local name=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/t" "$@" >"$WORK/$name.log" 2>&1 || { echo "FAILED: $name" >&2; tail -5 "$WORK/$name.log" >&2; exit 1; }
    awk -v n="$name" '{printf "%s %s %s %.2f\n", n, $1, $2, $3 + $4}' "$WORK/t" >>"$WORK/times"
}
loop_2x1() {
    "$PY" Scripts/compare-whisper/plain_loop.py "$MODEL" "$KALDI/wav.scp" "$WORK/loop-2x1-a.jsonl" --threads 1 "${OPTS[@]}" --part 1/2 &
    local a=$!
    "$PY" Scripts/compare-whisper/plain_loop.py "$MODEL" "$KALDI/wav.scp" "$WORK/loop-2x1-b.jsonl" --threads 1 "${OPTS[@]}" --part 2/2
    wait $a
}
export -f loop_2x1
export PY MODEL KALDI WORK BIN
ours() { # workers threads
    "$BIN" transcribe "$KALDI" --out "$WORK/ours-$1x$2" --fresh --quiet --engine whisper --model "$MODEL" \
        --python "$WORK/python-rss" --workers "$1" --threads "$2" --beam-size 5 --compute-type int8
}
export -f ours
loops() {
    timed loop-1x2 "$PY" Scripts/compare-whisper/plain_loop.py "$MODEL" "$KALDI/wav.scp" "$WORK/loop-1x2.jsonl" --threads 2 "${OPTS[@]}"
    timed loop-2x1 bash -c loop_2x1
}
ourss() {
    [[ $OURS == 1 ]] || return 0
    : >"$WORK/worker-rss"; timed ours-1x2 bash -c "ours 1 2"; cp "$WORK/worker-rss" "$WORK/rss-ours-1x2"
    : >"$WORK/worker-rss"; timed ours-2x1 bash -c "ours 2 1"; cp "$WORK/worker-rss" "$WORK/rss-ours-2x1"
}
for round in $(seq "$ROUNDS"); do  # odd rounds start with the loop, even ones with speechprep
    echo "round $round/$ROUNDS" >&2
    if (( round % 2 )); then loops; ourss; else ourss; loops; fi
done
cat "$WORK"/loop-2x1-[ab].jsonl >"$WORK/loop-2x1.jsonl"

echo
echo "whole process, best of $ROUNDS round(s): wall, CPU (user + system), peak RSS of the process"
echo "every round:"; sed 's/^/    /' "$WORK/times"
awk '{ if (!($1 in best) || $2 < best[$1]) best[$1] = $2; if (!($1 in cpu) || $4 < cpu[$1]) cpu[$1] = $4; rss[$1] = $3 }
     END { ref = best["loop-1x2"]
           for (n in best) printf "  %-10s wall %7.2f s (%5.2fx the throughput of loop 1x2)  CPU %7.2f s  peak RSS %d KiB\n", n, best[n], ref / best[n], cpu[n], rss[n] }' \
    "$WORK/times" | sort
if [[ $OURS == 1 ]]; then
    printf '  ours 1x2 / loop 1x2 wall: %s (goal <= 1.05)\n' "$(awk '$1=="loop-1x2"&&(!l||$2<l){l=$2} $1=="ours-1x2"&&(!o||$2<o){o=$2} END{printf "%.3f", o/l}' "$WORK/times")"
    echo "  peak RSS per Whisper worker (KiB): 1x2: $(tr '\n' ' ' <"$WORK/rss-ours-1x2") 2x1: $(tr '\n' ' ' <"$WORK/rss-ours-2x1")"
    "$BIN" transcribe "$KALDI" --out "$WORK/pocketsphinx" --fresh --quiet --engine pocketsphinx >/dev/null
    SETS=(loop-1x2="$WORK/loop-1x2.jsonl" loop-2x1="$WORK/loop-2x1.jsonl"
          speechprep-whisper-1x2="$WORK/ours-1x2/results.json" speechprep-whisper-2x1="$WORK/ours-2x1/results.json"
          speechprep-pocketsphinx="$WORK/pocketsphinx/results.json")
else
    echo "  (speechprep has no --engine whisper yet: only the loop was measured)"
    SETS=(loop-1x2="$WORK/loop-1x2.jsonl" loop-2x1="$WORK/loop-2x1.jsonl")
fi
echo
"$PY" Scripts/compare-whisper/wer.py "$NORM" "$KALDI/text" "${SETS[@]}"
