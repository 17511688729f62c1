#!/usr/bin/env bash
# Conformance check of the Scoring target against real jiwer.
#
#   Scripts/check-jiwer.sh [COUNT]     generate COUNT (default 10000) random pairs, score them
#                                      with jiwer, then run the Swift conformance test on them
#   Scripts/check-jiwer.sh --fixture   regenerate the committed Tests/Fixtures/scoring/jiwer-vectors.json
#
# jiwer goes into a local venv (.venv-jiwer); nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

JIWER_VERSION="${JIWER_VERSION:-4.0.0}"
VENV="${JIWER_VENV:-.venv-jiwer}"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import jiwer" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "jiwer==$JIWER_VERSION"
fi

MODE=check
COUNT=10000
LONGEST="${LONGEST:-25}"
SEED="${SEED:-$RANDOM}"
if [[ "${1:-}" == "--fixture" ]]; then
    MODE=fixture; COUNT=400; SEED=20261126; LONGEST=8
    OUT=Tests/Fixtures/scoring/jiwer-vectors.json
else
    COUNT="${1:-10000}"
    OUT="${TMPDIR:-/tmp}/speechprep-jiwer-vectors-$$.json"
    trap 'rm -f "$OUT"' EXIT
fi

"$VENV/bin/python" - "$COUNT" "$SEED" "$OUT" "$LONGEST" <<'PY'
# Random reference/hypothesis pairs scored by jiwer: every metric, every pair, the corpus,
# the op sequence, and a few visualize_alignment renderings.
import json, random, sys, unicodedata
from importlib.metadata import version
import jiwer

count, seed, out, longest = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)

LATIN = ["the", "cat", "sat", "on", "a", "mat", "The", "CAT", "dog", "ran", "to", "it's", "don't",
         "hello", "world", "naïve", "café", "Straße", "e\u0301", "x", "y", "z", "42", "3.14",
         "ΣΑΣ", "ΟΔΟΣ", "İstanbul", "ÉCOLE", "Ǆ", "u.s.a."]
CJK = ["我", "你", "他", "ﬁ", "①", "㍿", "ｶﾀｶﾅ", "們", "係", "唔", "嘅", "喺", "咗", "冇", "中文", "廣東話", "今日", "天氣",
       "好", "的", "是", "日本語", "カタカナ", "ひらがな", "한국어", "𠮷", "Ｆｕｌｌ"]
PUNCT = [",", ".", "!", "?", "，", "。", "！", "？", "、", "「", "」", "—", "…", "'", '"', "(", ")", "-"]
SPACES = [" ", " ", " ", " ", "  ", "   ", "\t", "\n", "\u00a0", "\u3000", " \t ", "\u2009", "\u200b"]

def token():
    r = rng.random()
    if r < 0.55: w = rng.choice(LATIN)
    elif r < 0.85: w = rng.choice(CJK)
    else: w = rng.choice(PUNCT)
    if rng.random() < 0.15: w += rng.choice(PUNCT)
    return w

def join(words):
    s = ""
    for i, w in enumerate(words):
        if i: s += rng.choice(SPACES) if rng.random() < 0.3 else " "
        s += w
    if rng.random() < 0.1: s = rng.choice(SPACES) + s
    if rng.random() < 0.1: s = s + rng.choice(SPACES)
    return s

def sentence_pair():
    r = rng.random()
    if r < 0.03: return "", ""
    if r < 0.06: return "", join([token() for _ in range(rng.randint(1, 4))])
    if r < 0.09: return join([token() for _ in range(rng.randint(1, 4))]), ""
    if r < 0.11: return rng.choice(SPACES), rng.choice(["", " ", "a"])
    ref = [token() for _ in range(rng.randint(1, longest))]
    if r < 0.16:
        return join(ref), join([token() for _ in range(rng.randint(1, longest))])
    hyp = []
    for w in ref:
        e = rng.random()
        if e < 0.08: continue
        if e < 0.18: hyp.append(token())
        elif e < 0.24: hyp += [w, token()]
        else: hyp.append(w)
    return join(ref), join(hyp)

def is_cjk(c):
    o = ord(c)
    return (0x2E80 <= o <= 0x2FDF or 0x3001 <= o <= 0x30FF or 0x3100 <= o <= 0x312F
            or 0x31A0 <= o <= 0x31FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x3134F)

def mixed_tokens(s):
    # Split on Unicode white space; inside a chunk every CJK code point is its own token and
    # every run of other code points is one token.
    toks = []
    for chunk in s.split():
        run = ""
        for c in chunk:
            if is_cjk(c):
                if run: toks.append(run); run = ""
                toks.append(c)
            else:
                run += c
        if run: toks.append(run)
    return " ".join(toks)

def no_space(s):
    return "".join(c for c in s if not c.isspace())

ident = jiwer.Compose([jiwer.ReduceToListOfListOfWords()])
# lower-case, strip punctuation, then jiwer's defaults: ComposedNormalizer([LowercaseNormalizer(),
# PunctuationRemover(), JiwerDefaultNormalizer()]) on the Swift side
normalized = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(),
                            jiwer.Strip(), jiwer.ReduceToListOfListOfWords()])
chars = jiwer.Compose([jiwer.ReduceToListOfListOfChars()])

def ops(alignment):
    return " ".join(f"{c.type[0]}{c.ref_start_idx}.{c.ref_end_idx}.{c.hyp_start_idx}.{c.hyp_end_idx}"
                    for c in alignment)

def words(o):
    return [o.hits, o.substitutions, o.deletions, o.insertions, o.wer, o.mer, o.wil, o.wip]

def characters(o):
    return [o.hits, o.substitutions, o.deletions, o.insertions, o.cer]

pairs = [sentence_pair() for _ in range(count)]
refs = [p[0] for p in pairs]
hyps = [p[1] for p in pairs]
record = {"jiwer": version("jiwer"), "seed": seed,
          "pairs": [[r, h] for r, h in pairs]}

units = {
    "word": (lambda r, h: jiwer.process_words(r, h), words),
    "character": (lambda r, h: jiwer.process_characters(r, h), characters),
    "characterIgnoringWhitespace": (
        lambda r, h: jiwer.process_characters(
            [no_space(x) for x in r] if isinstance(r, list) else no_space(r),
            [no_space(x) for x in h] if isinstance(h, list) else no_space(h), chars, chars),
        characters),
    "mixed": (
        lambda r, h: jiwer.process_words(
            [mixed_tokens(x) for x in r] if isinstance(r, list) else mixed_tokens(r),
            [mixed_tokens(x) for x in h] if isinstance(h, list) else mixed_tokens(h), ident, ident),
        words),
    "normalizedWord": (lambda r, h: jiwer.process_words(r, h, normalized, normalized), words),
}
# NFKC then jiwer's character defaults: ComposedNormalizer([NFKCNormalizer(),
# JiwerCharacterDefaultNormalizer()]) on the Swift side; counts and CER only (no op sequences,
# to keep the committed fixture small).
nfkc = lambda s: unicodedata.normalize("NFKC", s)
record["nfkcCharacter"] = {
    "perPair": [characters(jiwer.process_characters(nfkc(r), nfkc(h))) for r, h in pairs],
    "corpus": characters(jiwer.process_characters([nfkc(r) for r in refs], [nfkc(h) for h in hyps])),
}

for name, (process, metrics) in units.items():
    per, alignments = [], []
    for r, h in pairs:
        o = process(r, h)
        per.append(metrics(o))
        alignments.append(ops(o.alignments[0]))
    corpus = process(refs, hyps)
    record[name] = {"perPair": per, "ops": alignments, "corpus": metrics(corpus)}

# visualize_alignment on the first few pairs, with and without measures, words and characters
vis = []
for k in range(0, min(count, 60), 6):
    r, h = refs[k:k + 6], hyps[k:k + 6]
    vis.append({"references": r, "hypotheses": h,
                "word": jiwer.visualize_alignment(jiwer.process_words(r, h)),
                "wordNoMeasures": jiwer.visualize_alignment(jiwer.process_words(r, h), show_measures=False, skip_correct=False),
                "wordWidth40": jiwer.visualize_alignment(jiwer.process_words(r, h), line_width=40),
                "character": jiwer.visualize_alignment(jiwer.process_characters(r, h))})
record["visualize"] = vis

with open(out, "w", encoding="utf-8") as f:
    json.dump(record, f, ensure_ascii=False, separators=(",", ":"))
print(f"jiwer {version('jiwer')}: {count} pairs (seed {seed}) -> {out}", file=sys.stderr)
PY

if [[ "$MODE" == fixture ]]; then
    ls -l "$OUT"
    exit 0
fi
SPEECHPREP_JIWER_VECTORS="$OUT" swift test --filter ScoringTests.JiwerConformance
