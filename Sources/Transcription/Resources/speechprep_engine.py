"""SpeechPrep engine adapter: serves a Python function over the engine worker protocol v1.

    python speechprep_engine.py --function FILE.py:NAME|module:NAME [--init JSON]

Protocol (JSON lines; see Docs/ENGINES.md): prints {"ready": true, ...} once loaded, then for
each request {"id", "audio", "language"} on stdin answers {"id", "text"[, "words", "language"]}
or {"id", "error", "detail"} on stdout. The real stdout carries the protocol only: anything
the user's code prints goes to stderr. Bundled inside speechprep; standard library only.
"""
import argparse
import importlib
import importlib.util
import inspect
import json
import os
import sys
import traceback


def load(spec):
    target, _, name = spec.rpartition(":")
    if not target or not name:
        raise SystemExit(f"--function {spec!r}: expected FILE.py:NAME or module:NAME")
    if target.endswith(".py") or os.sep in target:
        path = os.path.abspath(target)
        sys.path.insert(0, os.path.dirname(path))
        module_name = os.path.splitext(os.path.basename(path))[0]
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        if module_spec is None or not os.path.isfile(path):
            raise SystemExit(f"--function {spec!r}: no such file {path}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[module_name] = module
        module_spec.loader.exec_module(module)
    else:
        sys.path.insert(0, os.getcwd())
        module = importlib.import_module(target)
    function = getattr(module, name, None)
    if not callable(function):
        raise SystemExit(f"--function {spec!r}: {target} has no function {name!r}")
    return module, function


def takes_language(function):
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "language" or p.kind == p.VAR_KEYWORD for p in parameters)


def answer(clip_id, result, name):
    if isinstance(result, str):
        return {"id": clip_id, "text": result}
    if isinstance(result, dict) and isinstance(result.get("text"), str):
        reply = {"id": clip_id, "text": result["text"]}
        if result.get("language") is not None:
            reply["language"] = str(result["language"])
        if result.get("words") is not None:
            reply["words"] = [
                {"word": str(w["word"]), "start": float(w["start"]), "end": float(w["end"])}
                for w in result["words"]
            ]
        return reply
    return {"id": clip_id, "error": f"{name}() returned {type(result).__name__}, expected str or dict with 'text'"}


def main():
    parser = argparse.ArgumentParser(description="SpeechPrep engine adapter (protocol 1)")
    parser.add_argument("--function", required=True, help="FILE.py:NAME or module:NAME")
    parser.add_argument("--init", default="{}", help="JSON object for speechprep_init(options)")
    args = parser.parse_args()
    # Keep the real stdout for the protocol; everything else that writes to fd 1 (print,
    # C libraries) lands on stderr, which the parent logs.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    module, function = load(args.function)
    initialise = getattr(module, "speechprep_init", None)
    if callable(initialise):
        initialise(json.loads(args.init))
    with_language = takes_language(function)
    name = getattr(function, "__name__", "function")

    def send(message):
        protocol.write(json.dumps(message, ensure_ascii=False) + "\n")
        protocol.flush()

    send({"ready": True, "engine": args.function, "protocol": 1})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        clip_id = request.get("id")
        try:
            if with_language:
                result = function(request["audio"], language=request.get("language"))
            else:
                result = function(request["audio"])
            reply = answer(clip_id, result, name)
        except Exception as error:
            last = traceback.format_exception_only(type(error), error)[-1].strip()
            reply = {"id": clip_id, "error": last, "detail": traceback.format_exc()}
        send(reply)


if __name__ == "__main__":
    main()
