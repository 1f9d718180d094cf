#!/usr/bin/env bash
# What of this checkout travels to a lent device machine with every call (tracked files and untracked files git
# does not ignore): each call carries at most 64 MiB, the working tree included, so bundle parts are sized to
# fit beside it (pack-bundle.sh reads the first line).
#
#   native-config/device-tree.sh            # what travels now, in MiB, and its largest folders
set -euo pipefail
[ $# -eq 0 ] || { echo "device-tree.sh: takes no arguments (got '$1')" >&2; exit 2; }
root=$(git rev-parse --show-toplevel 2>/dev/null) || { echo "device-tree.sh: $(pwd) is not inside a git checkout" >&2; exit 2; }
cd "$root"

travelling_bytes() {
  git ls-files -z --cached --others --exclude-standard | xargs -0 -r stat -c %s -- 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

awk -v b="$(travelling_bytes)" 'BEGIN { printf "travels with each device call: %.1f MiB of 64 MiB\n", b / 1048576 }'
git ls-files -z --cached --others --exclude-standard | xargs -0 -r du -b -- 2>/dev/null \
  | awk '{ n = split($2, p, "/"); d = (n > 1) ? p[1] : "."; if (n > 3) d = p[1] "/" p[2] "/" p[3] "/" p[4]; s[d] += $1 }
         END { for (d in s) if (s[d] >= 1048576) printf "  %6.1f MiB  %s\n", s[d] / 1048576, d }' | sort -rn
