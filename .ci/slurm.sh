#!/usr/bin/env bash
# Single-node Slurm (Debian 12 packages, 22.05) for CI, no systemd, no cgroups.
# Usage: slurm.sh install|up|smoke|down|all      (run as root)
#        slurm.sh wait JOBID...   wait (up to SLURM_CI_WAIT s) until the jobs have left the
#                                 queue; fails unless every one of them (and every task of
#                                 an array) ended COMPLETED.
# The verified recipe of shared/slurm.md, with `wait` added for .ci/run.
set -euo pipefail

NODE=${SLURM_CI_NODE:-localhost}    # "localhost" needs no DNS; slurmd is started with -N "$NODE"
SPOOL=/var/spool/slurm-ci           # wiped on every `up` -> fresh cluster each time
LOGS=/var/log/slurm
WAIT=${SLURM_CI_WAIT:-60}           # seconds to wait for node idle / jobs done

log() { echo "[slurm-ci $(date +%T)] $*" >&2; }

# Running (not zombie) process? PID 1 in a sandbox may be slow to reap orphans, and a
# zombie still has /proc/PID/comm, so look at the state field of /proc/PID/stat.
alive() { local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$st" ] && [ "$st" != Z ]; }

# PID from a pidfile, only if that process really is the expected program (no name-based kills)
pid_of() {  # $1=pidfile $2=expected /proc/PID/comm
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && alive "$pid" && echo "$pid"
}

do_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # --no-install-recommends: 8 packages instead of ~42 (skips hdf5/rrd/ipmi/rocm plugins)
  apt-get install -y -q --no-install-recommends slurmctld slurmd slurm-client munge
}

write_conf() {
  local cpus mem
  cpus=$(nproc)
  # slurmd -C reports MemTotal in MiB; configure a bit less so the node never drains
  # with "Low RealMemory" if the kernel reports slightly less later.
  mem=$(awk '/MemTotal/ {printf "%d", $2/1024*0.95}' /proc/meminfo)
  mkdir -p /etc/slurm
  cat > /etc/slurm/slurm.conf <<EOF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=${SPOOL}/ctld
SlurmdSpoolDir=${SPOOL}/d
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=${LOGS}/slurmctld.log
SlurmdLogFile=${LOGS}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
${SLURM_CI_EXTRA_CONF:-}
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

do_down() {
  local pids="" p t pid left
  # 1. cancel jobs still known to slurmctld, else their slurmstepd outlive slurmd
  if pid_of /run/slurmctld.pid slurmctld >/dev/null; then
    timeout 10 squeue -h -o %F 2>/dev/null | sort -u | xargs -r timeout 10 scancel 2>/dev/null || true
    for t in $(seq 40); do [ -z "$(timeout 10 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.25; done
  fi
  # each running step has a socket <node>_<job>.<step> in SlurmdSpoolDir until its slurmstepd exits
  for t in $(seq 40); do compgen -G "$SPOOL/d/${NODE}_*" >/dev/null || break; sleep 0.25; done
  # 2. TERM all three daemons at once (each takes 1.5-2 s to exit), then wait for all
  for p in "/run/slurmd.pid slurmd" "/run/slurmctld.pid slurmctld" "/run/munge/munged.pid munged"; do
    set -- $p
    if pid=$(pid_of "$1" "$2"); then kill -TERM "$pid"; pids="$pids $pid"; fi
    rm -f "$1"
  done
  for t in $(seq 100); do
    left=""; for p in $pids; do alive "$p" && left="$left $p"; done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  log "still running after 10 s, sending KILL:$left"; kill -KILL $left 2>/dev/null || true
}

do_up() {
  do_down                                  # idempotent: stop whatever we started earlier
  # munge: the package postinst creates the key; make one if it is missing.
  # munged (as user munge) refuses a key not owned by munge or readable by group/other.
  install -d -o munge -g munge -m 0700 /etc/munge /var/log/munge
  install -d -o munge -g munge -m 0711 /var/lib/munge
  [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge     # systemd's RuntimeDirectory= normally does this
  runuser -u munge -- /usr/sbin/munged                # forks, writes /run/munge/munged.pid
  munge -n | unmunge >/dev/null                       # fails fast if munge is broken

  write_conf
  rm -rf "$SPOOL" "$LOGS"/slurmctld.log "$LOGS"/slurmd.log
  install -d -o slurm -g slurm -m 0755 "$SPOOL" "$SPOOL/ctld" "$LOGS"
  install -d -o root -g root -m 0755 "$SPOOL/d"
  /usr/sbin/slurmctld          # daemonizes, writes /run/slurmctld.pid
  /usr/sbin/slurmd -N "$NODE"  # daemonizes, writes /run/slurmd.pid

  # Wall-clock deadline: a client call blocks ~9 s when slurmctld is not listening,
  # so also stop early when a daemon has died (its pidfile no longer names a live process).
  local state="" start=$SECONDS
  while [ $((SECONDS - start)) -lt "$WAIT" ]; do
    if [ $((SECONDS - start)) -ge 3 ]; then
      pid_of /run/slurmctld.pid slurmctld >/dev/null || { log "slurmctld is not running"; break; }
      pid_of /run/slurmd.pid slurmd >/dev/null || { log "slurmd is not running"; break; }
    fi
    state=$(timeout 10 sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
    case "$state" in
      idle) log "node $NODE idle after $((SECONDS - start)) s"; return 0 ;;
      inval*) break ;;                         # bad slurm.conf (e.g. RealMemory too high): RESUME won't help
      down*|drain*|drng*) timeout 10 scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  log "node $NODE not idle (state='$state')"
  timeout 10 scontrol show node "$NODE" >&2 || true
  tail -n 20 "$LOGS/slurmctld.log" "$LOGS/slurmd.log" >&2 || true
  return 1
}

do_smoke() {
  local dir=/tmp/slurmtest arr dep i
  rm -rf "$dir"; mkdir -p "$dir"
  arr=$(sbatch --parsable --array=0-3 -c 1 -o "$dir/slurm-%A_%a.out" --chdir "$dir" \
        --wrap 'echo task $SLURM_ARRAY_TASK_ID > /tmp/slurmtest/out.$SLURM_ARRAY_TASK_ID; env | grep -E "^SLURM_(ARRAY|CPUS|JOB_ID|NTASKS)" | sort; echo nproc=$(nproc)')
  dep=$(sbatch --parsable --dependency=afterok:"$arr" -o "$dir/dep.out" --chdir "$dir" \
        --wrap 'cat /tmp/slurmtest/out.* > /tmp/slurmtest/merged; echo CPT=${SLURM_CPUS_PER_TASK-unset}')
  log "array job $arr, dependent job $dep"
  do_wait "$arr" "$dep" || return 1
  for i in 0 1 2 3; do grep -qx "task $i" "$dir/out.$i"; done
  [ "$(wc -l < "$dir/merged")" -eq 4 ]
  log "smoke OK"
}

do_wait() {
  [ $# -gt 0 ] || { log "wait: name the job ids"; return 2; }
  local ids start=$SECONDS left j states
  ids=$(IFS=,; echo "$*")
  while :; do
    left=$(timeout 10 squeue -h -j "$ids" -o %i) || { log "squeue failed"; return 1; }
    [ -z "$left" ] && break
    [ $((SECONDS - start)) -ge "$WAIT" ] && { log "jobs $ids still queued after ${WAIT}s"; squeue >&2; return 1; }
    sleep 0.5
  done
  log "jobs $ids left the queue after $((SECONDS - start)) s"
  for j in "$@"; do
    states=$(timeout 10 scontrol show job "$j" | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2 | sort -u | tr '\n' ' ')
    [ "$states" = "COMPLETED " ] || { log "job $j ended: $states"; timeout 10 scontrol show job "$j" >&2; return 1; }
  done
  log "jobs $ids all COMPLETED"
}

trap 'exit 143' TERM INT     # make EXIT traps run when CI times the script out
case "${1:-all}" in
  install) do_install ;;
  up)      trap do_down EXIT; do_up; trap - EXIT ;;   # a failed `up` leaves nothing running
  smoke)   do_smoke ;;
  down)    do_down ;;
  all)     trap do_down EXIT; do_up; do_smoke ;;
  wait)    shift; do_wait "$@" ;;
  *) echo "usage: $0 install|up|smoke|down|all|wait JOBID..." >&2; exit 2 ;;
esac
