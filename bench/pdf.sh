#!/usr/bin/env bash
# PDF briefing benchmark: wall time and peak memory of `dossier pdf` for the
# sample dossier and for generated dossiers of 100 and 1,000 articles.
#
#   bench/pdf.sh [RUNS] [SIZES...]      (default: 3 runs; sizes 100 1000)
#
# Corpora come from ../shared/tools/gencorpus.py (deterministic) on tmpfs.
# Each run is a whole `dossier -q pdf`: load, model, Markdown, the briefing
# data, Typst layout and PDF export. Pages are counted with pdfinfo. Numbers
# vary with machine load; nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
shift || true
SIZES=${*:-100 1000}
GEN=../shared/tools/gencorpus.py

cargo build --release --quiet
BIN=$PWD/target/release/dossier

measure() { # dossier folder, output file; prints seconds and peak MiB
  /usr/bin/time -o /tmp/dossier-pdf-bench.time -f "%e %M" \
    "$BIN" -q -C "$1" pdf --output "$2" >/dev/null
  read -r secs kb < /tmp/dossier-pdf-bench.time
  echo "$secs $((kb / 1024))"
}

printf "%-8s %6s %6s %9s %9s\n" dossier pages run seconds "peak MiB"
run_all() { # label, dossier folder
  local out=/dev/shm/dossier-pdf-bench-$1.pdf
  for run in $(seq "$RUNS"); do
    read -r secs mib < <(measure "$2" "$out")
    pages=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ {print $2}')
    printf "%-8s %6s %6s %9s %9s\n" "$1" "$pages" "$run" "$secs" "$mib"
  done
  rm -f "$out"
}

run_all sample "$PWD"
for n in $SIZES; do
  dir=/dev/shm/dossier-pdf-bench-corpus-$n
  if [ ! -f "$dir/corpus-manifest.json" ]; then
    python3 "$GEN" -n "$n" --layout dossier --out "$dir" >/dev/null 2>&1
  fi
  run_all "$n" "$dir"
done
