#!/usr/bin/env bash
# run.sh: builds the benchmarks optimised and runs them all, printing one
# Markdown table per benchmark (docs/performance.md explains them).
#
# Usage: bench/run.sh [--quick] [b1 b2 b3 b4 ...]
#   --quick   fewer runs and a shorter B3 window, for trying things out
#   b1..b4    run only these benchmarks (default: all)
#
# Everything runs on this machine: every server listens on 127.0.0.1,
# every loop is bounded in count and time. All four take about ten
# minutes, B3 (N = 100, 1 000, 10 000, twice) about three.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
selected=()
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    b1|b2|b3|b4) selected+=("$arg") ;;
    *) echo "usage: bench/run.sh [--quick] [b1 b2 b3 b4 ...]" >&2; exit 2 ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=(b1 b2 b3 b4)

# espeak-ng, sox and lame make the long MP3; the rest builds and runs.
tools/setup-debian.sh espeak-ng sox lame >&2

build=build-bench
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=release -Dbenchmarks=true >&2
else
  meson configure "$build" --buildtype=release -Dbenchmarks=true >/dev/null
fi
ninja -C "$build" >&2

out=$build/bench-out
mkdir -p "$out"

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
export GST_PLUGIN_SYSTEM_PATH_1_0=
GST_PLUGIN_SYSTEM_PATH_1_0=$(pkg-config --variable=pluginsdir gstreamer-1.0)
export GST_PLUGIN_PATH_1_0=$PWD/$build/gst-plugin/gstreamer-1.0
export GST_REGISTRY=$PWD/$build/bench-registry.bin
export GST_DEBUG=0
unset http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
  JIMMY_API_KEY JIMMY_API_URL G_DEBUG G_MESSAGES_DEBUG

echo "# jimmyaudiosrc benchmarks"
echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: bench/run.sh $*"
echo "nproc: $(nproc); $(lscpu | grep -E '^Model name' | sed 's/  */ /g')"
echo "memory: $(free -m | awk '/^Mem:/ { print $2 " MiB total" }')"
echo "git: $(git describe --always --dirty 2>/dev/null || echo unknown)"

for b in "${selected[@]}"; do
  echo
  echo "($b: load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  case $b in
    b1)
      runs=9; [ $quick = 1 ] && runs=3
      "$build/bench/bench-decode" --media "$long_mp3" --runs $runs \
        --workdir "$out" ;;
    b2)
      args=(); [ $quick = 1 ] && args=(--runs 10 --flips-fast 10 --flips-slow 4)
      "$build/bench/bench-latency" --workdir "$out" "${args[@]}" ;;
    b3)
      args=(); [ $quick = 1 ] && args=(--window 4)
      "$build/bench/bench-scale" --workdir "$out" "${args[@]}" ;;
    b4)
      "$build/bench/bench-accuracy" ;;
  esac
done
