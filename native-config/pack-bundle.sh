#!/usr/bin/env bash
# Packs a self-contained bundle for an offline Linux x86-64 machine (e.g. a GPU box with CUDA but no
# Java or Maven): a jlink'ed Java runtime, the application jar with its natives, MNIST, and run-bundle.sh,
# as one gzip'ed tar split into parts of a chosen size, with SHA-256 sums.
#
#   native-config/pack-bundle.sh [--jar target/lenet-digits.jar] [--data data/mnist] [--part-size 60M] [--out DIR]
#
# Build the jar first: `mvn -B package -DskipTests -Pgpu` for the GPU natives (plain `mvn package` for CPU).
# Reassemble with unpack-bundle.sh, then run DEST/run-bundle.sh there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar="$root/target/lenet-digits.jar"
data="$root/data/mnist"
part_size=60M
out="$root/native-config/bundle-out"
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jar=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --part-size) part_size=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "pack-bundle.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -f "$jar" ] || { echo "pack-bundle.sh: $jar: no such jar (build it with mvn package, -Pgpu for CUDA)" >&2; exit 2; }
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$data/$f" ] || { echo "pack-bundle.sh: $data/$f: missing (run: java -jar $jar fetch)" >&2; exit 2; }
done
command -v jlink >/dev/null || { echo "pack-bundle.sh: jlink not found (needs a JDK 17+)" >&2; exit 2; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")
echo "jlink modules: $modules" >&2
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$stage/runtime"
cp "$jar" "$stage/lenet-digits.jar"
mkdir -p "$stage/data/mnist"
cp "$data"/*-ubyte "$stage/data/mnist/"
cp "$here/run-bundle.sh" "$here/gpu-env.sh" "$stage/"

rm -rf "$out"
mkdir -p "$out"
tar -C "$stage" -cf - . | gzip -1 | split -b "$part_size" -d -a 3 - "$out/bundle.tgz.part-"
(cd "$out" && sha256sum bundle.tgz.part-* > SHA256SUMS)
cp "$here/unpack-bundle.sh" "$out/"
echo "bundle: $(ls "$out"/bundle.tgz.part-* | wc -l) parts, $(du -sh "$out" | cut -f1) in $out" >&2
