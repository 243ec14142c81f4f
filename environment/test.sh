#!/usr/bin/env bash
# The whole test suite: Maven (unit and in-process kernel tests; the slurm backend's against a one-node
# Slurm), the Jupyter kernel protocol conformance suite against the installed java-deq kernel, and headless execution of the quick
# notebooks with their outputs checked, then the real-browser test (environment/browser-test.sh).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_system_packages
# The slurm sweep backend's tests (SlurmSweepTest) run against a real one-node Slurm during mvn verify;
# a cluster that cannot start fails the suite here, with the reason, rather than skipping those tests.
log "starting a one-node Slurm for the slurm backend's tests (environment/slurm.sh)"
slurm_env=$("$ROOT/environment/slurm.sh" start) || die "the test Slurm cluster did not start (reason above)"
trap '"$ROOT/environment/slurm.sh" stop' EXIT # a failed start has stopped what it had started itself
eval "$slurm_env" # export SLURM_CONF=...
export DEQNC_SLURM_TESTS=1
log "mvn verify"
mvn_batch verify
"$ROOT/environment/slurm.sh" stop
trap - EXIT
unset DEQNC_SLURM_TESTS SLURM_CONF
install_kernel
export DEQNC_PROFILE=quick
log "kernel protocol and notebook tests (Python unittest)"
"$PY" environment/tests/run.py
log "real-browser test: classic Notebook in headless Chromium (environment/browser-test.sh)"
if "$ROOT/environment/browser-test.sh"; then
  echo "browser: passed (table and Plotly figure rendered; screenshot out/browser/browser-check.png)"
else
  echo "browser: FAILED (see above; screenshot out/browser/browser-check.failed.png)"
  exit 1
fi
