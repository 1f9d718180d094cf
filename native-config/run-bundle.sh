#!/usr/bin/env bash
# Runs inside an unpacked bundle: points the library path at the machine's CUDA and cuDNN, prints what
# libtorch sees, then runs `bench` and a short train -> evaluate -> predict. Figures go to stdout.
#   ./run-bundle.sh [--device cuda|cpu|auto] [--epochs N] [--batch-size N]
set -euo pipefail
cd "$(dirname "$0")"
device=cuda
epochs=2
batch=128
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    *) echo "run-bundle.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
LD_LIBRARY_PATH=$(./gpu-env.sh)
export LD_LIBRARY_PATH
export OMP_WAIT_POLICY=PASSIVE
export JAVACPP_CACHE="$PWD/.javacpp-cache"
java=(./runtime/bin/java -Dorg.bytedeco.javacpp.cachedir="$JAVACPP_CACHE" -jar lenet-digits.jar)
echo "== $(uname -m), $(nproc) cores; $(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo 'no nvidia-smi')"
echo "== bench --device $device --epochs $epochs --batch-size $batch"
"${java[@]}" bench --dir data --device "$device" --epochs "$epochs" --batch-size "$batch"
echo "== train -> evaluate -> predict"
mkdir -p runs
"${java[@]}" train --train data/mnist/train-images-idx3-ubyte --model runs/model.pt --device "$device" --epochs 1
"${java[@]}" evaluate --model runs/model.pt --input data/mnist/t10k-images-idx3-ubyte --device "$device" | head -1
"${java[@]}" predict --model runs/model.pt --input data/mnist/t10k-images-idx3-ubyte --out runs/submission.csv --device "$device"
