#!/usr/bin/env bash
# End-to-end test of Docs/scale-out/slurm-array.sh on a real Slurm cluster (Scripts/slurm-cluster.sh up).
# The shipped script is submitted unchanged; only sbatch's command line adapts it to a 2-CPU
# node (command-line options take precedence over #SBATCH lines):
#   --cpus-per-task=1 --mem=500M   instead of 8 CPUs and 4G per task
#   --chdir=<case folder>          where its logs/ folder is created
#   --export=ALL,RELEASE=…,OUT=…   the variables the script reads
# Cases, each over a CLIPS-clip Common Voice release (default 200, Scripts/make-test-release.sh):
#   0. the single-machine reference: speechprep transcribe --workers 2, timed;
#   1. a 4-task array + a merge job --dependency=afterok:<array>: merged results.json,
#      manifest.jsonl, failures.jsonl byte-identical to the reference; the merge started after
#      every task ended; `speechprep jobs <out>` shows the tasks under Slurm; timing vs case 0;
#   2. scancel one task mid-run, resubmit it alone (sbatch --array=2, SPEECHPREP_SHARD_COUNT=4),
#      merge: identical again, and the resubmitted task resumed its journal;
#   3. (run alongside case 2, which would otherwise leave a CPU idle) a task with --requeue and
#      a 1-minute --time limit, slowed (1 CPU, the whole release, made larger when the machine
#      is fast): Slurm ends it at the limit (TIMEOUT), `scontrol requeue` (with a longer limit)
#      runs it again, and it resumes from its journal — the journal's lines before the limit
#      are kept byte for byte, no id is journaled twice, and its progress reports the resumed
#      count — then merges identically.
# Usage: Scripts/slurm-e2e.sh          (env: CLIPS, SLURM_SCRATCH, CASES="0 1 2 3", RELEASE_SCRATCH)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
S=${SLURM_SCRATCH:-$ROOT/.slurm}
CLIPS=${CLIPS:-200}
CASES=${CASES:-0 1 2 3}
W=$S/e2e
eval "$(Scripts/slurm-cluster.sh env)"
scontrol ping >/dev/null || { echo "slurm-e2e: no cluster; run Scripts/slurm-cluster.sh up" >&2; exit 1; }

export PATH=/opt/swift/usr/bin:$PATH
t=$SECONDS
# RELEASE_SCRATCH: another build folder (CI builds there in the background ahead of this step).
release=(swift build -c release ${RELEASE_SCRATCH:+--scratch-path "$RELEASE_SCRATCH"})
"${release[@]}" --product speechprep 2>&1 | grep -E 'error|warning:|Compiling|Build' >&2 || true
BUILT=$("${release[@]}" --show-bin-path)/speechprep
[[ -x $BUILT ]] || { echo "slurm-e2e: the release build failed" >&2; exit 1; }
echo "slurm-e2e: release build of speechprep: $((SECONDS - t)) s"
# A copy on PATH (the array script calls plain `speechprep`; jobs inherit PATH through
# --export=ALL), so a rebuild during the test does not change the binary under the jobs.
mkdir -p "$S/bin"
cp "$BUILT" "$S/bin/speechprep.tmp" && mv "$S/bin/speechprep.tmp" "$S/bin/speechprep"
export PATH=$S/bin:$PATH

Scripts/make-test-release.sh "$S/release" "$CLIPS"
RELEASE=$S/release/en
SCRIPT=$ROOT/Docs/scale-out/slurm-array.sh
rm -rf "$W"
mkdir -p "$W"

fail() { echo "slurm-e2e: FAIL: $*" >&2; exit 1; }
pass() { echo "slurm-e2e: ok: $*"; }
now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.1f}')"; }

# states <job>: the state of every job or array task of <job>, one per line ("5_2 COMPLETED").
states() { squeue --states=all -h -j "$1" -o '%i %T' 2>/dev/null | sort; }
active() { states "$1" | grep -Eq ' (PENDING|CONFIGURING|RUNNING|COMPLETING|REQUEUED|SUSPENDED|RESIZING)$'; }
reached() { states "$1" | grep -q " $2$"; }
# poll <seconds> <what> <command…>: until the command succeeds, or fail naming what was awaited.
poll() {
    local deadline=$((SECONDS + $1)) what=$2
    shift 2
    until "$@"; do
        ((SECONDS < deadline)) || fail "$what did not happen in time"
        sleep 0.5
    done
}
wait_done() { poll "${2:-1800}" "the end of job $1" eval "! active $1"; }  # wait_done <job> [seconds]
wait_state() { poll "${3:-600}" "job $1 reaching $2" reached "$1" "$2"; }   # wait_state <job> <STATE> [seconds]
all_completed() { # all_completed <job>
    local bad
    bad=$(states "$1" | grep -v ' COMPLETED$' || true)
    [[ -z $bad ]] || fail "job $1 has tasks that did not complete: $bad (logs: $(ls "$W"/*/logs/ 2>/dev/null | tr '\n' ' '))"
}
journal_records() { local n; n=$(wc -l 2>/dev/null <"$1" || echo 1); echo $((n - 1)); }  # minus the header
same_as_single() { # same_as_single <out folder> <case>
    for f in results.json manifest.jsonl failures.jsonl; do
        cmp -s "$W/single/$f" "$1/$f" || fail "$2: merged $f differs from the single-machine run"
    done
    pass "$2: merged results.json, manifest.jsonl, failures.jsonl are byte-identical to the single-machine run"
}
# submit <case folder> <sbatch options…>: the shipped script, adapted on the command line only.
submit() {
    local dir=$1
    shift
    mkdir -p "$dir/logs" # the script's --output=logs/… needs the folder: Slurm does not create it
    sbatch --parsable --chdir="$dir" --cpus-per-task=1 --mem=500M \
        --export="ALL,RELEASE=$RELEASE,OUT=$dir/out" "$@" "$SCRIPT"
}
merge_after() { # merge_after <case folder> <dependency>: the merge job the script's comment describes
    sbatch --parsable --chdir="$1" --cpus-per-task=1 --mem=500M --job-name=speechprep-merge \
        --output="$1/logs/merge-%j.log" --dependency="$2" --wrap "speechprep merge $1/out --verify"
}
field() { scontrol -o show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }  # field <job> <Name>
epoch() { date -d "$1" +%s; }

# --- 0. single machine, 2 workers -------------------------------------------------------------
if [[ " $CASES " == *" 0 "* || ! -f $W/single/results.json ]]; then
    t0=$(now)
    speechprep transcribe "$RELEASE" --split dev --out "$W/single" --workers 2 --quiet >"$W/single.log" 2>&1 ||
        { cat "$W/single.log" >&2; fail "the single-machine run failed"; }
    SINGLE=$(elapsed "$t0" "$(now)")
    echo "slurm-e2e: single machine, 2 workers, $CLIPS clips: $SINGLE s"
fi

# --- 1. 4-task array + dependent merge --------------------------------------------------------
if [[ " $CASES " == *" 1 "* ]]; then
    C=$W/array
    t0=$(now)
    A=$(submit "$C" --array=0-3)
    M=$(merge_after "$C" "afterok:$A")
    # `speechprep jobs` while the tasks run: shard rows with the Slurm array and task ids.
    wait_state "$A" RUNNING
    deadline=$((SECONDS + 120))
    until speechprep jobs "$C/out" | grep -q "${A}_[0-3] *RUNNING"; do
        ((SECONDS < deadline)) || { speechprep jobs "$C/out" >&2; fail "speechprep jobs never showed a RUNNING task of $A"; }
        sleep 0.5
    done
    speechprep jobs "$C/out" | tee "$W/jobs-running.txt"
    wait_done "$M"
    t1=$(now)
    all_completed "$A"
    all_completed "$M"
    same_as_single "$C/out" "case 1 (4-task array)"
    # The merge started only after the last task ended.
    last_end=0
    for k in 0 1 2 3; do
        e=$(epoch "$(field "${A}_$k" EndTime)")
        ((e > last_end)) && last_end=$e
    done
    merge_start=$(epoch "$(field "$M" StartTime)")
    ((merge_start >= last_end)) || fail "the merge started ($merge_start) before the last task ended ($last_end)"
    pass "case 1: the merge job started after every array task ended"
    speechprep jobs "$C/out" | tee "$W/jobs-finished.txt"
    [[ $(grep -c "finished .*${A}_[0-3] *COMPLETED" "$W/jobs-finished.txt") -eq 4 ]] ||
        fail "speechprep jobs does not show 4 finished, COMPLETED tasks"
    pass "case 1: speechprep jobs shows each shard's Slurm task and state"
    # Scheduler overhead, from the controller's own times (1 s resolution): submission to the
    # first task's start; each later task's start after the end that freed its CPU (the node
    # runs as many 1-CPU tasks as it has CPUs); the last task's end to the merge job's start.
    # The rest of the wall time is the tasks' and the merge's own work.
    ARRAY=$(elapsed "$t0" "$t1")
    times="$(epoch "$(field "${A}_0" SubmitTime)")"
    for k in 0 1 2 3; do times+=" $(epoch "$(field "${A}_$k" StartTime)"):$(epoch "$(field "${A}_$k" EndTime)")"; done
    times+=" $(epoch "$(field "$M" StartTime)"):$(epoch "$(field "$M" EndTime)")"
    # shellcheck disable=SC2086 # $times is a list of numbers
    python3 - "$ARRAY" "${SINGLE:-0}" "$(nproc)" $times <<'EOF' || exit 1
import sys
array, single, cpus = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
submit = int(sys.argv[4])
spans = [tuple(map(int, t.split(":"))) for t in sys.argv[5:]]
tasks, (merge_start, merge_end) = sorted(spans[:-1]), spans[-1]
first_start = tasks[0][0]
ends = sorted(end for _, end in tasks[:cpus])
waits = []
for start, end in tasks[cpus:]:  # each later task took the CPU of the earliest end not yet taken
    freed = ends.pop(0)
    waits.append(max(0, start - freed))
    ends = sorted(ends + [end])
last_end = max(end for _, end in tasks)
overhead = (first_start - submit) + sum(waits) + (merge_start - last_end)
print(f"slurm-e2e: 4-task array + merge: {array:.1f} s wall; tasks {', '.join(f'{e - s} s' for s, e in tasks)}; "
      f"merge job {merge_end - merge_start} s")
print(f"slurm-e2e: scheduler overhead {overhead} s: submit→first start {first_start - submit} s, CPU freed→next task "
      f"start {'+'.join(map(str, waits)) or '0'} s, last task end→merge start {merge_start - last_end} s")
if single:
    print(f"slurm-e2e: array / single = {array / single:.3f}; without the scheduler's overhead "
          f"{(array - overhead) / single:.3f} (goal ≤ 1.10 plus the scheduler's start-up)")
EOF
fi

# --- 3. time limit + requeue (submitted first, then run alongside case 2) -------------------
# Case 3 keeps one CPU busy for minutes while the other would idle, so it runs next to case 2:
# its task is submitted before case 2's (so it gets a CPU at once and reaches its limit), and
# the rest of the case (waiting for TIMEOUT, the requeue, the checks) runs in the background.
# Its output is shown when it ends; a failure there fails the script.
case3_finish() {
    J3=$C3/out/journal.part-0-of-1.jsonl
    wait_state "$A3" TIMEOUT 300
    before=$(journal_records "$J3")
    ((before > 0 && before < n3)) || fail "at the time limit the journal holds $before of $n3 records"
    head -c "$(stat -c %s "$J3")" "$J3" >"$W/journal-at-timeout.jsonl"
    pass "case 3: task ${A3}_0 hit its time limit (TIMEOUT) with $before of $n3 records journaled"
    # Requeued (pending again), with a longer limit so this run can finish.
    scontrol requeue "${A3}_0"
    scontrol update JobId="${A3}_0" TimeLimit=30
    wait_state "$A3" RUNNING 600
    wait_done "$A3"
    all_completed "$A3"
    [[ $(field "${A3}_0" Restarts) -ge 1 ]] || fail "Slurm does not count a restart of ${A3}_0"
    cmp -s "$W/journal-at-timeout.jsonl" <(head -c "$(stat -c %s "$W/journal-at-timeout.jsonl")" "$J3") ||
        fail "the requeued task rewrote the journal's first $before records instead of appending"
    [[ $(journal_records "$J3") -eq $n3 ]] || fail "the journal holds $(journal_records "$J3") records, expected $n3 (each id once)"
    dups=$(tail -n +2 "$J3" | python3 -c 'import json,sys,collections; c=collections.Counter(json.loads(l)["id"] for l in sys.stdin); print(sum(1 for v in c.values() if v > 1))')
    [[ $dups -eq 0 ]] || fail "$dups ids were journaled twice"
    resumed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["event"]["resumed"])' "$C3/out/progress.part-0-of-1.json")
    [[ $resumed -eq $before ]] || fail "the requeued task reports $resumed resumed records, the journal had $before"
    pass "case 3: requeued, it resumed $resumed records from its journal and did the other $((n3 - resumed))"
    speechprep merge "$C3/out" --verify >/dev/null
    if [[ $R3 == "$RELEASE" ]]; then same_as_single "$C3/out" "case 3 (time limit + requeue)"; fi
}
if [[ " $CASES " == *" 3 "* ]]; then
    C3=$W/timeout
    # One task over a whole release with 1 CPU, which must outlast the 1-minute limit (Slurm
    # counts time limits in minutes and checks them about every 30 s): from the single run's
    # rate (2 workers), take enough clips for about 120 s on one worker.
    R3=$RELEASE
    n3=$(python3 -c "import math; print(max($CLIPS, math.ceil($CLIPS / $SINGLE / 2 * 120)))")
    if ((n3 > CLIPS)); then
        Scripts/make-test-release.sh "$S/release-timeout" "$n3"
        R3=$S/release-timeout/en
    fi
    A3=$(submit "$C3" --array=0 --requeue --time=0:01:00 --export="ALL,RELEASE=$R3,OUT=$C3/out")
    case3_finish >"$W/case3.log" 2>&1 &
    CASE3=$!
fi

# --- 2. scancel one task mid-run, resubmit it, merge -----------------------------------------
if [[ " $CASES " == *" 2 "* ]]; then
    C=$W/cancel
    A=$(submit "$C" --array=0-3)
    J=$C/out/journal.part-2-of-4.jsonl
    deadline=$((SECONDS + 600))
    until [[ $(journal_records "$J") -ge 2 ]]; do
        ((SECONDS < deadline)) || fail "task 2 never journaled 2 records"
        sleep 0.2
    done
    scancel "${A}_2"
    wait_done "$A"
    [[ $(states "${A}_2") == *CANCELLED ]] || fail "task ${A}_2 is $(states "${A}_2"), expected CANCELLED"
    before=$(journal_records "$J")
    [[ ! -f $C/out/part-2-of-4.done ]] || fail "the cancelled task wrote its done marker"
    merge_early=$(speechprep merge "$C/out" --out "$C/early" --verify 2>&1) && fail "merge --verify accepted a missing shard"
    [[ $merge_early == *"shards 2 of 4"* && ! -e $C/early/results.json ]] || fail "merge --verify: unexpected refusal: $merge_early"
    pass "case 2: task ${A}_2 cancelled after $before records; merge --verify refuses and writes nothing"
    # Resubmitted alone, the task is an array of one: SPEECHPREP_SHARD_COUNT says it is shard 2 of 4.
    R=$(submit "$C" --array=2 --export="ALL,RELEASE=$RELEASE,OUT=$C/out,SPEECHPREP_SHARD_COUNT=4")
    M=$(merge_after "$C" "afterok:$R")
    wait_done "$M"
    all_completed "$R"
    all_completed "$M"
    grep -q "resumed" "$C/logs/speechprep-${R}-2.log" || fail "no summary in the resubmitted task's log"
    resumed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["event"]["resumed"])' "$C/out/progress.part-2-of-4.json")
    [[ $resumed -eq $before ]] || fail "the resubmitted task resumed $resumed records, the journal had $before"
    same_as_single "$C/out" "case 2 (scancel + resubmit)"
    pass "case 2: the resubmitted task resumed $resumed records from its journal"
fi

if [[ -n ${CASE3:-} ]]; then
    status=0
    wait "$CASE3" || status=$?
    cat "$W/case3.log"
    ((status == 0)) || fail "case 3 failed (above)"
fi
echo "slurm-e2e: all cases passed"
