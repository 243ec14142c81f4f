#!/usr/bin/env bash
# The whole test suite: Maven (unit and in-process kernel tests; the slurm backend's against a one-node
# Slurm), the Jupyter kernel protocol conformance suite against the installed java-deq kernel, headless
# execution of the quick notebooks with their outputs checked, the regeneration tool's tests, then the
# real-browser test (environment/browser-test.sh). Every phase runs and is timed; a summary ends the log.
source "$(dirname "$0")/common.sh"
with_clean_output "$0" "$@"
cd "$ROOT"
t0=$SECONDS
summary=()
failed=0
# phase "what it does" COMMAND...: runs it in a subshell (a `die` inside ends the phase, not the suite), timed,
# and records the outcome for the summary.
phase() {
  local what="$1" t=$SECONDS
  shift
  log "$what ..."
  if ( "$@" ); then summary+=("ok      $(printf '%5d' $((SECONDS - t))) s  $what")
  else summary+=("FAILED  $(printf '%5d' $((SECONDS - t))) s  $what"); failed=1
  fi
  log "$what: done in $((SECONDS - t)) s"
}

# The slurm sweep backend's tests (SlurmSweepTest) run against a real one-node Slurm during mvn verify;
# a cluster that cannot start fails the suite here, with the reason, rather than skipping those tests.
maven_verify() {
  local slurm_env
  slurm_env=$("$ROOT/environment/slurm.sh" start) || { echo "the test Slurm cluster did not start (reason above)"; return 1; }
  trap '"$ROOT/environment/slurm.sh" stop' EXIT # a failed start has stopped what it had started itself
  eval "$slurm_env" # export SLURM_CONF=...
  local status=0
  DEQNC_SLURM_TESTS=1 mvn_batch verify || status=$?
  "$ROOT/environment/slurm.sh" stop
  trap - EXIT
  unset SLURM_CONF
  return $status
}

# Totals of the Maven test reports (surefire and failsafe XML), one line.
maven_totals() {
  "$PY" - <<'PY'
import glob, xml.etree.ElementTree as ET
t = dict(tests=0, failures=0, errors=0, skipped=0)
for f in glob.glob("*/target/*-reports/TEST-*.xml"):
    r = ET.parse(f).getroot()
    for k in t:
        t[k] += int(r.get(k, 0))
print(f"maven: {t['tests']} tests, {t['failures']} failures, {t['errors']} errors, {t['skipped']} skipped")
PY
}

browser_test() {
  if "$ROOT/environment/browser-test.sh"; then
    echo "browser: passed (table and Plotly figure rendered; screenshot out/browser/browser-check.png)"
  else
    echo "browser: FAILED (see above; screenshot out/browser/browser-check.failed.png)"
    return 1
  fi
}

python_log=$(mktemp /tmp/deqnc-python-tests.XXXXXX)
python_tests() {
  "$PY" environment/tests/run.py 2>&1 | tee "$python_log"
  return "${PIPESTATUS[0]}"
}

phase "Debian packages and MNIST digits" install_system_packages
phase "Maven verify: unit, kernel and Slurm-backend tests (mvn verify)" maven_verify
phase "installing the java-deq kernel" install_kernel
export DEQNC_PROFILE=quick
phase "kernel protocol, notebook and regeneration tests (Python unittest, quick profile)" python_tests
phase "real-browser test: classic Notebook in headless Chromium (environment/browser-test.sh)" browser_test

echo
echo "== test.sh summary ($((SECONDS - t0)) s) =="
printf '%s\n' "${summary[@]}"
maven_totals
grep '^python: ' "$python_log" | tail -1 || true
rm -f "$python_log"
echo "logs and artefacts: */target/surefire-reports/, out/notebooks/, out/browser/"
[ "$failed" -eq 0 ] && echo "all phases passed" || { echo "SOME PHASES FAILED (see above)"; exit 1; }
