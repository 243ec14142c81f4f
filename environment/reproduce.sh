#!/usr/bin/env bash
# The main job: set everything up, then execute every notebook headlessly with the java-deq kernel.
# Executed notebooks (and their HTML) go to out/notebooks/, figures to out/figures/, tables to
# out/tables/. DEQNC_PROFILE=quick (default) or full selects the notebooks' parameter profile.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
"$ROOT/environment/setup.sh"
export DEQNC_PROFILE="${DEQNC_PROFILE:-quick}"
mkdir -p out/notebooks out/figures out/tables
"$PY" environment/run_notebooks.py --out out/notebooks --html notebooks/*.ipynb
log "done: executed notebooks in out/notebooks/"
"$PY" environment/claims_report.py # the claims report: out/report/index.html (docs/claims-report.md)
