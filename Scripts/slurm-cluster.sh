#!/usr/bin/env bash
# A real single-node Slurm cluster on this machine, from Debian's slurm-wlm and munge packages,
# without systemd: munged, slurmctld and slurmd run as plain background daemons with every file
# (config, key, sockets, state, logs, pids) under one scratch folder.
#
#   Scripts/slurm-cluster.sh up      # start (idempotent: a running cluster is left alone)
#   Scripts/slurm-cluster.sh down    # stop exactly the daemons `up` started, by pid
#   Scripts/slurm-cluster.sh status
#   eval "$(Scripts/slurm-cluster.sh env)"   # SLURM_CONF for sbatch/squeue/sacct/scontrol
#
# Folder: $SLURM_SCRATCH (default .slurm/ at the project root, git-ignored).
# Node: this host's short name, addressed as 127.0.0.1 (so an unresolvable hostname is fine),
# with the machine's CPU count and memory, one partition `debug`, select/cons_tres by core.
# Accounting: no slurmdbd/MySQL; finished jobs go to jobcomp/filetxt, which `sacct -c` reads.
# The daemons run as root (SlurmUser=root): `up` needs root or sudo, as the packages do.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
S=${SLURM_SCRATCH:-$ROOT/.slurm}
mkdir -p "$S"
S=$(cd "$S" && pwd)
CONF=$S/etc/slurm.conf
PORT_CTLD=${SLURM_CTLD_PORT:-6817}
PORT_D=${SLURM_D_PORT:-6818}

sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)

alive() { # alive <name>: the daemon whose pid file `up` wrote is running and is still that program
    local pidfile=$S/run/$1.pid pid
    [[ -s $pidfile ]] || return 1
    pid=$(cat "$pidfile")
    [[ -r /proc/$pid/comm ]] && [[ $(cat "/proc/$pid/comm") == "$1" ]]
}

write_config() {
    local node cpus mem
    node=$(hostname -s)
    cpus=$(nproc --all)
    mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
    mkdir -p "$S/etc" "$S/run" "$S/log" "$S/state/ctld" "$S/state/d" "$S/munge"
    cat >"$CONF.tmp" <<EOF
# Written by Scripts/slurm-cluster.sh — a one-node cluster for tests.
ClusterName=speechprep
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$PORT_CTLD
SlurmdPort=$PORT_D
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire also delays a requeued job's restart (default 120 s); 10 s is plenty on one node.
AuthInfo=socket=$S/munge/munge.socket,cred_expire=10
MailProg=/bin/true
StateSaveLocation=$S/state/ctld
SlurmdSpoolDir=$S/state/d
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (containers often have none writable): processes are tracked by process group.
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# Finished jobs are written here; \`sacct -c\` reads them (no slurmdbd needed).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/log/jobcomp.txt
# Tests want quick reactions: short grace between SIGTERM and SIGKILL, jobs listed in
# squeue for 5 minutes after they end, a requeued job may start again at once.
KillWait=5
MinJobAge=300
ReturnToService=2
# Time limits are minutes in Slurm and are checked every 30 s or so.
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
    mv "$CONF.tmp" "$CONF"
}

wait_for() { # wait_for <seconds> <command…>
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

node_idle() { sinfo -h -o '%t' | grep -qx 'idle'; }

up() {
    for tool in munged slurmctld slurmd sbatch; do
        command -v "$tool" >/dev/null || { echo "slurm-cluster: $tool is missing; run Scripts/bootstrap.sh" >&2; exit 1; }
    done
    export SLURM_CONF=$CONF
    if alive munged && alive slurmctld && alive slurmd; then
        echo "slurm-cluster: already up ($S)"
        return
    fi
    down quiet
    write_config
    # A key of our own: the cluster does not depend on /etc/munge.
    [[ -s $S/munge/munge.key ]] || { dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 status=none; }
    chmod 700 "$S/munge"
    chmod 400 "$S/munge/munge.key"
    # munged refuses to run as root unless forced; this private instance only serves this cluster.
    "${sudo[@]}" munged --force --key-file="$S/munge/munge.key" --socket="$S/munge/munge.socket" \
        --pid-file="$S/run/munged.pid" --log-file="$S/log/munged.log" --seed-file="$S/munge/munged.seed"
    wait_for 10 test -S "$S/munge/munge.socket" || { echo "slurm-cluster: munged did not start; see $S/log/munged.log" >&2; exit 1; }
    # -i: ignore state saved by an earlier cluster's controller (jobs, node states); -c clears jobs.
    "${sudo[@]}" slurmctld -f "$CONF" -c -i
    wait_for 15 scontrol ping || { echo "slurm-cluster: slurmctld did not answer; see $S/log/slurmctld.log" >&2; tail -5 "$S/log/slurmctld.log" >&2; exit 1; }
    "${sudo[@]}" slurmd -f "$CONF" -N "$(hostname -s)"
    wait_for 20 node_idle || { echo "slurm-cluster: the node did not become idle; see $S/log/slurmd.log" >&2; tail -5 "$S/log/slurmd.log" >&2; sinfo >&2 || true; exit 1; }
    echo "slurm-cluster: up — node $(hostname -s), $(nproc --all) CPUs, partition debug; export SLURM_CONF=$CONF"
}

down() {
    local quiet=${1:-}
    # The reverse order of up; each by the pid its own pid file holds, checked to be that daemon.
    for name in slurmd slurmctld munged; do
        alive "$name" || { rm -f "$S/run/$name.pid"; continue; }
        local pid
        pid=$(cat "$S/run/$name.pid")
        "${sudo[@]}" kill -TERM "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 10))
        while [[ -d /proc/$pid ]] && ((SECONDS < deadline)); do sleep 0.1; done
        if [[ -d /proc/$pid ]]; then "${sudo[@]}" kill -KILL "$pid" 2>/dev/null || true; fi
        rm -f "$S/run/$name.pid"
        [[ -n $quiet ]] || echo "slurm-cluster: stopped $name (pid $pid)"
    done
}

status() {
    for name in munged slurmctld slurmd; do
        if alive "$name"; then echo "$name: running (pid $(cat "$S/run/$name.pid"))"; else echo "$name: stopped"; fi
    done
    if alive slurmctld; then SLURM_CONF=$CONF sinfo; fi
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
env) echo "export SLURM_CONF=$CONF" ;;
*) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
