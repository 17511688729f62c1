#!/usr/bin/env bash
# Compares ProcessProbe with its peers, all measured in this one run on this machine:
#   - a full process-table snapshot with the `ps aux` fields (ProcFS.snapshot, in-process,
#     release build) against running `ps aux`, and against a psutil loop that collects
#     the same fields (in the venv .venv-probe);
#   - SystemMemory (one /proc/meminfo read + the free rules) against the 50 µs budget and
#     against running `free -b`.
# Rounds of all tools interleave, so load from other work hits them alike. Prints medians of
# wall and CPU time and the ratios. Usage: Scripts/compare-probe.sh [rounds]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-200}
WORK=${TMPDIR:-/tmp}/speechprep-probe-harness
VENV="$ROOT/.venv-probe"

# --- peer environment --------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet psutil
fi

# --- a tiny release harness over the ProcessProbe product (no target added to the package) -
IDENTITY=$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')
mkdir -p "$WORK/Sources/ProbeHarness"
cat > "$WORK/Package.swift" <<EOF
// swift-tools-version: 6.1
import PackageDescription
let package = Package(
    name: "ProbeHarness",
    dependencies: [.package(path: "$ROOT")],
    targets: [.executableTarget(
        name: "ProbeHarness",
        dependencies: [.product(name: "ProcessProbe", package: "$IDENTITY")],
        swiftSettings: [.swiftLanguageMode(.v6)])]
)
EOF
cat > "$WORK/Sources/ProbeHarness/main.swift" <<'EOF'
// Serves timing requests from the driver, so that rounds of every tool interleave and all
// see the same machine load. "snapshot" -> one ProcFS.snapshot(); "memory" -> 100
// systemMemory() reads (per-call figure). Replies "<wall µs> <cpu µs> <process count>".
import Glibc
import ProcessProbe

func cpuMicroseconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) * 1e6 + Double(now.tv_nsec) / 1e3
}

let probe = ProcFS()
let clock = ContinuousClock()
while let request = readLine() {
    var count = 0
    let repeats = request == "memory" ? 100 : 1
    let cpuStart = cpuMicroseconds()
    let elapsed = try clock.measure {
        if request == "memory" {
            for _ in 0..<repeats { _ = try probe.systemMemory() }
        } else {
            count = try probe.snapshot().count
        }
    }
    let cpu = (cpuMicroseconds() - cpuStart) / Double(repeats)
    let wall = (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12)
    print(wall / Double(repeats), cpu, count)
    fflush(nil)
}
EOF
swift build -c release --package-path "$WORK" 2>&1 | grep -E "error|warning: unre" || true
HARNESS="$WORK/.build/release/ProbeHarness"

# --- the driver: interleaved rounds of every tool ---------------------------------------------
"$VENV/bin/python" - "$ROUNDS" "$HARNESS" <<'EOF'
import os, resource, statistics, subprocess, sys, time
import psutil

rounds, harness = int(sys.argv[1]), sys.argv[2]
server = subprocess.Popen([harness], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

def ask(request):
    server.stdin.write(request + "\n")
    server.stdin.flush()
    wall, cpu, count = server.stdout.readline().split()
    return float(wall), float(cpu), int(count)

def spawn(argv):
    """Runs a tool (fork + exec + its work + wait), output discarded: wall and CPU µs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - start) * 1e6
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e6
    return wall, cpu, 0

# The ps aux fields from psutil: user, pid, ppid, %cpu (cpu time / time alive), %mem, vsz,
# rss, tty, state, nice, threads, session and process group (for the STAT flags), start,
# cpu time, name and command line.
ATTRS = ['pid', 'ppid', 'username', 'status', 'nice', 'num_threads', 'terminal', 'create_time',
         'cpu_times', 'memory_info', 'memory_percent', 'name', 'cmdline']
def psutil_table():
    start, cpu0 = time.perf_counter(), time.process_time()
    rows, now = [], time.time()
    for p in psutil.process_iter(ATTRS):
        info = p.info
        try:
            info['session'] = os.getsid(info['pid'])
            info['pgrp'] = os.getpgid(info['pid'])
        except OSError:
            continue
        times, alive = info['cpu_times'], now - (info['create_time'] or now)
        info['pcpu'] = (times.user + times.system) * 100 / alive if times and alive > 0 else 0.0
        rows.append(info)
    return (time.perf_counter() - start) * 1e6, (time.process_time() - cpu0) * 1e6, len(rows)

names = ("snapshot", "ps", "psutil", "memory", "free")
samples = {k: ([], []) for k in names}
warmup = max(3, rounds // 10)
for round_ in range(warmup + rounds):
    results = dict(snapshot=ask("snapshot"), ps=spawn(["ps", "aux"]), psutil=psutil_table(),
                   memory=ask("memory"), free=spawn(["free", "-b"]))
    if round_ < warmup:
        continue
    for key, (wall, cpu, _) in results.items():
        samples[key][0].append(wall)
        samples[key][1].append(cpu)
    count, psutil_count = results["snapshot"][2], results["psutil"][2]
server.stdin.close()
server.wait()

med = {k: (statistics.median(w), statistics.median(c)) for k, (w, c) in samples.items()}
s, p, u, m, f = (med[k] for k in names)
print(f"{rounds} interleaved rounds; {count} processes in the table (psutil saw {psutil_count}); "
      f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; medians")
print(f"{'':36}{'wall µs':>10}{'cpu µs':>10}{'wall ratio':>12}{'cpu ratio':>11}")
def row(name, v, base=None):
    ratio = f"{v[0] / base[0]:11.1f}x{v[1] / base[1]:10.1f}x" if base else ""
    print(f"{name:36}{v[0]:10.1f}{v[1]:10.1f}{ratio}")
row("ProcFS.snapshot() in-process", s)
row("ps aux (spawned)", p, s)
row("psutil loop, same fields", u, s)
row("ProcFS.systemMemory() per call", m)
row("free -b (spawned)", f, m)
ok = p[0] / s[0] >= 5 and u[0] / s[0] >= 2 and m[0] < 50
print("goals (wall): snapshot >= 5x ps aux and >= 2x psutil; systemMemory < 50 µs:",
      "MET" if ok else "MISSED")
sys.exit(0 if ok else 1)
EOF
