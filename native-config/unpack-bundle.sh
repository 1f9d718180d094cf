#!/usr/bin/env bash
# Reassembles a bundle made by pack-bundle.sh: checks every part's SHA-256, then unpacks into DEST.
#   unpack-bundle.sh PARTS_DIR DEST
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: unpack-bundle.sh PARTS_DIR DEST" >&2; exit 2; }
parts=$1
dest=$2
(cd "$parts" && sha256sum --quiet -c SHA256SUMS) || { echo "unpack-bundle.sh: a part is missing or damaged" >&2; exit 2; }
mkdir -p "$dest"
cat "$parts"/bundle.tgz.part-* | gzip -dc | tar -C "$dest" -xf -
echo "unpacked into $dest; run $dest/run-bundle.sh" >&2
