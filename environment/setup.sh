#!/usr/bin/env bash
# Installs everything the project needs and builds it: Debian packages, the Maven build (tests
# skipped; environment/test.sh runs them), and the java-deq kernelspec. Safe to run again.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
install_system_packages
log "building with Maven (tests skipped)"
mvn_batch -q package -DskipTests || die "Maven build failed"
install_kernel
