#!/usr/bin/env bash
# DeqStepBenchmark (median ms per training step, forward solve and matmul GFLOP/s) under JVM and thread
# variants, interleaved round by round so that drifts in machine load hit every variant alike. Needs the
# build environment/bench.sh makes (bench/target/classes and bench/target/runtime.classpath).
#
#   environment/bench/java_variants.sh vector [ROUNDS]   Vector API on/off on Java 17 and on every newer
#                                                        JDK under /usr/lib/jvm (docs/cpu-notes.md)
#   environment/bench/java_variants.sh threads [ROUNDS]  libtorch thread settings and the kernel's default,
#                                                        quiet and with two busy background threads
#                                                        (docs/kernel.md)
#
# Output: for each run a '## variant' line, then the benchmark's BENCH lines; logs in out/bench/variants/.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE="${1:?usage: java_variants.sh vector|threads [ROUNDS]}"
ROUNDS="${2:-2}"
CP="bench/target/classes:$(cat bench/target/runtime.classpath)"
OUT=out/bench/variants
mkdir -p "$OUT"
# the kernelspec's process settings (kernel-ext/src/kernelspec/kernel.json)
export ONEDNN_MAX_CPU_ISA=AVX2 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_ARENA_MAX=1
# bench.sh's settings; BENCH_ARGS replaces them (e.g. "steps=20 warmup=10 repeats=3" for runs under load)
read -r -a ARGS <<< "${BENCH_ARGS:-steps=50 warmup=20 repeats=5}"
ARGS+=(seed=1 export="$OUT/share")

# run NAME JAVA_EXECUTABLE [ENV=VALUE ...] -- [JVM OPTION ...] -- [BENCHMARK ARG ...]
run() {
  local name="$1" java="$2"; shift 2
  local envs=() opts=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
  echo "## $name (load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%T))"
  env "${envs[@]}" "$java" "${opts[@]}" -cp "$CP" org.deqnc.bench.DeqStepBenchmark "${ARGS[@]}" "$@" \
    > "$OUT/$name.log" 2>&1 || { echo "failed: see $OUT/$name.log"; return; }
  grep -E '^(#|BENCH)' "$OUT/$name.log"
}

# Two threads that spin for as long as the run lasts: the fixed background load.
BUSY=()
start_load() { for _ in 1 2; do (while :; do :; done) & BUSY+=($!); done; }
stop_load() { kill "${BUSY[@]}" 2>/dev/null || true; wait "${BUSY[@]}" 2>/dev/null || true; BUSY=(); }
trap stop_load EXIT

case "$MODE" in
  vector)
    JDKS=(java)
    for j in /usr/lib/jvm/*; do
      v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
      [ -n "$v" ] && [ "$v" -gt 17 ] 2>/dev/null && JDKS+=("$j/bin/java")
    done
    for r in $(seq "$ROUNDS"); do
      for j in "${JDKS[@]}"; do
        v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
        run "java${v}_vector_r$r" "$j" -- --add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=2 -- threads=2
        run "java${v}_scalar_r$r" "$j" -- -Dai.djl.pytorch.num_threads=2 -- threads=2
      done
    done
    ;;
  threads)
    VEC=(--add-modules jdk.incubator.vector)
    for r in $(seq "$ROUNDS"); do
      for load in quiet loaded; do
        [ "$load" = loaded ] && start_load
        run "${load}_2threads_active_r$r" java OMP_NUM_THREADS=2 -- "${VEC[@]}" -- threads=2
        run "${load}_2threads_passive_r$r" java OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE -- "${VEC[@]}" -- threads=2
        run "${load}_2threads_spin10k_r$r" java OMP_NUM_THREADS=2 GOMP_SPINCOUNT=10000 -- "${VEC[@]}" -- threads=2
        run "${load}_1thread_r$r" java OMP_NUM_THREADS=1 -- "${VEC[@]}" -- threads=1
        # libtorch's own count with the kernelspec's wait policy, as the kernel runs it (no count set)
        run "${load}_default_r$r" java -u OMP_NUM_THREADS -u MKL_NUM_THREADS OMP_WAIT_POLICY=PASSIVE -- "${VEC[@]}" --
        stop_load
      done
    done
    ;;
  *) echo "java_variants.sh: unknown mode '$MODE', accepted: vector, threads" >&2; exit 2 ;;
esac
