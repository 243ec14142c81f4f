#!/usr/bin/env bash
# Real-browser test: serves environment/browser/browser-check.ipynb with Debian's classic
# jupyter-notebook on loopback, runs all its cells in headless Debian Chromium (driven by Playwright),
# checks that a table and a rendered Plotly figure show with no error output, and saves a screenshot
# to out/browser/browser-check.png. Needs the Maven build (setup.sh); installs what else it needs.
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
pid_file="$private/server.pid"
cleanup() {
  # browser_check.py stops the server itself; this covers it being killed before it could.
  if [ -s "$pid_file" ]; then kill -KILL -- "-$(cat "$pid_file")" 2>/dev/null || true; fi
  rm -rf "$private"
}
trap cleanup EXIT
export JUPYTER_DATA_DIR="$private/data" JUPYTER_PATH="$private/data"
install_kernel
export DEQNC_CHROMIUM="${DEQNC_CHROMIUM:-/usr/bin/chromium}"
# In the background so a signal to this script reaches the check at once (bash would otherwise wait
# for it to end); the check then stops node, Chromium and the server itself.
"$PY" "$BROWSER_DIR/browser_check.py" --out "$ROOT/out/browser" --server-pid-file "$pid_file" \
  "$BROWSER_DIR/browser-check.ipynb" &
check_pid=$!
trap 'kill -TERM "$check_pid" 2>/dev/null; wait "$check_pid"; exit 143' TERM HUP
trap 'kill -TERM "$check_pid" 2>/dev/null; wait "$check_pid"; exit 130' INT
wait "$check_pid"
