#!/usr/bin/env bash
# The whole test suite: Maven (unit and in-process kernel tests), the Jupyter kernel protocol
# conformance suite against the installed java-deq kernel, and headless execution of the quick
# notebooks with their outputs checked, then the real-browser test (environment/browser-test.sh).
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_system_packages
log "mvn verify"
mvn_batch verify
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
