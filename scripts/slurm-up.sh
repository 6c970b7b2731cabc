#!/usr/bin/env bash
# Sets up a ONE-HOST Slurm cluster for `npm run test:slurm` and for trying examples/slurm/:
# as root on Debian it installs slurm-wlm and munge when missing, makes a munge key, writes a
# private slurm.conf (this host, 2 CPUs, one partition) under $BENCH_REPORT_SLURM_DIR, and
# starts munged, slurmctld and slurmd. Daemons it starts are recorded by pid file there, so
# scripts/slurm-down.sh stops exactly those. Nothing under /etc/slurm is touched: clients find
# the cluster through SLURM_CONF, which this script prints as `export SLURM_CONF=…`.
# Containers have no usable cgroups, so processes are tracked with linuxproc and no task plugin.
set -euo pipefail
DIR="${BENCH_REPORT_SLURM_DIR:-/var/tmp/bench-report-slurm}"
CPUS="${BENCH_REPORT_SLURM_CPUS:-2}"

if [ "$(id -u)" != 0 ]; then
  echo "slurm-up.sh: run as root: it installs packages and starts the Slurm and munge daemons." >&2
  exit 2
fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

mkdir -p "$DIR"/{state,spool,log}
HOST="$(hostname -s)"
# Already up (started by this script and still running): use it as it is.
if [ -s "$DIR/slurmctld.pid" ] && kill -0 "$(cat "$DIR/slurmctld.pid")" 2>/dev/null \
  && [ -s "$DIR/slurmd.pid" ] && kill -0 "$(cat "$DIR/slurmd.pid")" 2>/dev/null; then
  echo "export SLURM_CONF=$DIR/slurm.conf"
  exit 0
fi

# munge: one key shared by every daemon and client on the host (the package usually makes it).
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile=/etc/munge/munge.key
fi
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$DIR/munged.pid"
fi

cat >"$DIR/slurm.conf" <<CONF
# Written by scripts/slurm-up.sh: one host, $CPUS CPUs, everything as root, no accounting.
ClusterName=bench-report
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=30
MinJobAge=300
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$DIR/slurm.conf"

fail() {
  echo "slurm-up.sh: $1; see $DIR/log/." >&2
  tail -n 5 "$DIR"/log/*.log >&2 || true
  exit 1
}
/usr/sbin/slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
/usr/sbin/slurmd -f "$SLURM_CONF" || fail "slurmd did not start"

# Ready when the node accepts work (about a few seconds here).
for _ in $(seq 1 120); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
sinfo -N -l >&2 || true
fail "the node did not become idle in 60 s"
