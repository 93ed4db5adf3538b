#!/usr/bin/env bash
# Build benchmark: pages per second, wall time and peak memory for a
# generated dossier (default 10,000 articles), with the output on tmpfs
# (BENCH_DIR=/some/ext4/folder measures a real disk).
#
#   bench/build.sh [N] [RUNS]
#
# It generates the corpus with ../shared/tools/gencorpus.py (deterministic),
# builds the release binary, then times:
#   cold       a build into an empty output folder, no build cache;
#   unchanged  a build with nothing changed (the cache says so: nothing is
#              rendered or written);
#   edit       a build after one article's text changed (through the cache;
#              the first since the cold build, so the staging folder is made
#              a mirror of the whole site);
#   edit-again the same edit once more (the staging folder is the site
#              before the last build: only what it changed is linked again);
#   edit-nc    the same without the cache (every page rendered and compared).
# Numbers vary with machine load: run it on a quiet machine and compare runs
# made the same way. Nothing here is a test; see `cargo test` for those.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
RUNS=${2:-3}
WORK=${BENCH_DIR:-/dev/shm/dossier-bench-$N}
GEN=../shared/tools/gencorpus.py

cargo build --release --quiet
BIN=$PWD/target/release/dossier
if [ ! -f "$WORK/corpus-manifest.json" ]; then
  python3 "$GEN" -n "$N" --layout dossier --out "$WORK" 2>/dev/null
fi
cd "$WORK"

measure() { # label, then the command; prints wall seconds and peak KB
  local label=$1; shift
  /usr/bin/time -o "$WORK/.time" -f "%e %M" "$@" >/dev/null 2>&1
  echo "$label $(tail -1 "$WORK/.time")"
}

printf "%-10s %8s %10s %10s\n" run seconds pages/s "peak MiB"
for run in $(seq "$RUNS"); do
  rm -rf output .output.staging .output.cache
  for phase in cold unchanged edit edit-again edit-nc; do
    if [ "${phase#edit}" != "$phase" ]; then
      file=$(cd content/articles && find . -name "*.md" -print -quit)
      printf '\nEdited in benchmark run %s (%s).\n' "$run" "$phase" >> "content/articles/$file"
    fi
    if [ "$phase" = edit-nc ]; then
      rm -rf .output.cache
    fi
    read -r _ secs kb < <(measure "$phase" "$BIN" -q build)
    pages=$(find output -name '*.html' | wc -l)
    printf "%-10s %8.2f %10.0f %10.0f\n" "$phase" "$secs" "$(echo "$pages / $secs" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
  done
done
