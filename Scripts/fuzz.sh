#!/usr/bin/env bash
# Fuzzes the parsers of untrusted bytes with libFuzzer (see Docs/notes/fuzzing.md).
#
#   Scripts/fuzz.sh [target|all] [seconds]      default: all, 30 s each
#
# Builds Fuzzing/ (its own package) with -sanitize=fuzzer,address, then runs each target for
# the given time over its committed seeds (Fuzzing/Corpus/<target>, read only) plus a working
# corpus that grows between runs (Fuzzing/.corpus/<target>, git-ignored). FUZZ_JOBS targets run
# at once (default 1; CI uses 2). A crash, leak, hang (> 10 s on one input) or out-of-memory
# fails the script; the input is saved as Fuzzing/.artifacts/<target>-crash-… and the log is
# Fuzzing/.logs/<target>.log. The last line of each log (cov, ft, corp, exec/s) is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
target=${1:-all}
seconds=${2:-30}
jobs=${FUZZ_JOBS:-1}
targets=(json legacy-json nemo commonvoice kaldi journal sniffer wav flac ogg mp3 scoring)
if [[ "$target" != all ]]; then
    [[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target '$target'; one of: all ${targets[*]}" >&2; exit 2; }
    targets=("$target")
fi

# lld, not the default gold: gold stops with an internal error on the fuzzer runtime's objects.
build=(swift build -c debug --package-path Fuzzing -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
"${build[@]}" 2>&1 | grep -E "error|warning:" | grep -v "Cannot export local symbol" || true
bin="$("${build[@]}" --show-bin-path)/speechprep-fuzz"
[[ -x "$bin" ]] || { echo "the fuzzing build failed" >&2; exit 1; }
mkdir -p Fuzzing/.logs Fuzzing/.artifacts

# run_target NAME: one libFuzzer run; its scratch files live in a TMPDIR removed afterwards.
run_target() {
    local name=$1 scratch status=0
    scratch=$(mktemp -d)
    mkdir -p "Fuzzing/.corpus/$name"
    SPEECHPREP_FUZZ_TARGET=$name TMPDIR=$scratch LSAN_OPTIONS="suppressions=$PWD/Fuzzing/lsan.supp:print_suppressions=0" "$bin" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="Fuzzing/.artifacts/$name-" \
        "Fuzzing/.corpus/$name" "Fuzzing/Corpus/$name" >"Fuzzing/.logs/$name.log" 2>&1 || status=$?
    rm -rf "$scratch"
    local last
    last=$(grep -E '^#[0-9]+' "Fuzzing/.logs/$name.log" | tail -1 || true)
    if ((status == 0)); then
        printf '%-12s ok    %s\n' "$name" "$last"
    else
        printf '%-12s FAIL  exit %d, see Fuzzing/.logs/%s.log\n' "$name" "$status" "$name"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|Fatal error|precondition' "Fuzzing/.logs/$name.log" | head -5 || true
    fi
    return "$status"
}

failed=0
pids=()
for name in "${targets[@]}"; do
    run_target "$name" &
    pids+=($!)
    if ((${#pids[@]} >= jobs)); then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
exit "$failed"
