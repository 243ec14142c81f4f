#!/usr/bin/env bash
# Real-browser test: serves environment/browser/browser-check.ipynb with Debian's classic
# jupyter-notebook on loopback, runs all its cells in headless Debian Chromium (driven by Playwright),
# checks that a table and a rendered Plotly figure show with no error output, and saves a screenshot
# to out/browser/browser-check.png. Before that, the claims report built from a fixture is opened from
# disk and checked (one row per claim, thumbnails loaded; screenshot out/browser/claims-report.png).
# Needs the Maven build (setup.sh); installs what else it needs.
# The kernelspec goes to a private Jupyter data dir, so the user's Jupyter setup is left alone.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
BROWSER_DIR="$ROOT/environment/browser"

install_system_packages
# Node.js for Playwright: any node >= 18 on PATH, else Debian's (18 in Debian 12).
command -v node >/dev/null && command -v npm >/dev/null || apt_install_missing nodejs npm
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node.js 18 or newer is required by playwright-core, found $(node --version)"

# npm ci only when the pinned playwright-core is not installed yet.
pinned=$(node -p "require('$BROWSER_DIR/package-lock.json').packages['node_modules/playwright-core'].version")
installed=$(node -p "try { require('$BROWSER_DIR/node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$installed" != "$pinned" ]; then
  log "npm ci (playwright-core $pinned)"
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in $BROWSER_DIR (is the npm registry reachable?)"
fi

private=$(mktemp -d -t deqnc-browser-XXXXXX)
mkdir "$private/tmp"
pid_file="$private/server.pid"
check_pid=
cleanup() {
  # browser_check.py stops node, Chromium, the server and the kernel itself; this covers it being
  # killed before it could. It and node lead their own process group: SIGTERM makes node's
  # Playwright close Chromium. The kernel runs in a session of its own; its class path lies in
  # $private (a unique temp path), and so do all temp files of the check.
  if [ -n "$check_pid" ] && kill -TERM -- "-$check_pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 -- "-$check_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  if [ -s "$pid_file" ]; then
    kill -KILL -- "-$(cat "$pid_file")" 2>/dev/null || true
    for pid in $(pgrep -f -- "$private/data/kernels/"); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  rm -rf "$private"
}
trap cleanup EXIT
trap 'exit 143' TERM HUP
trap 'exit 130' INT

# The claims report renders in the browser with one row per claim: built by environment/claims_report.py
# from a small fixture of executed notebooks (environment/tests/claims_fixture.py), screenshot saved.
mkdir -p "$ROOT/out/browser"
claims=$("$PY" "$ROOT/environment/tests/claims_fixture.py" "$private/claims") || die "building the fixture claims report failed"
node "$BROWSER_DIR/report-check.mjs" "$private/claims/report/index.html" "$ROOT/out/browser/claims-report.png" "$claims" \
  || die "the claims report did not render as expected (screenshot out/browser/claims-report.png)"
export JUPYTER_DATA_DIR="$private/data" JUPYTER_PATH="$private/data"
install_kernel
export DEQNC_CHROMIUM="${DEQNC_CHROMIUM:-/usr/bin/chromium}"
# In the background so a signal to this script is handled at once (bash would otherwise wait for
# the check to end first).
TMPDIR="$private/tmp" setsid "$PY" "$BROWSER_DIR/browser_check.py" --out "$ROOT/out/browser" \
  --server-pid-file "$pid_file" "$BROWSER_DIR/browser-check.ipynb" &
check_pid=$!
wait "$check_pid"
