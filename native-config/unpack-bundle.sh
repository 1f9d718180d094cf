#!/usr/bin/env bash
# Reassembles a bundle made by pack-bundle.sh: checks every part against SHA256SUMS (naming each part that is
# missing or damaged, so that only those need sending again), then unpacks into DEST. Needs xz, or Python 3.
#   unpack-bundle.sh PARTS_DIR DEST
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: unpack-bundle.sh PARTS_DIR DEST" >&2; exit 2; }
parts=$1
dest=$2
[ -f "$parts/SHA256SUMS" ] || { echo "unpack-bundle.sh: $parts/SHA256SUMS: missing (it travels with the parts)" >&2; exit 2; }
bad=0
while read -r sum name; do
  if [ ! -f "$parts/$name" ]; then
    echo "unpack-bundle.sh: $parts/$name: missing" >&2
    bad=1
  elif [ "$(sha256sum "$parts/$name" | cut -d' ' -f1)" != "$sum" ]; then
    echo "unpack-bundle.sh: $parts/$name: damaged (its SHA-256 differs); send it again" >&2
    bad=1
  fi
done < "$parts/SHA256SUMS"
[ $bad -eq 0 ] || exit 2
mkdir -p "$dest"
if command -v xz >/dev/null; then
  cat "$parts"/bundle.tar.xz.part-* | xz -dc | tar -C "$dest" -xf -
else
  cat "$parts"/bundle.tar.xz.part-* | python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.LZMAFile(sys.stdin.buffer), sys.stdout.buffer, 1 << 20)' \
    | tar -C "$dest" -xf -
fi
echo "unpacked into $dest; run $dest/run-bundle.sh" >&2
