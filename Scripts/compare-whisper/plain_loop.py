"""The peer of `speechprep transcribe --engine whisper`: a plain Python loop of faster-whisper,
the way a user would write it, over WAV files listed in a Kaldi wav.scp.

    python plain_loop.py MODEL_DIR WAV_SCP OUT_JSONL --threads N --beam-size 5 \
        --compute-type int8 --language en [--part k/N]

Writes one {"id", "text"} line per clip. --part k/N takes every N-th clip starting at k-1, so
N such processes started together split the clips between them.
"""
import argparse, json, os

os.environ["HF_HUB_OFFLINE"] = "1"
from faster_whisper import WhisperModel

p = argparse.ArgumentParser()
p.add_argument("model"); p.add_argument("wav_scp"); p.add_argument("out")
p.add_argument("--threads", type=int, default=1); p.add_argument("--beam-size", type=int, default=5)
p.add_argument("--compute-type", default="int8"); p.add_argument("--language", default="en")
p.add_argument("--part", default="1/1")
a = p.parse_args()
k, n = map(int, a.part.split("/"))
with open(a.wav_scp, encoding="utf-8") as f:
    clips = [line.split(maxsplit=1) for line in f if line.strip()][k - 1::n]
model = WhisperModel(a.model, device="cpu", compute_type=a.compute_type, cpu_threads=a.threads, num_workers=1)
with open(a.out, "w", encoding="utf-8") as out:
    for utt, path in clips:
        segments, _ = model.transcribe(path.strip(), language=a.language, beam_size=a.beam_size)
        out.write(json.dumps({"id": utt, "text": "".join(s.text for s in segments).strip()}) + "\n")
