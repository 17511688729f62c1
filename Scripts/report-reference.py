#!/usr/bin/env python3
"""Reference implementation of `speechprep report` with pandas + jiwer + NumPy.

    .venv-report/bin/python Scripts/report-reference.py RUN [RUN_B] [--by gender,age,...]
        [--min-slice N] [--resamples N] [--seed N] [--normalizer NAME] [--top N] [--worst N]

Prints JSON with the numbers the Swift report computes: corpus WER/CER/MER with 95 %
bootstrap intervals, every slice (utterances, words, errors, WER, interval, small), the top
substitutions / deletions / insertions and the worst utterance ids; with two runs, the
paired comparison (per-slice WER of both, delta with interval, P(B better)).

The resampling is the one documented on the Swift `SplitMix64` and `Bootstrap` types:
SplitMix64 output k (from 1) is mix(seed + k * 0x9E3779B97F4A7C15 mod 2^64); resample r
draws n indices, draw j being output r*n + j + 1 modulo n; statistics are ratios of
integer sums weighted by how often each utterance was drawn; intervals are NumPy's default
(linear) 2.5th / 97.5th percentiles of the resamples with a non-zero denominator. The draws
are computed vectorised (SplitMix64 output k depends on k alone), so this is also the fair
Python peer for the speed benchmark (Scripts/bench-report.sh).
"""
import argparse
import json
import sys

import jiwer
import numpy as np
import pandas as pd

GAMMA = np.uint64(0x9E3779B97F4A7C15)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
BUCKETS = [(0.0, "< 2 s"), (2.0, "2–5 s"), (5.0, "5–10 s"), (10.0, "10–20 s"), (20.0, "≥ 20 s")]
MISSING = "(missing)"


def splitmix(seed, first, count):
    """SplitMix64 outputs first .. first+count-1 (counting from 1)."""
    with np.errstate(over="ignore"):
        k = np.arange(first, first + count, dtype=np.uint64)
        z = np.uint64(seed) + k * GAMMA
        z = (z ^ (z >> np.uint64(30))) * M1
        z = (z ^ (z >> np.uint64(27))) * M2
        return z ^ (z >> np.uint64(31))


def normalizer(name):
    if name == "lowercase-punctuation":
        lower, punct = jiwer.ToLowerCase(), jiwer.RemovePunctuation()
        return lambda text: " ".join(punct(lower(text)).split())
    if name == "jiwer-default":
        return lambda text: text
    raise SystemExit(f"unknown normaliser {name}")


def load(run):
    manifest = pd.read_json(f"{run}/manifest.jsonl", lines=True, dtype=False)
    rows = [json.loads(line) for line in open(f"{run}/metadata.jsonl", encoding="utf-8")]
    metadata = pd.DataFrame(rows, dtype=object)
    assert len(metadata) == len(manifest)
    frame = metadata.copy()
    frame["reference"] = manifest["text"].fillna("").astype(str).values
    frame["hypothesis"] = manifest["pred_text"].fillna("").astype(str).values
    frame["duration"] = manifest["duration"].values if "duration" in manifest else np.nan
    frame["audio"] = manifest["audio_filepath"].values
    return frame


def score(frame, normalize, alignments):
    refs = [normalize(t) for t in frame["reference"]]
    hyps = [normalize(t) for t in frame["hypothesis"]]
    keep = [k for k, r in enumerate(refs) if r.strip() != ""]
    frame = frame.iloc[keep].reset_index(drop=True)
    refs = [refs[k] for k in keep]
    hyps = [hyps[k] for k in keep]
    words = jiwer.process_words(refs, hyps)
    chars = jiwer.process_characters(refs, hyps)
    s, d, i, h = (np.zeros(len(refs), dtype=np.int64) for _ in range(4))
    subs, dels, ins = {}, {}, {}
    for k, chunks in enumerate(words.alignments):
        ref, hyp = words.references[k], words.hypotheses[k]
        for c in chunks:
            if c.type == "equal":
                h[k] += c.ref_end_idx - c.ref_start_idx
            elif c.type == "substitute":
                s[k] += c.ref_end_idx - c.ref_start_idx
                for a, b in zip(ref[c.ref_start_idx:c.ref_end_idx], hyp[c.hyp_start_idx:c.hyp_end_idx]):
                    subs[(a, b)] = subs.get((a, b), 0) + 1
            elif c.type == "delete":
                d[k] += c.ref_end_idx - c.ref_start_idx
                for a in ref[c.ref_start_idx:c.ref_end_idx]:
                    dels[a] = dels.get(a, 0) + 1
            else:
                i[k] += c.hyp_end_idx - c.hyp_start_idx
                for b in hyp[c.hyp_start_idx:c.hyp_end_idx]:
                    ins[b] = ins.get(b, 0) + 1
    ce = np.zeros(len(refs), dtype=np.int64)
    cn = np.zeros(len(refs), dtype=np.int64)
    for k, chunks in enumerate(chars.alignments):
        for c in chunks:
            if c.type in ("equal", "substitute", "delete"):
                cn[k] += c.ref_end_idx - c.ref_start_idx
            if c.type in ("substitute", "delete"):
                ce[k] += c.ref_end_idx - c.ref_start_idx
            elif c.type == "insert":
                ce[k] += c.hyp_end_idx - c.hyp_start_idx
    frame = frame.assign(errors=s + d + i, words=h + s + d, hits=h, char_errors=ce, chars=cn,
                         norm_ref=refs, norm_hyp=hyps)
    return frame, (subs, dels, ins)


def slicing_codes(frame, column, min_slice):
    """Slice names in display order, each utterance's slice, and slice -> group (-1 small)."""
    if column == "duration":
        durations = frame["duration"]
        values = [None if pd.isna(x) else [label for lower, label in BUCKETS if x >= lower][-1] for x in durations]
        order = [label for _, label in BUCKETS]
    else:
        if column not in frame:
            return None
        values = [None if (v is None or (isinstance(v, float) and np.isnan(v))) else v for v in frame[column]]
        order = None
    if all(v is None for v in values):
        return None
    names = pd.Series([MISSING if v is None else v for v in values])
    sizes = names.value_counts()
    if order is not None:
        slices = [x for x in order + [MISSING] if x in sizes.index]
    else:
        slices = sorted(sizes.index, key=lambda x: (-sizes[x], x))
    index = {name: k for k, name in enumerate(slices)}
    members = names.map(index).to_numpy()
    groups, nxt = [], 0
    for name in slices:
        if sizes[name] >= min_slice:
            groups.append(nxt)
            nxt += 1
        else:
            groups.append(-1)
    return slices, members, np.array(groups), nxt


def slicing_plans(frame, args):
    plans = [(column, slicing_codes(frame, column, args.min_slice)) for column in args.by]
    return [(column, plan) for column, plan in plans if plan is not None]


def bootstrap(columns, groupings, resamples, seed, reduce):
    """groupings: list of (codes, count); reduce(r, sums) with sums[g] of shape (count, len(columns))."""
    n = len(columns[0])
    for r in range(resamples):
        idx = (splitmix(seed, r * n + 1, n) % np.uint64(n)).astype(np.int64)
        w = np.bincount(idx, minlength=n)
        sums = []
        for codes, count in groupings:
            valid = codes >= 0
            sums.append(np.stack([np.bincount(codes[valid], weights=(w * col)[valid], minlength=count)
                                  for col in columns], axis=1).astype(np.int64) if count else np.zeros((0, len(columns)), dtype=np.int64))
        reduce(r, sums)


def ratio(a, b):
    return np.where(b == 0, np.nan, a / np.where(b == 0, 1, b))


def interval(values):
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return None, None
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def top(counts, limit, key):
    return [x for x in sorted(counts.items(), key=key)][:limit]


def report(args):
    normalize = normalizer(args.normalizer)
    frame, (subs, dels, ins) = score(load(args.runs[0]), normalize, True)
    n = len(frame)
    plans = slicing_plans(frame, args)
    e, w = frame["errors"].to_numpy(), frame["words"].to_numpy()
    columns = [e, w, frame["char_errors"].to_numpy(), frame["chars"].to_numpy(), frame["hits"].to_numpy() + e]
    corpus = [[], [], []]
    resampled = [[] for _ in plans]  # per column: one array of slice WERs per resample

    def reduce(r, sums):
        c = sums[0][0]
        corpus[0].append(ratio(c[0], c[1]))
        corpus[1].append(ratio(c[2], c[3]))
        corpus[2].append(ratio(c[0], c[4]))
        for g in range(len(plans)):
            s = sums[g + 1]
            resampled[g].append(ratio(s[:, 0], s[:, 1]))

    groupings = [(np.zeros(n, dtype=np.int64), 1)] + [(groups[members], count) for _, (slices, members, groups, count) in plans]
    bootstrap(columns, groupings, args.resamples, args.seed, reduce)
    samples = [np.array(r).reshape(args.resamples, -1).T for r in resampled]

    def estimate(value, values):
        lo, hi = interval(values)
        return {"value": value, "lower": lo, "upper": hi}

    tw, te = int(w.sum()), int(e.sum())
    out = {
        "utteranceCount": n, "referenceWords": tw,
        "wer": estimate(te / tw, corpus[0]),
        "cer": estimate(int(columns[2].sum()) / int(columns[3].sum()), corpus[1]),
        "mer": estimate(te / int(columns[4].sum()), corpus[2]),
        "slicings": [],
    }
    for g, (column, (slices, members, groups, count)) in enumerate(plans):
        table = pd.DataFrame({"slice": members, "errors": e, "words": w}).groupby("slice").agg(
            utterances=("errors", "size"), errors=("errors", "sum"), words=("words", "sum"))
        rows = []
        for k, name in enumerate(slices):
            u, se, sw = int(table.loc[k, "utterances"]), int(table.loc[k, "errors"]), int(table.loc[k, "words"])
            value = se / sw if sw else 0.0
            lo, hi = interval(samples[g][groups[k]]) if groups[k] >= 0 else (None, None)
            rows.append({"name": name, "utterances": u, "words": sw, "errors": se,
                         "wer": {"value": value, "lower": lo, "upper": hi}, "small": u < args.min_slice})
        out["slicings"].append({"column": column, "slices": rows})
    out["substitutions"] = [{"reference": a, "hypothesis": b, "count": c}
                            for (a, b), c in top(subs, args.top, lambda kv: (-kv[1], kv[0][0], kv[0][1]))]
    out["deletions"] = [{"word": a, "count": c} for a, c in top(dels, args.top, lambda kv: (-kv[1], kv[0]))]
    out["insertions"] = [{"word": a, "count": c} for a, c in top(ins, args.top, lambda kv: (-kv[1], kv[0]))]
    wer = e / w
    order = sorted(range(n), key=lambda k: (-wer[k], -e[k], k))[:args.worst]
    out["worst"] = [frame["id"][k] for k in order]
    return out


def compare(args):
    normalize = normalizer(args.normalizer)
    a, b = load(args.runs[0]), load(args.runs[1])
    b = b.drop_duplicates("id").set_index("id")
    shared = a[a["id"].isin(b.index)].reset_index(drop=True)
    other = b.loc[shared["id"]].reset_index()
    other["reference"] = shared["reference"].values
    fa, _ = score(shared, normalize, False)
    fb, _ = score(other, normalize, False)
    n = len(fa)
    plans = slicing_plans(fa, args)
    ea, eb, w = fa["errors"].to_numpy(), fb["errors"].to_numpy(), fa["words"].to_numpy()
    groupings = [(np.zeros(n, dtype=np.int64), 1)] + [(groups[members], count) for _, (slices, members, groups, count) in plans]
    resampled = [[] for _ in groupings]
    better = [np.zeros(count, dtype=np.int64) for _, count in groupings]

    def reduce(r, sums):
        for g, s in enumerate(sums):
            resampled[g].append(ratio(s[:, 1] - s[:, 0], s[:, 2]))
            better[g] += (s[:, 2] > 0) & (s[:, 1] < s[:, 0])

    bootstrap([ea, eb, w], groupings, args.resamples, args.seed, reduce)
    deltas = [np.array(r).reshape(args.resamples, -1).T for r in resampled]

    def row(name, mask, group):
        sa, sb, sw = int(ea[mask].sum()), int(eb[mask].sum()), int(w[mask].sum())
        wa, wb = (sa / sw, sb / sw) if sw else (0.0, 0.0)
        u = int(mask.sum())
        if group is None:
            return {"name": name, "utterances": u, "words": sw, "werA": wa, "werB": wb,
                    "delta": {"value": wb - wa, "lower": None, "upper": None}, "probabilityBBetter": None, "small": True}
        g, k = group
        values = np.asarray(deltas[g][k], dtype=float)
        valid = int((~np.isnan(values)).sum())
        lo, hi = interval(values)
        return {"name": name, "utterances": u, "words": sw, "werA": wa, "werB": wb,
                "delta": {"value": wb - wa, "lower": lo, "upper": hi},
                "probabilityBBetter": (int(better[g][k]) / valid) if valid else None, "small": u < args.min_slice}

    out = {"sharedCount": n, "referenceWords": int(w.sum()), "corpus": row("all", np.ones(n, dtype=bool), (0, 0)), "slicings": []}
    for g, (column, (slices, members, groups, count)) in enumerate(plans):
        rows = [row(name, members == k, None if groups[k] < 0 else (g + 1, int(groups[k]))) for k, name in enumerate(slices)]
        out["slicings"].append({"column": column, "rows": rows})
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="+")
    parser.add_argument("--by", default="gender,age,accents,duration,speaker")
    parser.add_argument("--min-slice", type=int, default=20)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--normalizer", default="lowercase-punctuation")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--worst", type=int, default=25)
    args = parser.parse_args()
    args.by = [c for c in args.by.split(",") if c]
    out = compare(args) if len(args.runs) == 2 else report(args)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
