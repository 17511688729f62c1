#!/usr/bin/env python3
"""make-report-bench-run.py OUT COUNT: a synthetic run folder for Scripts/bench-report.sh."""
# A run folder as the pipeline writes it: manifest.jsonl (+ pred_text) and metadata.jsonl.
import json, os, random, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
rng = random.Random(20261206)
vocabulary = [f"w{k}" for k in range(3000)] + ["the", "a", "of", "and", "to", "in", "is", "it"] * 40
genders = ["male_masculine", "female_feminine", "", "intersex"]
ages = ["teens", "twenties", "thirties", "fourties", "fifties", "sixties", ""]
accents = ["United States English", "England English", "India and South Asia (India, Pakistan, Sri Lanka)",
           "Canadian English", "Australian English", "Scottish English", "Irish English", "", "German English", "Nigerian English"]
with open(f"{out}/manifest.jsonl", "w") as m, open(f"{out}/metadata.jsonl", "w") as d:
    for k in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 20))]
        hyp = []
        for w in words:
            r = rng.random()
            if r < 0.06: hyp.append(rng.choice(vocabulary))
            elif r < 0.09: pass
            elif r < 0.11: hyp += [w, rng.choice(vocabulary)]
            else: hyp.append(w)
        m.write(json.dumps({"audio_filepath": f"wavs/u{k}.wav", "duration": round(len(words) * 0.38 + rng.random() * 2, 3),
                            "text": " ".join(words).capitalize() + ".", "pred_text": " ".join(hyp)}) + "\n")
        meta = {"id": f"u{k}", "accents": rng.choice(accents), "age": rng.choice(ages), "gender": rng.choice(genders),
                "language": "en", "speaker": f"{rng.randrange(5000):0128x}"}
        d.write(json.dumps({key: v for key, v in meta.items() if v}) + "\n")
