#!/usr/bin/env bash
# Rebuild benchmark: engine time from `Engine::rebuild` to the changed files
# written, for a body, title and date edit of one article, on generated
# dossiers of 1,000 and 10,000 articles (on tmpfs).
#
#   bench/rebuild.sh [ROUNDS] [SIZES...]
#
# Each size prints a cold build, a rebuild with nothing changed, and per
# kind of edit the median and 90th percentile over ROUNDS edits, with the
# work done (Markdown bodies rendered, pages whose template ran, files
# written) and the stages of the median round. Not a test: read it on a
# quiet machine, and compare runs made the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-20}
shift || true
SIZES=${*:-1000 10000}
GEN=../shared/tools/gencorpus.py

cargo build --release --quiet --example rebuild_bench
for n in $SIZES; do
  dir=/dev/shm/dossier-rebuild-$n
  if [ ! -f "$dir/corpus-manifest.json" ]; then
    python3 "$GEN" -n "$n" --layout dossier --out "$dir" >/dev/null 2>&1
  fi
  echo "== $n articles"
  target/release/examples/rebuild_bench "$dir" "$ROUNDS"
done
