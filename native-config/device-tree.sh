#!/usr/bin/env bash
# The part of this checkout that travels to a lent device machine with every call (tracked files and untracked
# files git does not ignore), and a way to leave the compatibility test fixtures behind while bundle parts travel:
# each call carries at most 64 MiB, the working tree included, and the fixtures are most of the tree.
#
#   native-config/device-tree.sh            # what travels now, in MiB, and its largest folders
#   native-config/device-tree.sh --slim     # the fixtures leave the index and the work tree (kept under .git/)
#   native-config/device-tree.sh --restore  # they come back, exactly as committed
#
# While slim, `git status` shows the fixtures as deleted: restore before committing (--slim refuses to run twice).
set -euo pipefail
fixtures=src/test/resources/compat
root=$(git rev-parse --show-toplevel 2>/dev/null) || { echo "device-tree.sh: $(pwd) is not inside a git checkout" >&2; exit 2; }
cd "$root"
kept="$(git rev-parse --git-dir)/device-tree-slim"

travelling_bytes() {
  git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

report() {
  awk -v b="$(travelling_bytes)" 'BEGIN { printf "travels with each device call: %.1f MiB of 64 MiB\n", b / 1048576 }'
  git ls-files -z --cached --others --exclude-standard | xargs -0 -r du -b -- 2>/dev/null \
    | awk '{ n = split($2, p, "/"); d = (n > 1) ? p[1] : "."; if (n > 3) d = p[1] "/" p[2] "/" p[3] "/" p[4]; s[d] += $1 }
           END { for (d in s) if (s[d] >= 1048576) printf "  %6.1f MiB  %s\n", s[d] / 1048576, d }' | sort -rn
  if [ -d "$kept" ]; then echo "slim: $fixtures is kept in $kept (device-tree.sh --restore puts it back)"; fi
}

case "${1:-}" in
  "")
    report ;;
  --slim)
    [ ! -d "$kept" ] || { echo "device-tree.sh: already slim ($fixtures is in $kept); run --restore first" >&2; exit 2; }
    [ -d "$fixtures" ] || { echo "device-tree.sh: $root/$fixtures: no such folder" >&2; exit 2; }
    git diff --quiet HEAD -- "$fixtures" && [ -z "$(git ls-files --others -- "$fixtures")" ] \
      || { echo "device-tree.sh: $fixtures differs from the last commit; commit or discard that first" >&2; exit 2; }
    mkdir -p "$kept"
    git rm -r -q --cached -- "$fixtures"
    mv "$fixtures" "$kept/"
    report ;;
  --restore)
    [ -d "$kept" ] || { echo "device-tree.sh: not slim (nothing in $kept)" >&2; exit 2; }
    [ ! -e "$fixtures" ] || { echo "device-tree.sh: $root/$fixtures exists again; move it away, then --restore" >&2; exit 2; }
    mv "$kept/$(basename "$fixtures")" "$fixtures"
    rmdir "$kept"
    git reset -q -- "$fixtures"
    report ;;
  *)
    echo "device-tree.sh: unknown argument '$1' (none, --slim or --restore)" >&2; exit 2 ;;
esac
