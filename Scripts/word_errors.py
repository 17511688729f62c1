"""Random sentence pairs with word errors, for the scoring comparisons (compare-jiwer.sh,
compare-score.sh): a reference of 4–20 words drawn from a skewed vocabulary, and a hypothesis
with about 15 % word errors (5 % deleted, 7 % substituted, 3 % followed by an inserted word).
The draws are fixed by the caller's seeded `random.Random`, so a script's pairs stay the same
from run to run."""

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def vocabulary(rng, extra=()):
    """5,000 made-up words, then `extra`."""
    return ["".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 9))) for _ in range(5000)] + list(extra)


def pair(rng, words, number_rate=0.0):
    """(reference words, hypothesis words); with `number_rate`, that share of the reference's
    words are numbers 1–2000 instead."""
    def word():
        return words[min(int(rng.expovariate(1 / 600)), len(words) - 1)]

    def ref_word():
        if number_rate and rng.random() <= number_rate:
            return str(rng.randint(1, 2000))
        return word()

    ref = [ref_word() for _ in range(rng.randint(4, 20))]
    hyp = []
    for w in ref:
        e = rng.random()
        if e < 0.05:
            continue
        if e < 0.12:
            hyp.append(word())
        elif e < 0.15:
            hyp += [w, word()]
        else:
            hyp.append(w)
    return ref, hyp
