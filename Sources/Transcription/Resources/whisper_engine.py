"""Whisper (faster-whisper / CTranslate2) as a SpeechPrep Python engine.

The engine adapter (speechprep_engine.py) calls ``speechprep_init(options)`` once, before it
reports ready, and then ``asr(wav_path, language=...)`` for every clip. Options (all but
``model`` optional):

    model         folder of a faster-whisper model: model.bin, config.json, tokenizer.json,
                  vocabulary.json or vocabulary.txt
    sha256        expected sha256 of model.bin; when given, the file is hashed and compared
    language      the language of every clip, overriding the one sent with the clip: a Whisper
                  code, a Common Voice locale (``zh-HK``, ``en``, ``pt-BR``), or "auto" to
                  detect it; absent or None: each clip's own language, detected when it has none
    beam_size     beam width (default 5)
    compute_type  CTranslate2 compute type (default "int8"; "float32", "int8_float32", ...)
    threads       CTranslate2 intra-op threads (default 1)
    word_timestamps  when true, answers carry per-word timings (slower)

Nothing is downloaded: the model is a local folder and HF_HUB_OFFLINE is forced on.
"""

import hashlib
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"

_model = None
_languages = frozenset()
_fixed_language = False
_default_language = None
_options = {}


class WhisperEngineError(Exception):
    """A configuration or input the engine cannot work with; the message says which and why."""


def model_languages(model_dir):
    """The language codes a faster-whisper model has tokens for, read from its config.json
    and tokenizer.json (Whisper base has 99: every one but ``yue``, which came with large-v3)."""
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        lang_ids = set(json.load(f).get("lang_ids") or [])
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    tokens = {t["id"]: t["content"] for t in tokenizer.get("added_tokens", [])}
    if len(tokens) < len(lang_ids):
        tokens.update({i: t for t, i in tokenizer.get("model", {}).get("vocab", {}).items()})
    return frozenset(tokens[i][2:-2] for i in lang_ids if i in tokens)


def whisper_language(locale, languages):
    """Maps a Common Voice locale or a language code to the Whisper code for ``languages``.

    ``None``, "" and "auto" mean detection (returns None). Chinese locales (``zh-CN``,
    ``zh-TW``, ``zh-HK``) map to ``zh``; Cantonese (``yue``, ``zh-HK``) maps to ``yue`` on a
    model that has that token and to ``zh`` otherwise (Whisper base has no ``yue`` token).
    Any other ``xx-YY`` maps to ``xx``. A language the model lacks raises
    WhisperEngineError naming it.
    """
    if locale is None:
        return None
    raw = str(locale).strip()
    if raw.lower() in ("", "auto"):
        return None
    code = raw.replace("_", "-").lower()
    if code in ("yue", "zh-hk", "yue-hk", "zh-yue"):
        code = "yue" if "yue" in languages else "zh"
    else:
        code = code.split("-", 1)[0]
        code = {"cmn": "zh", "iw": "he", "jw": "jv"}.get(code, code)
    if code not in languages:
        raise WhisperEngineError(
            f"language '{raw}' is not supported by this Whisper model "
            f"(it has {len(languages)} languages; no '{code}' token)")
    return code


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def check_model_folder(model_dir, sha256=None):
    """Raises WhisperEngineError when ``model_dir`` is not a complete faster-whisper model."""
    if not model_dir:
        raise WhisperEngineError("no Whisper model folder given (option 'model')")
    if not os.path.isdir(model_dir):
        raise WhisperEngineError(f"Whisper model folder {model_dir} does not exist")
    missing = [n for n in ("model.bin", "config.json", "tokenizer.json") if not os.path.isfile(os.path.join(model_dir, n))]
    if not any(os.path.isfile(os.path.join(model_dir, n)) for n in ("vocabulary.json", "vocabulary.txt")):
        missing.append("vocabulary.json or vocabulary.txt")
    if missing:
        raise WhisperEngineError(f"Whisper model folder {model_dir} lacks {', '.join(missing)}")
    if sha256:
        actual = _sha256(os.path.join(model_dir, "model.bin"))
        if actual != sha256.lower():
            size = os.path.getsize(os.path.join(model_dir, "model.bin"))
            raise WhisperEngineError(
                f"{model_dir}/model.bin ({size} bytes) has sha256 {actual}, expected {sha256} "
                f"(truncated or a different model)")


def speechprep_init(options):
    """Loads the model once per worker process. See the module docstring for ``options``."""
    global _model, _languages, _fixed_language, _default_language, _options
    model_dir = options.get("model")
    check_model_folder(model_dir, options.get("sha256"))
    _languages = model_languages(model_dir)
    _fixed_language = options.get("language") is not None
    _default_language = whisper_language(options.get("language"), _languages)
    from faster_whisper import WhisperModel

    try:
        _model = WhisperModel(
            model_dir,
            device="cpu",
            compute_type=options.get("compute_type") or "int8",
            cpu_threads=int(options.get("threads") or 1),
            num_workers=1,
            local_files_only=True,
        )
    except Exception as error:  # CTranslate2 raises RuntimeError/ValueError with terse text
        size = os.path.getsize(os.path.join(model_dir, "model.bin"))
        raise WhisperEngineError(
            f"cannot load Whisper model {model_dir} (model.bin {size} bytes; truncated?): {error}") from error
    _options = {
        "beam_size": int(options.get("beam_size") or 5),
        "word_timestamps": bool(options.get("word_timestamps")),
    }


def asr(wav_path, language=None):
    """Transcribes one clip in the init option's language when one was given, else in
    ``language`` (a Common Voice locale or Whisper code), else in the detected language.

    Returns {"text", "language"} and, with word_timestamps, "words".
    """
    if _model is None:
        raise WhisperEngineError("speechprep_init() was not called")
    code = _default_language if _fixed_language else whisper_language(language, _languages)
    segments, info = _model.transcribe(
        wav_path, language=code, beam_size=_options["beam_size"], word_timestamps=_options["word_timestamps"])
    segments = list(segments)
    answer = {"text": "".join(s.text for s in segments).strip(), "language": info.language}
    if _options["word_timestamps"]:
        answer["words"] = [
            {"word": w.word.strip(), "start": round(w.start, 3), "end": round(w.end, 3)}
            for s in segments for w in (s.words or [])]
    return answer
