#!/usr/bin/env bash
# Regenerates the notebooks' results: sets everything up (environment/setup.sh), then executes the selected
# notebooks headlessly with the java-deq kernel and ends with a one-screen summary.
#
#   environment/reproduce.sh [NOTEBOOK|GLOB ...] [--profile quick|full|paper] [-p NAME VALUE]... [-f params.yaml]
#
# NOTEBOOK|GLOB   names, stems or globs over notebooks/*.ipynb ("00-quickstart", "2*"); default: all of them.
# --profile       quick (default; minutes), full or paper (the papers' scale); reaches each notebook as
#                 DEQNC_PROFILE. A notebook without that profile fails with its own one-line error.
# -p NAME VALUE   overrides a parameter of the cell tagged `parameters` (repeatable), typed as declared there:
#                 -p seed 3, -p gamma 0.9, -p label 'a "b"', -p ratios 1,10,100. Injected as a cell tagged
#                 `injected-parameters` right after it (papermill's semantics).
# -f FILE         YAML: parameter names to values; a key NAME.ipynb holds that notebook's own. -p wins over -f.
#
# Executed notebooks and their HTML go to out/notebooks/, figures to out/figures/, tables to out/tables/, and
# out/provenance/<notebook>.json records parameters, profile, seeds, commit, versions, machine, timing and
# status. A failing notebook is named with its cell and error; the others still run; the exit status is then 1
# (2 for a wrong notebook name, profile or parameter, found before anything runs). docs/regeneration.md has examples.
source "$(dirname "$0")/common.sh"
with_clean_output "$0" "$@"
cd "$ROOT"
t0=$SECONDS
# A wrong notebook name or parameter costs seconds, not the setup's minutes, once the Jupyter packages are there.
if "$PY" -c "import nbformat, nbclient" 2>/dev/null; then
  "$PY" environment/run_notebooks.py --check "$@" || exit $?
fi
"$ROOT/environment/setup.sh"
export DEQNC_PROFILE="${DEQNC_PROFILE:-quick}"
mkdir -p out/notebooks out/figures out/tables out/provenance
log "running notebooks (environment/run_notebooks.py)"
status=0
"$PY" environment/run_notebooks.py --out out/notebooks --html "$@" || status=$?
"$PY" environment/claims_report.py || status=1 # out/report/index.html (docs/claims-report.md)
log "reproduce.sh: finished in $((SECONDS - t0)) s (setup included), exit status $status"
exit "$status"
