#!/usr/bin/env bash
# The workflow on a real SLURM: start a single-node cluster on this machine, run
# tests/test_cluster.py against it (a SLURM run and a local run of the small generated corpus must
# give identical results), print the sbatch submissions from its log, stop the daemons.
#
#   sudo tests/cluster/run_cluster_test.sh        (called by .ci/run; needs root and .venv)
#
# The daemons are stopped by process id on every exit, failure and Ctrl-C included.
set -euo pipefail
cd "$(dirname "$0")/../.."

STATE=$(mktemp -d "${TMPDIR:-/tmp}/topics-slurm.XXXXXX")
status=1
cleanup() {
    tests/cluster/stop_slurm.sh "$STATE"
    if [ "$status" = 0 ]; then
        rm -rf "$STATE"
    else
        echo "== SLURM state, daemon logs and the workflow log kept in $STATE" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$(date +%s)
tests/cluster/start_slurm.sh "$STATE"
export SLURM_CONF="$STATE/slurm.conf"
export TOPICS_CLUSTER_TEST=1 TOPICS_CLUSTER_LOG="$STATE/workflow.log"
export PATH="$PWD/.venv/bin:$PATH"

status=0
.venv/bin/python -m pytest -ra -p no:cacheprovider tests/test_cluster.py || status=$?

if [ -f "$TOPICS_CLUSTER_LOG" ]; then
    echo "== SLURM run of the workflow (from its log): jobs submitted with sbatch and finished"
    grep -E "has been submitted with SLURM jobid|^Finished jobid|steps \(100%\) done" "$TOPICS_CLUSTER_LOG" \
        | head -n 80 || true
fi
if [ "$status" != 0 ]; then
    tail -n 30 "$STATE"/log/slurmctld.log "$STATE"/log/slurmd.log >&2 || true
fi
echo "== cluster test: $(( $(date +%s) - started )) s (pytest exit $status)"
exit "$status"
