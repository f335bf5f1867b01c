#!/usr/bin/env bash
# run.sh: builds the benchmarks optimised and runs them, writing every
# table of docs/performance.md, with the commit, the machine and the
# command, into one Markdown file: build-bench/bench-out/tables.md (and
# to stdout as it goes).
#
# Usage: bench/run.sh [--quick] [--runs R] [--per-origin N] [BENCHMARK…]
#   --quick         smaller N, shorter windows and 2 runs: to check that
#                   everything works, not for figures
#   --runs R        runs per row for the figures that vary from run to
#                   run (default 5; B1 and B2 interleave at least that
#                   many runs of their own)
#   --per-origin N  JIMMY_MAX_REQUESTS_PER_ORIGIN for every run (the
#                   poller's limit of requests in flight per origin, where
#                   the code has it); default: the poller's own default
#   --b8-limits L   B8's rows for these requests-per-origin limits,
#                   comma-separated, "default" for the poller's own
#                   (default: default,1024)
#   --update-doc    afterwards, put each benchmark's tables (and the
#                   header) into docs/performance.md, between its
#                   "<!-- bench-run:NAME -->" and "<!-- /bench-run:NAME -->"
#                   lines; the verdicts stay for a person to write
#   BENCHMARK       any of b1 b2 b3 insn sat b4 b5 b6 b7 b8 (default: all)
#
# Everything runs on this machine. B3, B5, B6 and B8 run each child
# under bench/serve.sh: a network namespace of its own with nginx (or
# bench-delay-server) on its loopback, started and stopped there; this
# needs root (unshare --net). The full run takes about an hour (see
# docs/performance.md); run it on a quiet machine.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
cd "$(dirname "$0")/.."

all=(b1 b2 b3 insn sat b4 b5 b6 b7 b8)
usage="usage: bench/run.sh [--quick] [--runs R] [--per-origin N] [--b8-limits L,…] [--update-doc] [${all[*]}]"
quick=0
runs=5
per_origin=
b8_limits=default,1024
update_doc=0
selected=()
command_line="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=${2:?$usage}; shift ;;
    --per-origin) per_origin=${2:?$usage}; shift ;;
    --b8-limits) b8_limits=${2:?$usage}; shift ;;
    --update-doc) update_doc=1 ;;
    b1|b2|b3|insn|sat|b4|b5|b6|b7|b8) selected+=("$1") ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs takes a count" >&2; exit 2; }
[ ${#selected[@]} -gt 0 ] || selected=("${all[@]}")
[ $quick = 0 ] || [ "$command_line" != "${command_line/--runs/}" ] || runs=2

# espeak-ng, sox and lame make B1's long MP3; nginx-light serves the task
# API; openssl makes its certificate; iproute2 brings up loopback in the
# benchmark's namespace; valgrind counts instructions (insn).
tools/setup-debian.sh espeak-ng sox lame nginx-light openssl iproute2 \
  valgrind >&2

build=build-bench
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release -Dbenchmarks=true \
    -Dtests=disabled -Dexamples=disabled >&2
else
  meson configure "$build" --buildtype=release -Dbenchmarks=true >/dev/null
fi
ninja -C "$build" >&2

out=$build/bench-out
mkdir -p "$out"
tables=$out/tables.md

# B1's input: four minutes of real speech at 128 kbps CBR, made from the
# bundled speech.mp3 (44.1 kHz mono; resampled again to be sure, since
# lame at 22.05 kHz trips a CRITICAL in 1.22's mpg123audiodec). Cached.
long_mp3=$build/speech-4min.mp3
if [ ! -s "$long_mp3" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  lame --quiet --decode tools/media/speech.mp3 "$tmp/speech.wav"
  sox -D "$tmp/speech.wav" "$tmp/long.wav" repeat 25 rate 44100 trim 0 240
  lame --quiet --cbr -b 128 -m m "$tmp/long.wav" "$tmp/long.mp3"
  mv "$tmp/long.mp3" "$long_mp3"
fi

# Only Debian's plugins and ours, a registry of our own, no proxy, no
# debug output: the same conditions for every pipeline.
GST_PLUGIN_SYSTEM_PATH_1_0=$(pkg-config --variable=pluginsdir gstreamer-1.0)
export GST_PLUGIN_SYSTEM_PATH_1_0
export GST_PLUGIN_PATH_1_0=$PWD/$build/gst-plugin/gstreamer-1.0
export GST_REGISTRY=$PWD/$build/bench-registry.bin
export GST_DEBUG=0
# The tables hold µ and en dashes.
export LC_ALL=C.UTF-8
unset http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
  JIMMY_API_KEY JIMMY_API_URL G_DEBUG G_MESSAGES_DEBUG \
  JIMMY_MAX_REQUESTS_PER_ORIGIN JIMMY_MAX_REQUESTS
[ -z "$per_origin" ] || export JIMMY_MAX_REQUESTS_PER_ORIGIN=$per_origin
export BENCH_DELAY_SERVER=$PWD/$build/bench/bench-delay-server

version() { pkg-config --modversion "$1" 2>/dev/null || echo unknown; }
header() {
  local commit
  commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
  echo "| | |"
  echo "|---|---|"
  echo "| commit | \`$commit\` |"
  echo "| command | \`$command_line\` ($runs run(s) per row$([ $quick = 1 ] && echo ', quick: not for figures')) |"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| CPU | $(nproc) CPUs (\`nproc\`), $(lscpu | sed -n 's/^Model name: *//p') |"
  echo "| memory | $(free -m | awk '/^Mem:/ { print $2 }') MiB (\`free -m\`) |"
  echo "| kernel | $(uname -r) |"
  echo "| system | $(. /etc/os-release && echo "$PRETTY_NAME"), Debian $(cat /etc/debian_version) |"
  echo "| libraries | GStreamer $(version gstreamer-1.0), libsoup $(version libsoup-3.0), GLib $(version glib-2.0), json-glib $(version json-glib-1.0), $(nginx -v 2>&1 | sed 's/^nginx version: //') |"
  local limit=${JIMMY_MAX_REQUESTS_PER_ORIGIN:-}
  echo "| requests per origin | ${limit:-the default of the poller} |"
}

# The load average before each benchmark: the machine's other load.
load() { echo; echo "_($1; load average before: $(cut -d' ' -f1-3 /proc/loadavg))_"; echo; }

bin=$build/bench
serve=bench/serve.sh
b1_runs=$(( runs > 5 ? runs : 5 ))
run_one() {
  case $1 in
    b1)
      [ $quick = 1 ] && b1_runs=2
      "$bin/bench-decode" --media "$long_mp3" --runs $b1_runs --workdir "$out" ;;
    b2)
      args=(); [ $quick = 1 ] && args=(--runs 5 --flips-fast 5 --flips-slow 2)
      "$bin/bench-latency" --workdir "$out" "${args[@]}" ;;
    b3)
      args=(--runs "$runs"); [ $quick = 1 ] && args+=(--quick --n 200,1000)
      "$bin/bench-scale" --table b3 "${args[@]}" ;;
    insn)
      args=(--runs "$runs"); [ $quick = 1 ] && args+=(--quick)
      "$bin/bench-scale" --table instructions "${args[@]}" ;;
    sat)
      args=(); [ $quick = 1 ] && args=(--quick)
      "$bin/bench-scale" --table saturation "${args[@]}" ;;
    b4)
      "$bin/bench-accuracy" ;;
    b5)
      args=(--runs "$runs"); [ $quick = 1 ] && args+=(--quick)
      "$bin/bench-scale" --table b5 "${args[@]}" ;;
    b6)
      "$serve" -- "$bin/bench-busblock" --runs "$runs" ;;
    b7)
      "$bin/bench-live" --runs "$runs" ;;
    b8)
      args=(--runs "$runs" --limits "$b8_limits")
      [ $quick = 1 ] && args+=(--quick --n 1000)
      "$bin/bench-scale" --table b8 "${args[@]}" ;;
  esac
}

# Each benchmark's part also goes to $out/NAME.md, for --update-doc.
rm -f "$out"/*.md "$out/failed"
{ echo "# jimmyaudiosrc benchmarks"; echo; } >"$tables"
header | tee -a "$tables" >"$out/header.md"
cat "$out/header.md"
status=0
for b in "${selected[@]}"; do
  {
    load "$b"
    # A benchmark that fails says so in the tables and the others still run.
    if ! run_one "$b"; then
      echo "**$b failed** (see the run's stderr)."
      touch "$out/failed"
    fi
  } | tee "$out/$b.md" | tee -a "$tables"
done
[ ! -e "$out/failed" ] || status=1
echo >&2
echo "Tables written to $tables" >&2

# Replace what lies between each pair of markers whose part this run
# made; parts not run keep what the doc had.
if [ $update_doc = 1 ]; then
  awk -v dir="$out" '
    /^<!-- bench-run:[a-z0-9]+ -->$/ {
      print
      name = $0; sub(/^<!-- bench-run:/, "", name); sub(/ -->$/, "", name)
      file = dir "/" name ".md"
      skip = 0
      while ((getline line < file) > 0) { print line; skip = 1 }
      close(file)
      next
    }
    /^<!-- \/bench-run:[a-z0-9]+ -->$/ { skip = 0 }
    !skip { print }
  ' docs/performance.md >"$out/performance.md.new"
  mv "$out/performance.md.new" docs/performance.md
  echo "docs/performance.md updated from $out" >&2
fi
exit $status
