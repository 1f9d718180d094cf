#!/usr/bin/env bash
# The whole device check in one command: runs in an unpacked bundle (pack-bundle.sh), or in a checkout with a
# built jar. Each step runs under its own time limit; one that fails or runs out of time is marked and the
# next one runs. Everything goes to the log file as well, and a summary table ends it.
#
#   run-bundle.sh [--device cuda|cpu] [--budget SECONDS] [--kaggle-train FILE --kaggle-test FILE]
#                 [--bench-epochs N] [--ensemble-epochs N] [--work DIR] [--log FILE] [--jar FILE] [--data DIR]
#
# --budget is the time the whole check may take (default 600): no step runs past it, and the last step, the
# README's recommended Kaggle ensemble (--ensemble-epochs changes only its epochs, for a dry run on a CPU),
# trains in what is left of it and writes a submission from the members finished by then. Without
# --kaggle-train and --kaggle-test, a Kaggle-layout split of MNIST (42000 + 28000 digits) is written, and that
# submission is scored against it. native-config/README.md describes every step.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
device=cuda
budget=600
bench_epochs=5
ensemble_epochs=40
kaggle_train=""
kaggle_test=""
work=""
log=""
jar=""
data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --bench-epochs) bench_epochs=$2; shift 2 ;;
    --ensemble-epochs) ensemble_epochs=$2; shift 2 ;;
    --kaggle-train) kaggle_train=$2; shift 2 ;;
    --kaggle-test) kaggle_test=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run-bundle.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$device" in cuda|cpu) ;; *) echo "run-bundle.sh: --device: '$device' is not cuda or cpu" >&2; exit 2 ;; esac
case "$budget$bench_epochs$ensemble_epochs" in
  ''|*[!0-9]*) echo "run-bundle.sh: --budget, --bench-epochs and --ensemble-epochs take whole numbers" >&2; exit 2 ;;
esac
if [ -n "$kaggle_train$kaggle_test" ] && { [ ! -f "$kaggle_train" ] || [ ! -f "$kaggle_test" ]; }; then
  echo "run-bundle.sh: --kaggle-train and --kaggle-test name two existing files (Kaggle's train.csv and test.csv)" >&2
  exit 2
fi

# In a bundle everything lies beside this script; in a checkout, the built jar and data/ one folder up.
if [ -z "$jar" ]; then
  jar=$here/lenet-digits.jar
  [ -f "$jar" ] || jar=$here/../target/lenet-digits.jar
fi
if [ -z "$data" ]; then
  data=$here/data
  [ -d "$data/mnist" ] || data=$here/../data
fi
java=java
[ -x "$here/runtime/bin/java" ] && java=$here/runtime/bin/java
[ -n "$work" ] || work=$here/check
mkdir -p "$work/steps" || exit 2
work=$(cd "$work" && pwd)
[ -n "$log" ] || log=$work/run-bundle.log
: > "$log" || exit 2
exec > >(tee -a "$log") 2>&1
[ -f "$jar" ] || { echo "run-bundle.sh: $jar: no such jar (pack-bundle.sh makes a bundle with one; mvn package builds one)"; exit 2; }
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$data/mnist/$f" ] || { echo "run-bundle.sh: $data/mnist/$f: missing (java -jar $jar fetch)"; exit 2; }
done

LD_LIBRARY_PATH=$("$here/gpu-env.sh")
export LD_LIBRARY_PATH OMP_WAIT_POLICY=PASSIVE
export WORK=$work DEVICE=$device DATA=$data JAR=$jar JAVA=$java CACHE=$work/javacpp-cache ENSEMBLE_EPOCHS=$ensemble_epochs
# a second run starts afresh, but keeps the unpacked natives
rm -rf "$work/kaggle" "$work"/quickstart-* "$work"/kaggle-ensemble* "$work/predict-submission.csv" "$work/natives"

# The tool as every step runs it: natives unpacked into the work folder, GPU memory per epoch in the log.
lenet() {
  echo "+ lenet-digits $*"
  "$JAVA" -Dorg.bytedeco.javacpp.cachedir="$CACHE" -Dorg.slf4j.simpleLogger.log.dev.lenetdigits.device.GpuMemory=debug \
    -jar "$JAR" "$@"
}

versions() {
  echo "$(uname -srm), $(nproc) cores"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  fi
  "$JAVA" -version 2>&1 | head -1
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  lenet device --device "$DEVICE"
}

# Every library the loader cannot find and every symbol it cannot resolve, for each native as JavaCPP unpacked
# it (the first step did), else as the jar holds it: what would otherwise surface as a crash at a first call.
# And the system libraries the bundle's Java runtime lacks (its font code uses the system's font libraries;
# its own symbols between its libraries resolve only at run time, so only missing libraries count there).
unresolved() {
  local natives dirs f runtime runtime_libs=""
  natives=$(find "$CACHE" -name '*.so*' -type f 2>/dev/null)
  if [ -z "$natives" ]; then
    mkdir -p "$WORK/natives"
    python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if ".so" in n.rsplit("/", 1)[-1]: z.extract(n, sys.argv[2])' "$JAR" "$WORK/natives" \
      || unzip -q -o "$JAR" '*.so*' -d "$WORK/natives"
    natives=$(find "$WORK/natives" -name '*.so*' -type f)
  fi
  dirs=$(for f in $natives; do dirname "$f"; done | sort -u | tr '\n' ':')
  for f in $natives; do
    LD_LIBRARY_PATH="$dirs$LD_LIBRARY_PATH" ldd -r "$f" 2>&1 | grep -E 'not found|undefined symbol' | sed "s|^|$(basename "$f"): |"
  done
  runtime=$(dirname "$(dirname "$JAVA")")
  if [ "$JAVA" != java ] && [ -d "$runtime/lib/server" ]; then
    runtime_libs=$(find "$runtime/lib" -name '*.so' -type f)
    for f in $runtime_libs; do
      LD_LIBRARY_PATH="$runtime/lib:$runtime/lib/server:$LD_LIBRARY_PATH" ldd "$f" 2>&1 | grep 'not found' \
        | sed "s|^|runtime/lib/$(basename "$f"): |"
    done
  fi
  echo "checked $(echo "$natives" | grep -c .) natives and $(echo "$runtime_libs" | grep -c .) libraries of the Java runtime"
}

# The same quickstart (same seed) on the CPU, and how many of the 10000 test digits the two models label alike.
quickstart_on_cpu() {
  lenet quickstart --device cpu --dir "$DATA" --out "$WORK/quickstart-cpu" || return
  if [ ! -f "$WORK/quickstart-device/submission.csv" ]; then
    echo "agreement: no submission from --device $DEVICE to compare with"
    return 1
  fi
  paste -d, "$WORK/quickstart-device/submission.csv" "$WORK/quickstart-cpu/submission.csv" | awk -F, '
    NR > 1 { n++; same += ($2 == $4) }
    END { printf "agreement %.2f%% (%d of %d test digits labelled alike)\n", 100 * same / n, same, n }'
}

# The README's recommended ensemble for Kaggle until SECONDS run out, then a submission from the members
# finished by then (scored when the test file is the split's).
kaggle_ensemble() {
  local seconds=$1 train=$2 test=$3 model=$WORK/kaggle-ensemble.pt members
  timeout --kill-after=15 "$seconds" "$JAVA" -Dorg.bytedeco.javacpp.cachedir="$CACHE" -jar "$JAR" train \
    --train "$train" --model "$model" --device "$DEVICE" --recipe lenet-deep --epochs "$ENSEMBLE_EPOCHS" --val-split 0 \
    --no-restore-best --precision bf16 --ensemble 6 --view plain,deskew --checkpoint-dir "$WORK/kaggle-ensemble-ckpt"
  echo "training ended with exit code $? (124: stopped at the time limit)"
  members=$(ls "$WORK"/kaggle-ensemble-ckpt/member-*.pt 2>/dev/null)
  echo "members $(echo "$members" | grep -c .) of 6 finished"
  if [ ! -f "$model" ] && [ "$(echo "$members" | grep -c .)" -eq 1 ]; then
    model=$members
  elif [ ! -f "$model" ]; then
    [ -n "$members" ] || return 1
    model=$WORK/kaggle-ensemble-partial.pt
    # shellcheck disable=SC2086 # one argument per member file
    lenet combine --out "$model" $members || return
  fi
  lenet predict --device "$DEVICE" --model "$model" --input "$test" --out "$WORK/kaggle-ensemble-submission.csv" || return
  if [ "$test" = "$WORK/kaggle/test.csv" ]; then
    lenet score --submission "$WORK/kaggle-ensemble-submission.csv" --answers "$WORK/kaggle/answers.csv"
  fi
}
export -f lenet versions unresolved quickstart_on_cpu kaggle_ensemble

start=$(date +%s)
summary=()

# step NAME LIMIT COMMAND...: runs COMMAND (a program or a function above) under the time limit, or what is left
# of --budget if that is less, its output into the log and steps/NAME.out; the summary gets its result, its time,
# and what figures_NAME finds in the output. With no budget left it is skipped, so the summary always comes.
step() {
  local name=$1 limit=$2 out=$work/steps/$1.out t0 rc result figures="" left
  shift 2
  left=$(( budget - ($(date +%s) - start) ))
  if [ "$left" -lt 10 ]; then
    summary+=("| $name | skipped: --budget $budget s spent | 0.0 | |")
    return
  fi
  [ "$left" -lt "$limit" ] && limit=$left
  echo
  echo "=== $name (limit $limit s)"
  t0=$(date +%s%N)
  timeout --kill-after=15 "$limit" bash -c '"$@"' _ "$@" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  case $rc in
    0) result=ok ;;
    124|137) result="TIMED OUT" ;;
    *) result="FAILED (exit $rc)" ;;
  esac
  if declare -F "figures_$name" >/dev/null; then
    figures=$("figures_$name" "$out" 2>/dev/null | tr '\n' ' ' | sed 's/ *$//; s/|/\//g')
  fi
  local tenths=$(( ($(date +%s%N) - t0) / 100000000 ))
  summary+=("| $name | $result | $(( tenths / 10 )).$(( tenths % 10 )) | $figures |")
}

bench_figures() {
  grep '^bench ' "$1" | tail -1 | tr ' ' '\n' \
    | grep -E '^(batch|epoch_s|train_img_per_s|infer_img_per_s|gpu_mem_growth_mb|test_acc)='
}
figures_bench_fp32() { bench_figures "$1"; }
figures_bench_bf16() { bench_figures "$1"; }
figures_bench_batch512() { bench_figures "$1"; }
figures_bench_lenet_deep() { bench_figures "$1"; }
figures_versions() { grep -E '^(cuda|device): ' "$1" | cut -c1-300; }
figures_unresolved() {
  echo "$(grep -c 'not found' "$1") not found, $(grep -c 'undefined symbol' "$1") undefined;"
  grep -E 'not found|undefined symbol' "$1" | sed 's/[[:space:]]*(.*)$//' | sort -u | head -3
}
# test accuracy, the epochs' training time, and the training time until validation accuracy first reached 99%
quickstart_figures() {
  awk '/^epoch [0-9]+\/[0-9]+ / {
         n++; for (i = 2; i < NF; i++) { if ($i == "acc") a = $(i + 1); if ($(i + 1) == "s") s = $i }
         total += s; sub(/%/, "", a); if (a + 0 >= 99 && !reached) { reached = total; at = n } }
       /^quickstart: test accuracy/ { acc = $4; sub(/,$/, "", acc) }
       END { if (n == 0) exit
             printf "test %s, %d epochs in %.1f s, ", acc, n, total
             if (reached) printf "99%% validation after %.1f s (epoch %d)\n", reached, at
             else print "99% validation not reached" }' "$1"
}
figures_quickstart_device() { quickstart_figures "$1"; }
figures_quickstart_cpu() { quickstart_figures "$1"; grep '^agreement' "$1"; }
figures_predict() { grep -Eo '[0-9]+ predictions written.*' "$1" | sed 's/ written to [^ ]*//'; }
figures_kaggle_ensemble() { grep -E '^(members|score) ' "$1"; }

# --- the check ----------------------------------------------------------------------------------------------
echo "run-bundle.sh: --device $device, --budget $budget s; jar $jar; work folder $work"
step versions 120 versions
step unresolved 120 unresolved
if [ -z "$kaggle_train" ]; then
  step kaggle_split 180 lenet kaggle-split --dir "$data" --out "$work/kaggle"
  kaggle_train=$work/kaggle/train.csv
  kaggle_test=$work/kaggle/test.csv
fi
step bench_fp32 180 lenet bench --device "$device" --dir "$data" --epochs "$bench_epochs"
step bench_bf16 180 lenet bench --device "$device" --dir "$data" --epochs "$bench_epochs" --precision bf16
step bench_batch512 180 lenet bench --device "$device" --dir "$data" --epochs "$bench_epochs" --batch-size 512
step quickstart_device 240 lenet quickstart --device "$device" --dir "$data" --out "$work/quickstart-device"
# predict times itself from the moment the model is loaded: reading the CSV, classifying, writing
step predict 120 lenet predict --device "$device" --model "$work/quickstart-device/model.pt" --input "$kaggle_test" \
  --out "$work/predict-submission.csv"
step quickstart_cpu 420 quickstart_on_cpu
step bench_lenet_deep 300 lenet bench --device "$device" --dir "$data" --epochs 2 --recipe lenet-deep
# training stops a minute before the budget ends, to leave time for the submission
left=$(( budget - ($(date +%s) - start) - 60 ))
if [ "$left" -lt 30 ]; then
  summary+=("| kaggle_ensemble | skipped: $(( left + 60 )) s left of --budget $budget | 0.0 | |")
else
  step kaggle_ensemble $(( left + 60 )) kaggle_ensemble "$left" "$kaggle_train" "$kaggle_test"
fi

echo
echo "=== summary: --device $device, $(( $(date +%s) - start )) s in all; log $log"
echo "| step | result | s | figures |"
echo "|---|---|---|---|"
printf '%s\n' "${summary[@]}"
