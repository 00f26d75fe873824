#!/usr/bin/env bash
# A copy of the shared harness (../shared/bench/portal_vs_anchor) that runs against today's portal:
#   bash bench/harness_copy.sh $WORK/harness
# The shared scripts predate the staff's second factor and the per-customer filing limit. The copy
# logs staff in with the bench authenticator (harness_login.py, bench_totp.py), marks the in-process
# staff clients verified (harness.patch, count_queries.py) and lifts the filing limit on the bench
# server (harness.patch, env.sh). Nothing else differs; measure with it as its README says.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHARED="${SHARED:-$(cd "$HERE/../../shared/bench" && pwd)}"  # ../shared/bench from the project root
DEST="${1:?usage: harness_copy.sh DEST}"
rm -rf "$DEST" && cp -r "$SHARED/portal_vs_anchor" "$DEST"
patch -s -d "$DEST" -p1 < "$HERE/harness.patch"
cp "$HERE/harness_login.py" "$DEST/login.py"
cp "$HERE/bench_totp.py" "$DEST/"
echo "harness copy in $DEST (export ANCHOR_BENCH=$SHARED/anchor_helpdesk before running it)"
