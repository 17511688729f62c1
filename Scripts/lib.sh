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

# run_clips LABEL COMMAND…: runs one whole process (its output discarded; on failure its stderr
# is shown and the script exits), records WALL[LABEL] (seconds) and RSS[LABEL] (peak KiB), and
# prints them with clips/s over N clips. The caller sets WORK and N, and declares
# `declare -A WALL RSS` (LABEL_WIDTH sets the label column, default 34).
run_clips() {
    local label=$1
    shift
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr"; exit 1; }
    end=$(date +%s%N)
    WALL[$label]=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
    RSS[$label]=$(cat "$WORK/rss")
    printf "%-${LABEL_WIDTH:-34}s %8s s  %8.1f clips/s  peak RSS %7d KiB\n" "$label" "${WALL[$label]}" \
        "$(awk -v n="$N" -v s="${WALL[$label]}" 'BEGIN { print n / s }')" "${RSS[$label]}"
}

# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# build_harness NAME MAIN PRODUCT…: builds MAIN (a main.swift) in release mode as the executable
# NAME against the listed library products of the checkout at SPEECHPREP_ROOT (default: this
# one; another checkout gives a before/after comparison with the same script), in
# <root>/.build-NAME (git-ignored), and sets HARNESS to the binary. The libraries are built
# through SwiftPM: they depend on SystemSupport, swift-system and swift-numerics, so compiling
# their loose sources with swiftc does not work. SWIFTFLAGS adds compiler flags.
build_harness() {
    local name=$1 main=$2 root products="" product
    shift 2
    root="$(cd "${SPEECHPREP_ROOT:-$PWD}" && pwd)"
    for product in "$@"; do products+=".product(name: \"$product\", package: \"SpeechPrep\"), "; done
    local package="$root/.build-$name"
    mkdir -p "$package/Sources/$name"
    cp "$main" "$package/Sources/$name/main.swift"
    cat >"$package/Package.swift" <<SWIFT
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "$name",
    dependencies: [.package(name: "SpeechPrep", path: "$root")],
    targets: [.executableTarget(
        name: "$name", dependencies: [$products],
        swiftSettings: [.swiftLanguageMode(.v6), .enableUpcomingFeature("InternalImportsByDefault"),
                        .enableUpcomingFeature("ExistentialAny")])])
SWIFT
    # shellcheck disable=SC2086 # SWIFTFLAGS is a list of flags
    swift build -c release --package-path "$package" ${SWIFTFLAGS:+-Xswiftc $SWIFTFLAGS} 2>&1 | grep -E "error|warning: " >&2 || true
    HARNESS="$(swift build -c release --package-path "$package" --show-bin-path)/$name"
}
