#!/usr/bin/env bash
# Serve benchmark: edit-to-browser latency (file written → the open tab's
# DOM holds the new text), median and p90 over EDITS edits, for the sample
# dossier and generated corpora of 1,000 and 10,000 articles, with
# `hugo server` on the same corpus (same articles, Hugo layout) in the same
# run. Needs chromium and hugo (apt-get install chromium hugo).
#
#   bench/serve.sh [EDITS] [SIZES...]      default: 20 1000 10000
#
# Corpora go to /dev/shm (tmpfs) so that disk speed is not measured. Numbers
# vary with machine load; see BENCHMARKS.md for how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS=${1:-20}
shift || true
SIZES=${*:-1000 10000}
GEN=../shared/tools/gencorpus.py

cargo build --release --quiet
# The harness only drives the browser (dev profile is enough and shares
# the test build); the server measured is the release binary.
cargo bench --profile dev --bench serve_latency --no-run --quiet 2>/dev/null
export DOSSIER_BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/dossier
run() { cargo bench --profile dev --quiet --bench serve_latency -- "$@" 2>/dev/null | grep -E "^(dossier|hugo)"; }

SAMPLE=/dev/shm/dossier-serve-sample
rm -rf "$SAMPLE" && mkdir -p "$SAMPLE" && cp -r site.yaml content "$SAMPLE/"
echo "sample dossier (5 articles):"
run dossier "$SAMPLE" content/articles/2015-10-us-says-no-to-russia-dialogue-on-syria.md \
  /articles/2015-10-us-says-no-to-russia-dialogue-on-syria/ "$EDITS"

for N in $SIZES; do
  D=/dev/shm/dossier-serve-d-$N
  H=/dev/shm/dossier-serve-h-$N
  [ -f "$D/corpus-manifest.json" ] || python3 "$GEN" -n "$N" --layout dossier --out "$D" >/dev/null
  [ -f "$H/corpus-manifest.json" ] || python3 "$GEN" -n "$N" --layout hugo --out "$H" >/dev/null
  # The same article in both layouts: the first by file name.
  # (A glob, not `ls | head`: with pipefail, ls killed by SIGPIPE on a
  # long listing would stop the script.)
  FIRST=("$D"/content/articles/*.md)
  SLUG=$(basename "${FIRST[0]}" .md)
  echo "$N articles (edited: $SLUG):"
  run dossier "$D" "content/articles/$SLUG.md" "/articles/$SLUG/" "$EDITS"
  run hugo "$H" "content/$SLUG.md" "/$SLUG/" "$EDITS"
done
