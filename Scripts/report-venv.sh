#!/usr/bin/env bash
# Creates .venv-report (pandas + jiwer + NumPy from PyPI) for the report's Python reference
# and benchmark peer, idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-report
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c "import jiwer, pandas, numpy" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "jiwer==4.0.0" pandas numpy
fi
