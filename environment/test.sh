#!/usr/bin/env bash
# The whole test suite: Maven (unit and in-process kernel tests), the Jupyter kernel protocol
# conformance suite against the installed java-deq kernel, and headless execution of the quick
# notebooks with their outputs checked.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_system_packages
log "mvn verify"
mvn_batch verify
install_kernel
export DEQNC_PROFILE=quick
log "kernel protocol and notebook tests (Python unittest)"
"$PY" environment/tests/run.py
