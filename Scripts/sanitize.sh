#!/usr/bin/env bash
# Runs the tests under a sanitizer, in a build folder of its own (git-ignored `.build-*`), and
# fails on any report, from the test process or from any instrumented child it started (the
# `speechprep` binary the CLI tests run is built with the same sanitizer).
#
#   Scripts/sanitize.sh address        the whole suite under AddressSanitizer + LeakSanitizer
#   Scripts/sanitize.sh thread         the threaded suites under ThreadSanitizer (CI runs this)
#   Scripts/sanitize.sh thread --filter CheckpointJournalTests   (extra `swift test` arguments;
#                                                               a --filter replaces the default set)
#
# Results, findings and timings: Docs/notes/sanitizers.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true

# The suites that run threads over shared state, in process: the pipeline's threads and
# queues, cancellation, shards, resume and the folder lock, the merge's part readers and scoring thread, the
# journal, transcription (PocketSphinx, engine workers, command transcribers), the probes, and
# the child-process layer under all of them. SPEECHPREP_TSAN_ALL=1 adds the suites that run the
# same pipeline through the CLI as instrumented child processes (EndToEndTests with the detached
# jobs, MetadataOutputTests: +4 min, serialized): CI leaves them out for time
# (Docs/notes/sanitizers.md has the measured runs of both sets).
thread_suites='(TranscriptionTests|ProcessProbeTests|SystemSupportTests)\.'
thread_suites+='|SpeechDatasetTests\.CheckpointJournalTests'
thread_suites+='|SpeechPrepTests\.(LimitAndChunkTests|CancellationTests|ShardTests|PolicyAndScoringTests|OutputFolderLockTests|ScaleOutTests|PartReadingTests|ResumeTests'
if [[ ${SPEECHPREP_TSAN_ALL:-0} == 1 ]]; then thread_suites+='|EndToEndTests|MetadataOutputTests'; fi
thread_suites+=')'

case $mode in
address) scratch=.build-asan filter=() ;;
thread) scratch=.build-tsan filter=(--filter "$thread_suites") ;;
*)
    echo "usage: Scripts/sanitize.sh address|thread [swift test arguments…]" >&2
    exit 2
    ;;
esac
# A --filter of the caller's replaces the default selection (swift test ORs several filters).
case " $* " in *" --filter "*) filter=() ;; esac

reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT
# Every instrumented process (the test bundle and each `speechprep` it starts) writes its
# reports to $reports/<kind>.<pid> rather than to standard error: a child's report then cannot
# be lost in output a test discards, and a child's exit status is not the only sign of it.
# Uninstrumented children (sox, ffmpeg, python, pocketsphinx_continuous) ignore these variables.
#  - SWIFT_BACKTRACE=enable=no: Swift's own crash handler would otherwise race the sanitizer's
#    for a fatal signal (and can outlive its process holding pipes; see DESIGN.md).
#  - ASAN_OPTIONS: detect_leaks=1 is the Linux default, spelled out because leaks count.
#  - LSAN_OPTIONS: the suppressions shared with the fuzzers (Fuzzing/lsan.supp), each a leak
#    inside a library we do not own, with its reason there: libvorbis on a damaged Ogg stream
#    (upstream xiph/vorbis#125), and one swift-argument-parser array on a usage error.
#    print_suppressions=0: a process whose only leaks were suppressed writes no file at all.
#  - TSAN_OPTIONS: suppressions only for reports inside C libraries we do not own (.ci/tsan.supp
#    explains each); exitcode stays at its default (66), so a race also fails its process.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan"
export LSAN_OPTIONS="suppressions=$PWD/Fuzzing/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="suppressions=$PWD/.ci/tsan.supp:log_path=$reports/tsan"

# Only Swift Testing suites exist; the XCTest pass would run nothing, and LeakSanitizer reports
# XCTest's own objects that it never frees at exit.
# ld.gold warns once per sanitizer-runtime helper it cannot export ("Cannot export local
# symbol '__asan_…'"): toolchain noise about the runtime, not our code, so it is filtered.
build_log=$reports/build.log
swift build --build-tests --sanitize="$mode" --scratch-path "$scratch" >"$build_log" 2>&1 || {
    cat "$build_log"
    exit 1
}
grep -v "Cannot export local symbol '__[at]san_" "$build_log" | grep -E "warning:|error:" || true
rm "$build_log"
status=0
swift test --skip-build --disable-xctest --sanitize="$mode" --scratch-path "$scratch" "${filter[@]}" "$@" || status=$?

if compgen -G "$reports/*" >/dev/null; then
    cat "$reports"/*
    echo "FAIL: $(ls "$reports" | wc -l) process(es) reported under --sanitize=$mode (above)" >&2
    exit 1
fi
if ((status != 0)); then
    echo "FAIL: tests failed under --sanitize=$mode" >&2
    exit "$status"
fi
echo "ok: no reports under --sanitize=$mode"
