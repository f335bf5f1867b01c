#!/usr/bin/env bash
# CI: a short libFuzzer run (about a minute) of every target in fuzz/.
#
# Usage: .ci/fuzz-short.sh
#   FUZZ_SECONDS=N  seconds per target (default 30; two targets)
#   FUZZ_RUNS=N     stop a target after N executions (default: no limit)
#   FUZZ_TARGETS    which targets (default "task-response api-urls")
#   FUZZ_BUILD_DIR  the clang build (default build-fuzz)
#
# A long run is the same script with bigger numbers, e.g.
#   FUZZ_TARGETS=task-response FUZZ_SECONDS=3600 FUZZ_RUNS=10000000 \
#     .ci/fuzz-short.sh
#
# The corpus grows in $FUZZ_BUILD_DIR/fuzz-corpus/<target>/ across runs;
# a crashing input is written to $FUZZ_BUILD_DIR/fuzz-artifacts/<target>/
# and the script fails. See fuzz/README.md for what to do with it.
# Ends with one line per target, "fuzz <target>: N runs in T s …", then
# "fuzz: N passed, M failed, 0 skipped" (a target passes without finding).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-30}
runs=${FUZZ_RUNS:--1}
targets=${FUZZ_TARGETS:-task-response api-urls}

# libFuzzer is in clang's runtime package.
tools/setup-debian.sh clang libclang-rt-14-dev
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" --buildtype=debugoptimized -Dfuzzing=true
fi
meson compile -C "$build"

seeds_for () {
  case "$1" in
    task-response) echo "tests/data/fuzz-seeds fuzz/regressions/task-response" ;;
    api-urls) echo "fuzz/seeds/api-urls fuzz/regressions/api-urls" ;;
    *) echo "fuzz-short: unknown target $1" >&2; exit 1 ;;
  esac
}

# The last "cov: N"-like field of libFuzzer's status lines, if any.
last_status_field () {
  { grep -E '^#[0-9]+' "$2" || true; } | { grep -o "$1" || true; } | tail -n 1
}

export G_DEBUG=fatal-criticals
export G_SLICE=always-malloc
# Leaks inside json-glib and other libraries, never ours (tests/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
status=0
summaries=()
passed=0
failed=0
for target in $targets; do
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target"
  log="$build/fuzz-$target.log"
  mkdir -p "$corpus" "$artifacts"

  # shellcheck disable=SC2046 # the seed directories are split on purpose
  if "$build/fuzz/fuzz-$target" \
      -max_total_time="$seconds" -runs="$runs" \
      -error_exitcode=1 -timeout_exitcode=1 -timeout=10 \
      -rss_limit_mb=2048 -max_len=8192 \
      -dict="fuzz/$target.dict" \
      -artifact_prefix="$artifacts/" -print_final_stats=1 \
      "$corpus" $(seeds_for "$target") >"$log" 2>&1; then
    result="no finding"
    passed=$((passed + 1))
  else
    status=1
    failed=$((failed + 1))
    artifact=$(ls -t "$artifacts" | head -n 1)
    result="FINDING: ${artifact:-?} (log: $log)"
    grep -E "ERROR:|runtime error|fuzz invariant|SUMMARY" "$log" | head -n 5 >&2 || true
  fi

  # A finding while loading the corpus leaves no status lines: "?".
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(last_status_field 'cov: [0-9]*' "$log")
  ft=$(last_status_field 'ft: [0-9]*' "$log")
  corp=$(last_status_field 'corp: [0-9]*/[0-9a-zA-Z]*' "$log")
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
  summaries+=("fuzz $target: ${execs:-?} runs in ${took:-?} s (${rate:-?} exec/s), ${cov:-cov: ?} edges, ${ft:-ft: ?}, ${corp:-corp: ?}: $result")
done

printf '%s\n' "${summaries[@]}"
# One line in the format .ci/run adds up: a target passes without finding.
echo "fuzz: $passed passed, $failed failed, 0 skipped"
exit $status
