# Shared by the comparison and check scripts: source it after `cd` to the project root.

# ensure_venv DIR CHECK PIP-ARGS…: creates the venv DIR (git-ignored .venv-*) and installs
# PIP-ARGS unless its python already passes CHECK (a Python statement, e.g. "import jiwer").
ensure_venv() {
    local venv=$1 check=$2
    shift 2
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "$check" 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet "$@"
    fi
}

# release_speechprep: builds speechprep in release mode and sets BIN to it.
release_speechprep() {
    swift build -c release --product speechprep 2>&1 | grep -E "error|warning:" || true
    BIN="$(swift build -c release --product speechprep --show-bin-path)/speechprep"
}
