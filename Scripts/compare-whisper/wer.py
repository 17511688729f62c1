"""Corpus WER of hypothesis files against a Kaldi `text` file, under openai-whisper's
EnglishTextNormalizer (loaded by file from the openai-whisper sdist, no torch) and under
jiwer's lower-case + punctuation removal.

    python wer.py NORMALIZERS_DIR KALDI_TEXT NAME=HYP [NAME=HYP ...]

HYP is a JSONL file of {"id", "text"} lines or a speechprep results.json ({idx: {ID, asr}}).
Prints, per hypothesis set, one line per id prefix (the text before the first '-') and one for
all: clip count, WER whisper-english, WER lowercase-punctuation.
"""
import importlib.util, json, re, sys, unicodedata
import jiwer

norm_dir, text_path, sets = sys.argv[1], sys.argv[2], sys.argv[3:]
spec = importlib.util.spec_from_file_location(
    "whisper_normalizers", f"{norm_dir}/__init__.py", submodule_search_locations=[norm_dir])
normalizers = importlib.util.module_from_spec(spec)
sys.modules["whisper_normalizers"] = normalizers
spec.loader.exec_module(normalizers)
english = normalizers.EnglishTextNormalizer()
lowercase_punct = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(), jiwer.Strip()])

refs = {}
with open(text_path, encoding="utf-8") as f:
    for line in f:
        utt, _, sentence = line.rstrip("\n").partition(" ")
        refs[utt] = sentence

def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            return {r["ID"]: r["asr"] for r in json.load(f).values()}
        return {r["id"]: r["text"] for r in map(json.loads, f)}

def wer(pairs, normalise):
    ref = [normalise(r) for r, _ in pairs]
    hyp = [normalise(h) for _, h in pairs]
    keep = [i for i, r in enumerate(ref) if r.strip()]
    return 100 * jiwer.wer([ref[i] for i in keep], [hyp[i] for i in keep]) if keep else float("nan")

groups = sorted({u.split("-", 1)[0] for u in refs})
for item in sets:
    name, path = item.split("=", 1)
    hyps = load(path)
    missing = sorted(set(refs) - set(hyps))
    for group in groups + ["all"]:
        utts = [u for u in sorted(refs) if group == "all" or u.split("-", 1)[0] == group]
        pairs = [(refs[u], hyps.get(u, "")) for u in utts]
        print(f"{name:<24} {group:<9} {len(utts):>3} clips  WER whisper-english {wer(pairs, english):6.2f} %"
              f"  lowercase-punctuation {wer(pairs, lowercase_punct):6.2f} %")
    if missing:
        print(f"{name:<24} missing (scored as empty): {' '.join(missing)}")
