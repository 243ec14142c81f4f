#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the tests of the Slurm sweep backend (docs/cluster.md).
#   environment/slurm.sh start   install slurm-wlm and munge if missing, start munged, slurmctld and slurmd,
#                                wait until the node is idle; prints 'export SLURM_CONF=...' for the clients
#   environment/slurm.sh stop    stop the daemons it started, by the PIDs in its pid files (never by name)
# Everything it writes lives in $DEQNC_SLURM_DIR (default /tmp/deqnc-slurm), including slurm.conf: the
# clients find it through SLURM_CONF, so /etc/slurm is left alone. Only a missing munge key is created in
# /etc/munge (munged's default key file). A failed start stops whatever it had started (a trap).
# Needs root: slurmd runs the jobs as their submitting user and the daemons run as root here.
source "$(dirname "$0")/common.sh"

SLURM_DIR="${DEQNC_SLURM_DIR:-/tmp/deqnc-slurm}"
CONF="$SLURM_DIR/slurm.conf"
MUNGE_PID="$SLURM_DIR/munged.pid"

stop_pid_file() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  stop_pid_file "$SLURM_DIR/slurmd.pid"
  stop_pid_file "$SLURM_DIR/slurmctld.pid"
  stop_pid_file "$MUNGE_PID"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    return 0 # a munged is already serving (not ours: we leave it running and do not stop it)
  fi
  if [ ! -f /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  rm -f /run/munge/munged.pid
  su -s /bin/sh munge -c /usr/sbin/munged || die "munged did not start (see /var/log/munge/munged.log)"
  # munged writes its pid file (as user munge) in /run/munge; keep a copy with the other pid files
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$MUNGE_PID" 2>/dev/null || die "munged wrote no pid file"
  munge -n | unmunge >/dev/null || die "munge does not work after starting munged (see /var/log/munge/munged.log)"
}

write_conf() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo) # MiB, below the machine's
  mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool"
  cat >"$CONF" <<CONF
ClusterName=deqnc-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/slurmctld.log
SlurmdLogFile=$SLURM_DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=30
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  [ "$(id -u)" -eq 0 ] || die "slurm.sh start needs root (the daemons run as root on this test node)"
  apt_install_missing slurm-wlm munge
  if [ -f "$SLURM_DIR/slurmctld.pid" ] && kill -0 "$(cat "$SLURM_DIR/slurmctld.pid")" 2>/dev/null; then
    die "a test cluster is already running from $SLURM_DIR (environment/slurm.sh stop first)"
  fi
  trap 'echo "slurm.sh: start failed, stopping what was started" >&2; stop' ERR EXIT
  write_conf
  export SLURM_CONF="$CONF"
  start_munge
  slurmctld -f "$CONF" || die "slurmctld did not start (see $SLURM_DIR/slurmctld.log)"
  slurmd -f "$CONF" || die "slurmd did not start (see $SLURM_DIR/slurmd.log)"
  local state=""
  for _ in $(seq 60); do
    state=$(sinfo -h -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
  done
  [ "$state" = idle ] || die "the node is not idle after 30 s (sinfo: '${state:-no answer}'; see $SLURM_DIR/*.log)"
  trap - ERR EXIT
  log "slurm: node $(hostname -s) idle with $(nproc) CPUs ($SLURM_DIR)"
  echo "export SLURM_CONF=$CONF"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: environment/slurm.sh start|stop" ;;
esac
