#!/usr/bin/env bash
# Packs a self-contained bundle for an offline Linux x86-64 machine (a GPU box with CUDA but no Java or Maven):
# a jlink'ed Java runtime, the application jar with only the natives a run loads, MNIST, and the check scripts,
# as one xz'ed tar split into parts of at most --part-size (each part can travel alone; SHA256SUMS says which
# one is missing or damaged). By default a part and the working tree that travels with it (device-tree.sh) fit
# in one device call's 64 MiB, up to 60 MiB a part.
#
#   native-config/pack-bundle.sh [--jar target/lenet-digits.jar] [--data data/mnist] [--part-size 60M] [--out DIR]
#
# Build the jar first: `mvn -B package -DskipTests -Pgpu` for the GPU natives (plain `mvn package` for the CPU).
# Reassemble with unpack-bundle.sh, then run DEST/run-bundle.sh there (native-config/README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
jar="$root/target/lenet-digits.jar"
data="$root/data/mnist"
part_size=
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
if [ -z "$part_size" ]; then
  # a device call carries 64 MiB, the checkout's travelling files included; 2 MiB are left for what changes
  tree_mib=0
  if git -C "$root" rev-parse --show-toplevel >/dev/null 2>&1; then
    tree_mib=$(cd "$root" && "$here/device-tree.sh" | sed -n 's/^travels with each device call: \([0-9.]*\) MiB.*/\1/p' | awk '{ print int($1 + 0.999) }')
  fi
  part_mib=$((64 - tree_mib - 2))
  [ $part_mib -le 60 ] || part_mib=60
  [ $part_mib -ge 8 ] || { echo "pack-bundle.sh: the working tree travels with $tree_mib MiB of 64, too much for bundle parts; native-config/device-tree.sh shows its largest folders" >&2; exit 2; }
  part_size=${part_mib}M
  echo "parts of at most $part_size: 64 MiB a device call, less the $tree_mib MiB of this checkout that travel with each" >&2
fi
for tool in jlink jdeps jar xz unzip; do
  command -v $tool >/dev/null || { echo "pack-bundle.sh: $tool not found (needs a JDK 17+, xz and unzip)" >&2; exit 2; }
done

# The natives a run loads, by file name; every other native in the jar is left out. What loads was read with
# -Dorg.bytedeco.javacpp.logger.debug=true on the GPU jar with CUDA 13 libraries and no GPU, and from the
# libraries' NEEDED entries (readelf -d) for what loads only on a GPU (native-config/README.md).
keep="libjnijavacpp.so
libopenblas.so.0 libjniopenblas.so libjniopenblas_nolapack.so libjniopenblas_full.so libgfortran.so.5
libquadmath.so.0 libgcc_s.so.1
libgomp.so.1 libc10.so libtorch_cpu.so libtorch.so libjnitorch.so
libc10_cuda.so libtorch_cuda.so
libjnicudart.so"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/jar" "$stage/bundle/data/mnist"
(cd "$stage/jar" && unzip -q "$jar")
removed=0
while IFS= read -r -d '' f; do
  name=$(basename "$f")
  if ! tr ' ' '\n' <<<"$keep" | grep -qxF -- "$name"; then
    rm -f "$f"
    removed=$((removed + 1))
  fi
done < <(find "$stage/jar/org/bytedeco" -type f -path '*/linux-x86_64*/*' -print0)
rm -rf "$stage/jar/META-INF/native-image"   # GraalVM's hints; the JVM never reads them
echo "left out $removed files of natives, kept: $(find "$stage/jar/org/bytedeco" -type f -path '*/linux-x86_64*/*' -printf '%f ')" >&2
# stored, not deflated: the bundle's xz compresses the libraries better than the jar's deflate would
(cd "$stage/jar" && jar --create --no-manifest --no-compress --file "$stage/bundle/lenet-digits.jar" .)
rm -rf "$stage/jar"

modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$stage/bundle/lenet-digits.jar")
echo "jlink modules: $modules" >&2
# uncompressed too, for the same reason
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=0 --output "$stage/bundle/runtime"
cp "$data"/*-ubyte "$stage/bundle/data/mnist/"
cp "$here/run-bundle.sh" "$here/gpu-env.sh" "$here/unpack-bundle.sh" "$stage/bundle/"

rm -rf "$out"
mkdir -p "$out"
tar -C "$stage/bundle" -cf - . | xz -6 -T0 | split -b "$part_size" -d -a 3 - "$out/bundle.tar.xz.part-"
(cd "$out" && sha256sum bundle.tar.xz.part-* > SHA256SUMS)
cp "$here/unpack-bundle.sh" "$out/"
echo "bundle: $(ls "$out"/bundle.tar.xz.part-* | wc -l) parts in $out:" >&2
(cd "$out" && ls -l bundle.tar.xz.part-* | awk '{ printf "  %s %.1f MiB\n", $NF, $5 / 1048576 }') >&2
