#!/usr/bin/env bash
# Runs every benchmark one after the other and prints one table (also out/bench.csv): our speed
# beside the same work in PyTorch/numpy on this CPU, our own overheads, and the kernel and notebook
# latencies, each with median and spread over repeats, the ratio and the target. See docs/performance.md.
#
#   environment/bench.sh [--full] [--only SOURCES] [--threads N] [--seed S]
#
# --full adds one full Fashion-MNIST training epoch per model (test accuracy); --only runs just the
# named sources (comma-separated, of the SOURCES below). --threads sets our side's intra-op threads;
# the PyTorch twins run in TORCH_ENV, the fastest configuration of torch_config's candidates.
# Logs of each source go to out/bench/logs/. The benchmarks use this tree's build and kernel
# (through JUPYTER_PATH), never the java-deq kernelspec installed for the user.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

SOURCES=(deq_java deq_torch torch_config runner_java runner_torch conv_java conv_torch load_java load_torch
         nc_java nc_numpy kernel notebooks epoch_java)
FULL=0 ONLY="" THREADS=2 SEED=1
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --only) ONLY="${2:?--only: needs a comma-separated list of sources}"; shift ;;
    --threads) THREADS="${2:-}"; shift ;;
    --seed) SEED="${2:-}"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1': accepted --full, --only SOURCES, --threads N, --seed S, --help" ;;
  esac
  shift
done
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "--threads: must be a whole number >= 1, got '$THREADS'"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed: must be a whole number >= 0, got '$SEED'"
for s in ${ONLY//,/ }; do
  [[ " ${SOURCES[*]} " == *" $s "* ]] || die "--only: unknown source '$s', accepted: ${SOURCES[*]}"
done

LOGS="$ROOT/out/bench/logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"

check_prerequisites
# Only what the benchmarks use (the full SYSTEM_PACKAGES also hold test-only tools such as a browser).
# libopenblas0-pthread: without it Debian's numpy and torch run on the reference BLAS (measured here:
# torch matmul 1.8 GFLOP/s), and a comparison against that baseline would flatter us.
apt_install_missing python3-jupyter-client python3-nbclient python3-nbformat python3-zmq \
  dataset-fashion-mnist python3-torch python3-numpy libopenblas0-pthread

# Build when a source or pom changed since the last build this script made (mvn clean drops the stamp).
# The benchmark mains live in the bench module (not in the library jar or the kernel); its runtime class
# path (this machine's ~/.m2 paths, never committed) is written by the same Maven run, per module.
STAMP=bench/target/bench-build.stamp
CLASSPATH_FILE=bench/target/runtime.classpath
if [ ! -f "$STAMP" ] || [ ! -f "$CLASSPATH_FILE" ] || [ ! -f kernel-ext/target/kernel/kernel.json ] \
   || [ -n "$(find pom.xml lib/pom.xml lib/src kernel-ext/pom.xml kernel-ext/src bench/pom.xml bench/src -newer "$STAMP" -print -quit)" ]; then
  log "building with Maven (tests skipped)"
  mvn_batch -q package -DskipTests dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile=target/runtime.classpath >/dev/null || die "Maven build failed"
  touch "$STAMP"
fi

# The kernelspec of this build, found first through JUPYTER_PATH.
export JUPYTER_PATH="$ROOT/out/bench/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
mkdir -p out/bench/jupyter/kernels
ln -sfn "$ROOT/kernel-ext/target/kernel" "out/bench/jupyter/kernels/$KERNEL_NAME"
# Its class-data-sharing archive, as an install makes one (made again when the jars are newer than it).
ARCHIVE=kernel-ext/target/kernel/kernel.jsa
if [ ! -f "$ARCHIVE" ] || [ -n "$(find kernel-ext/target/kernel/lib -newer "$ARCHIVE" -print -quit)" ]; then
  make_kernel_archive
fi

# Our side gets --threads intra-op threads; each PyTorch twin overrides these in TORCH_ENV (torch_config's fastest
# candidate). Both sides get the same seed.
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
# oneDNN's AVX-512 float32 convolutions are wrong on some CPUs, its AVX2 ones for channel counts off multiples of 8
# (org.deqnc.engine.ConvolutionCheck, docs/cpu-notes.md): both sides use AVX2, every benchmark's channels are multiples of 8.
export ONEDNN_MAX_CPU_ISA=AVX2
# glibc would hand every freed tensor of >= 128 KiB back to the kernel and libtorch would page-fault on the
# next one (docs/cpu-notes.md); the kernelspec sets the same. Python's side gets it too, to keep it fair.
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_ARENA_MAX=1
export DEQNC_BENCH_THREADS="$THREADS" DEQNC_BENCH_SEED="$SEED" DEQNC_PROFILE=quick
# --add-modules: the library's Vector API loops, as the kernel runs them (org.deqnc.engine.HostKernels).
JAVA=(java --add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1
      -cp "$ROOT/bench/target/classes:$(cat "$CLASSPATH_FILE")")
JAVA_CP=(-cp "$ROOT/bench/target/classes:$(cat "$CLASSPATH_FILE")")

# The PyTorch twins' configuration: the fastest of these candidates on this machine, measured by the
# torch_config source before the twins run and kept in out/bench/torch_env.txt (docs/performance.md).
TORCH_ENV_FILE=out/bench/torch_env.txt
# torch reads MKL_NUM_THREADS after OMP_NUM_THREADS for its intra-op threads (MKL or not), so each candidate sets
# both: the --threads value exported above would otherwise win.
TORCH_CANDIDATES=(
  --variant t2_active:OMP_NUM_THREADS=2,MKL_NUM_THREADS=2,OPENBLAS_NUM_THREADS=2
  --variant t2_passive:OMP_NUM_THREADS=2,MKL_NUM_THREADS=2,OPENBLAS_NUM_THREADS=2,OMP_WAIT_POLICY=PASSIVE
  --variant t2_blas1_passive:OMP_NUM_THREADS=2,MKL_NUM_THREADS=2,OPENBLAS_NUM_THREADS=1,OMP_WAIT_POLICY=PASSIVE
  --variant t1_blas2:OMP_NUM_THREADS=1,MKL_NUM_THREADS=1,OPENBLAS_NUM_THREADS=2
  --variant t1:OMP_NUM_THREADS=1,MKL_NUM_THREADS=1,OPENBLAS_NUM_THREADS=1
)
# Behaviour under load: each stack quiet and beside two busy-loop processes (started and stopped by
# variants.py). Ours as the kernel runs it: the kernelspec's JVM options (through JDK_JAVA_OPTIONS) and
# environment, the engine's default threads (the thread variables exported above are unset for it);
# the twin in TORCH_ENV.
KERNEL_VARIANT=$("$PY" - kernel-ext/target/kernel/kernel.json <<'PYEOF'
import json, sys
spec = json.load(open(sys.argv[1]))
argv = spec["argv"]
flags = [a for a in argv[1:argv.index("-cp")] if "{" not in a and not a.startswith("-Xlog")]
print("kernel:" + ",".join([f"JDK_JAVA_OPTIONS={' '.join(flags)}"] + [f"{k}={v}" for k, v in spec.get("env", {}).items()]))
PYEOF
)
LOAD=(--rounds 1 --load 2)

# run_source NAME COMMAND...: runs one benchmark, output to $LOGS/NAME.log, outcome to NAME.status.
run_source() {
  local name="$1"; shift
  if [ -n "$ONLY" ] && [[ ",$ONLY," != *",$name,"* ]]; then
    echo "skipped: not selected (--only $ONLY)" > "$LOGS/$name.status"; return
  fi
  log "$name: running (log: out/bench/logs/$name.log)"
  local t0=$SECONDS rc=0
  echo "\$ $*" > "$LOGS/$name.log"
  "$@" >> "$LOGS/$name.log" 2>&1 || rc=$?
  echo "exit $rc" > "$LOGS/$name.status"
  log "$name: exit $rc after $((SECONDS - t0)) s"
}

# skip_source NAME REASON: records why a source cannot run here.
skip_source() { echo "skipped: $2" > "$LOGS/$1.status"; }

# run_if_present NAME FILE WHAT COMMAND...: runs the benchmark when FILE (its script or compiled
# main class) is in this tree, else records that WHAT is missing (not merged or not built yet).
run_if_present() {
  local name="$1" file="$2" what="$3"; shift 3
  if [ -f "$file" ]; then
    run_source "$name" timeout 1800 "$@"
  else
    skip_source "$name" "$what is not in this tree"
  fi
}
java_main() {
  local name="$1" class="$2"; shift 2
  run_if_present "$name" "bench/target/classes/${class//.//}.class" "$class" "${JAVA[@]}" "$class" "$@"
}
python_script() {
  local name="$1" script="$2"; shift 2
  run_if_present "$name" "$script" "$script" "$PY" "$script" "$@"
}
# twin NAME SCRIPT ARGS...: a PyTorch twin, run in TORCH_ENV.
twin() {
  local name="$1" script="$2"; shift 2
  run_if_present "$name" "$script" "$script" env "${TORCH_ENV[@]}" "$PY" "$script" "$@"
}
# twin_each NAME ROUNDS SCRIPT ARGS...: a PyTorch twin under every candidate configuration (lines
# <line>_<candidate>); the table compares ours with the fastest one on that workload, since the configuration
# that is fastest on the DEQ steps is not on every workload (the convolutions and the cnn epochs gain from two
# OpenMP threads, the small mlp epochs lose).
twin_each() {
  local name="$1" rounds="$2" script="$3"; shift 3
  run_if_present "$name" "$script" "$script" "$PY" environment/bench/variants.py --rounds "$rounds" \
    "${TORCH_CANDIDATES[@]}" -- "$PY" "$script" "$@"
}

# All quick notebooks end to end with this build's kernel, as one BENCH line.
time_notebooks() {
  local t0 n
  t0=$(date +%s%N)
  n=$(ls notebooks/*.ipynb | wc -l)
  "$PY" environment/run_notebooks.py --out out/bench/notebooks notebooks/*.ipynb || return
  echo "BENCH name=notebooks_quick median_ms=$(( ($(date +%s%N) - t0) / 1000000 )) spread_ms=0 repeats=1 notebooks=$n"
}

java_main deq_java org.deqnc.bench.DeqStepBenchmark seed="$SEED" export=out/bench/share
TWIN_LINES=deq_step_implicit_pytorch,deq_step_jfb_pytorch,mlp3_step_pytorch
python_script torch_config environment/bench/variants.py --rounds 2 "${TORCH_CANDIDATES[@]}" \
  --rank "$TWIN_LINES" --fastest "$TORCH_ENV_FILE" -- "$PY" environment/bench/deq_torch.py data=out/bench/share \
  steps=20 warmup=10 repeats=3 models=deq_step_implicit,deq_step_jfb,mlp3_step
if [ -s "$TORCH_ENV_FILE" ]; then
  mapfile -t TORCH_ENV < "$TORCH_ENV_FILE"
else  # no torch_config run yet in this tree: the candidate that was fastest on the development machine
  TORCH_ENV=(OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1)
fi
log "PyTorch twins run with: ${TORCH_ENV[*]}"
TORCH_VARIANT="best:$(IFS=,; echo "${TORCH_ENV[*]}")"
twin deq_torch environment/bench/deq_torch.py seed="$SEED" data=out/bench/share
java_main runner_java org.deqnc.bench.TrainEpochBenchmark export=out/bench/runner
twin_each runner_torch 1 environment/bench/runner_torch.py data=out/bench/runner
java_main conv_java org.deqnc.bench.ConvDeqStepBenchmark seed="$SEED" export=out/bench/conv
twin_each conv_torch 2 environment/bench/conv_deq_torch.py data=out/bench/conv
LOADED_STEPS=(org.deqnc.bench.DeqStepBenchmark data=out/bench/share init=out/bench/share export=out/bench/load
              steps=10 warmup=5 repeats=3)
python_script load_java environment/bench/variants.py "${LOAD[@]}" --variant "$KERNEL_VARIANT" \
  -- env -u OMP_NUM_THREADS -u MKL_NUM_THREADS -u OPENBLAS_NUM_THREADS java "${JAVA_CP[@]}" "${LOADED_STEPS[@]}"
python_script load_torch environment/bench/variants.py "${LOAD[@]}" --variant "$TORCH_VARIANT" \
  -- "$PY" environment/bench/deq_torch.py data=out/bench/share steps=10 warmup=5 repeats=3 \
  models=deq_step_implicit,deq_step_jfb,mlp3_step
java_main nc_java org.deqnc.bench.NcBenchmark n=60000 d=512 k=10 repeats=5
python_script nc_numpy environment/bench/nc_numpy.py --n 60000 --d 512 --k 10 --repeats 5
python_script kernel environment/bench/kernel_bench.py --kernel "$KERNEL_NAME"
run_source notebooks time_notebooks
if [ "$FULL" -eq 1 ]; then
  java_main epoch_java org.deqnc.bench.DeqStepBenchmark epoch=full steps=1 warmup=0 repeats=1
else
  skip_source epoch_java "needs bench.sh --full"
fi

echo "deq-nc benchmarks: $(getconf _NPROCESSORS_ONLN) CPUs, $THREADS threads per side, seed $SEED, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
"$PY" environment/bench/collect.py "$LOGS" --csv out/bench.csv
log "table also in out/bench.csv; logs in out/bench/logs/"
