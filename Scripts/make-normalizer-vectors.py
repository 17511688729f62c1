#!/usr/bin/env python3
"""Test vectors for the whisper normalisers, made by openai-whisper's own code.

    Scripts/make-normalizer-vectors.py --count N --seed S --out FILE.jsonl
        N random sentences (numbers in words and digits, ordinals, currencies, percentages,
        years, fractions, decimals, British spellings, contractions, titles, fillers, hyphens,
        brackets, diacritics, CJK, emoji, odd white space) with, for each, the output of
        whisper's EnglishTextNormalizer and BasicTextNormalizer:
        {"text": ..., "english": ..., "basic": ...} per line.
    Scripts/make-normalizer-vectors.py --spellings FILE.swift
        writes the Swift source holding whisper's British -> American mapping (english.json).

The reference is openai-whisper from PyPI (`pip download --no-deps openai-whisper`), whose
`whisper/normalizers/basic.py` and `english.py` are loaded by file so that torch is not
needed; they need `regex` and `more-itertools`. WHISPER_NORMALIZERS names the folder holding
them (Scripts/check-normalizers.sh sets it up in .venv-normalizers).
"""
import argparse, importlib.util, json, os, random, sys, types

def load_reference(folder):
    package = types.ModuleType("whisper_normalizers")
    package.__path__ = [folder]
    sys.modules["whisper_normalizers"] = package
    modules = {}
    for name in ("basic", "english"):
        spec = importlib.util.spec_from_file_location(f"whisper_normalizers.{name}", os.path.join(folder, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        modules[name] = module
    return modules["basic"].BasicTextNormalizer(), modules["english"].EnglishTextNormalizer()

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
MULTIPLIERS = "hundred thousand million billion trillion quadrillion decillion".split()
ORDINALS = "first second third fourth fifth sixth seventh eighth ninth nineth tenth eleventh twelfth thirteenth twentieth thirtieth hundredth thousandth millionth zeroth".split()
PLURALS = "ones twos threes sixes tens twenties thirties nineties hundreds thousands millions".split()
NUMBER_GLUE = "and point double triple minus negative plus positive oh o per cent percent dollars dollar pounds pound euros euro cents cent and a half".split()
COMMON = ("the a of to in is it was he she they we you i that this with for on at by from as but not "
          "have had has been were are will would could should can do did said one man time day year "
          "people way house street road city bank money price rate world colour centre").split()
CONTRACTIONS = ["won't", "can't", "let's", "ain't", "y'all", "wanna", "gotta", "gonna", "i'ma", "imma", "woulda",
                "coulda", "shoulda", "ma'am", "it's", "he's been", "she'd been", "they've", "we're", "i'm", "you'll",
                "don't", "isn't", "he'd gone", "it's got", "she's gone", "i'd done", "o'clock", "rock'n'roll",
                "'tis", "'em", "the dog 's bone", "james'", "don 't", "l'amour", "it’s", "can’t"]
TITLES = ["mr", "mrs", "st", "dr", "prof", "capt", "gov", "ald", "gen", "sen", "rep", "pres", "rev", "hon", "asst",
          "assoc", "lt", "col", "jr", "sr", "esq", "Mr.", "Mrs.", "Dr.", "St.", "Jr.", "mister", "Ms."]
FILLERS = ["hmm", "mm", "mhm", "mmm", "uh", "um", "Um,", "uh-huh", "umm", "hmmm", "Uh."]
SYMBOLS = ["$", "£", "€", "¢", "%", "&", "@", "#", "+", "-", "—", "–", "/", "*", "=", "~", "^", "_", "|", "\\", "…",
           "!", "?", ",", ";", ":", "\"", "'", "“", "”", "‘", "’", "«", "»", "¿", "¡", "§", "°", "©", "™", "½", "¼",
           "²", "³", "µ", "×", "÷", "±"]
DIACRITICS = ["café", "naïve", "Ångström", "résumé", "Œuvre", "smørrebrød", "Æther", "straße", "Łódź", "Þór", "Đorđe",
              "ðe", "façade", "São Paulo", "Zürich", "El Niño", "crème brûlée", "İstanbul", "ΣΟΦΟΣ", "ὈΔΥΣΣΕΎΣ",
              "Ǆemal", "ﬁnance", "ｆｕｌｌ", "Ⅻ", "①", "e\u0301", "a\u0308\u0323", "Việt Nam", "Dvořák", "ŞİŞLİ"]
CJK = ["我们", "今天天气很好。", "廣東話", "唔該", "日本語", "カタカナ", "ひらがな", "한국어", "ｶﾀｶﾅ", "𠮷野家", "中文，英文！",
       "「引用」", "東京タワー", "一二三", "百", "〇", "２０２４年"]
EMOJI = ["😀", "👍🏽", "🇬🇧", "❤️", "👩‍👩‍👧", "🎉", "☃", "♪", "★"]
SPACES = [" ", " ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2009", "\u200b", " \u00a0 "]
BRACKETS = ["[laughter]", "<unk>", "(inaudible)", "[noise", "(", ")", "()", "[]", "<>", "(a (b) c)", "[x] y]",
            "<b>bold</b>", "((double))", "(unclosed"]

def build_british():
    folder = os.environ.get("WHISPER_NORMALIZERS")
    with open(os.path.join(folder, "english.json"), encoding="utf-8") as f:
        return list(json.load(f).keys())

def digits(rng):
    kind = rng.random()
    if kind < 0.2: return str(rng.randint(0, 9))
    if kind < 0.35: return str(rng.randint(10, 99))
    if kind < 0.45: return str(rng.randint(1000, 2099))  # years
    if kind < 0.55: return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}"
    if kind < 0.62: return f"{rng.randint(0, 99)}.{rng.randint(0, 99)}"
    if kind < 0.67: return f"{rng.randint(1, 9)}/{rng.randint(2, 12)}"
    if kind < 0.72: return rng.choice(["1st", "2nd", "3rd", "4th", "21st", "100th", "1960s", "90s", "'90s", "1s", "1"])
    if kind < 0.77: return rng.choice(["$", "£", "€", "¢"]) + rng.choice(["5", "20", "0.50", "1,000", "3.99", "0.07", "1"])
    if kind < 0.82: return str(rng.randint(0, 100)) + "%"
    if kind < 0.86: return rng.choice(["192.168.0.1", "3.14159", "007", "0.5", "1.0", "2.50", ".5", "1.", "10:30", "24/7"])
    if kind < 0.9: return rng.choice(["٣", "१२", "１２３", "²", "½", "1½", "٣.٥"])
    return str(rng.randint(0, 10 ** rng.randint(3, 40)))

def spelled_number(rng):
    words = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.35: words.append(rng.choice(ONES))
        elif r < 0.55: words.append(rng.choice(TENS))
        elif r < 0.7: words.append(rng.choice(MULTIPLIERS))
        elif r < 0.8: words.append(rng.choice(ORDINALS))
        elif r < 0.85: words.append(rng.choice(PLURALS))
        else: words.append(rng.choice(NUMBER_GLUE))
    return " ".join(words)

def token(rng, british):
    r = rng.random()
    if r < 0.25: return rng.choice(COMMON)
    if r < 0.37: return spelled_number(rng)
    if r < 0.47: return digits(rng)
    if r < 0.55: return rng.choice(british)
    if r < 0.61: return rng.choice(CONTRACTIONS)
    if r < 0.65: return rng.choice(TITLES)
    if r < 0.68: return rng.choice(FILLERS)
    if r < 0.73: return rng.choice(SYMBOLS)
    if r < 0.78: return rng.choice(DIACRITICS)
    if r < 0.82: return rng.choice(CJK)
    if r < 0.84: return rng.choice(EMOJI)
    if r < 0.87: return rng.choice(BRACKETS)
    if r < 0.9: return "-".join(rng.choice(COMMON + ONES + TENS) for _ in range(rng.randint(2, 3)))
    if r < 0.93: return rng.choice(COMMON) + rng.choice(SYMBOLS)
    if r < 0.96: return rng.choice(COMMON) + str(rng.randint(0, 99))
    return rng.choice(["a.m.", "U.S.A.", "e.g.", "etc.", "Ph.D", "...", "..", "co-op", "x-ray", "9-11", "and a half",
                       "two and a half", "one oh one", "double seven", "triple zero", "point five", "minus two",
                       "five dollars and seven cents", "twenty per cent", "nineteen eighty four", "one and a half million"])

ASCII_ONLY = False  # --ascii: only ASCII tokens and spaces (the fast path's input)

def drawn(draw):
    while True:
        value = draw()
        if not ASCII_ONLY or value.isascii():
            return value

def sentence(rng, british):
    words = [drawn(lambda: token(rng, british)) for _ in range(rng.randint(1, 14))]
    text = ""
    for i, word in enumerate(words):
        if i: text += drawn(lambda: rng.choice(SPACES)) if rng.random() < 0.15 else " "
        text += word
    r = rng.random()
    if r < 0.3: text = text[:1].upper() + text[1:]
    elif r < 0.35: text = text.upper()
    elif r < 0.4: text = text.title()
    if rng.random() < 0.5: text += rng.choice([".", "!", "?", "...", "", ",", " ."])
    if rng.random() < 0.05: text = drawn(lambda: rng.choice(SPACES)) + text
    return text

def spellings_source(out):
    folder = os.environ.get("WHISPER_NORMALIZERS")
    with open(os.path.join(folder, "english.json"), encoding="utf-8") as f:
        mapping = json.load(f)
    for key, value in mapping.items():
        assert key.isascii() and len(key) >= 3
        assert "\t" not in key + value and "\n" not in key + value and '"""' not in key + value
    lines = "\n".join(f"{k}\t{v}" for k, v in mapping.items())
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"""// Generated by Scripts/make-normalizer-vectors.py --spellings from openai-whisper's
// whisper/normalizers/english.json (openai-whisper 20250625 on PyPI, MIT licence, copyright (c)
// 2022 OpenAI), itself from https://www.tysto.com/uk-us-spelling-list.html. Do not edit.

/// whisper's `EnglishSpellingNormalizer`: British spellings and their American forms.
enum BritishSpellings {{
    /// The American spelling of a (lower-case) British word, or `nil` when whisper leaves it.
    static func american(for word: ArraySlice<Unicode.Scalar>) -> Scalars? {{
        guard word.count >= 3, let key = String.ascii(word) else {{ return nil }}  // every key is ASCII, 3+ letters
        return mapping[key].map {{ Array($0.unicodeScalars) }}
    }}

    static let mapping: [String: String] = {{
        var mapping: [String: String] = [:]
        for line in table.split(separator: "\\n") {{
            let fields = line.split(separator: "\\t", maxSplits: 1)
            mapping[String(fields[0])] = String(fields[1])
        }}
        return mapping
    }}()

    /// {len(mapping)} pairs, British TAB American, in english.json's order.
    private static let table = #\"\"\"
{lines}
\"\"\"#
}}
""")

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--out")
    parser.add_argument("--spellings")
    parser.add_argument("--ascii", action="store_true", help="ASCII sentences only")
    args = parser.parse_args()
    global ASCII_ONLY
    ASCII_ONLY = args.ascii
    if args.spellings:
        return spellings_source(args.spellings)
    basic, english = load_reference(os.environ["WHISPER_NORMALIZERS"])
    rng = random.Random(args.seed)
    british = build_british()
    with open(args.out, "w", encoding="utf-8") as f:
        for _ in range(args.count):
            text = sentence(rng, british)
            f.write(json.dumps({"text": text, "english": english(text), "basic": basic(text)}, ensure_ascii=False) + "\n")
    print(f"{args.count} sentences (seed {args.seed}) -> {args.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
