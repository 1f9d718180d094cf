#!/usr/bin/env bash
# Prints the LD_LIBRARY_PATH under which libtorch finds CUDA 13 and cuDNN 9 when they come from PyTorch's
# pip wheels (site-packages/nvidia/*/lib), followed by any LD_LIBRARY_PATH already set. Use:
#   export LD_LIBRARY_PATH=$(native-config/gpu-env.sh)
set -euo pipefail
dirs=""
if command -v python3 >/dev/null; then
  site=$(python3 -c 'import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))' 2>/dev/null || true)
  if [ -n "$site" ]; then
    for d in "$site"/nvidia/*/lib; do
      [ -d "$d" ] && dirs="$dirs${dirs:+:}$d"
    done
  fi
fi
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  [ -d "$d" ] && dirs="$dirs${dirs:+:}$d"
done
echo "$dirs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
