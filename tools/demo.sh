#!/usr/bin/env bash
# The demo: a mock SoundClone API on loopback serving real speech, and
# jimmyaudiosrc waiting for the task, then writing it to a WAV file while
# the task's status messages print.
#
# Usage: tools/demo.sh [OUTPUT.wav]        (default: jimmy-demo.wav)
#   BUILD_DIR=DIR        build there (absolute, or relative to the checkout;
#                        default build)
#   JIMMY_DEMO_SETUP=no  do not run tools/setup-debian.sh (tests/
#                        test-examples.c runs the demo so)
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-jimmy-demo.wav}

if [ "${JIMMY_DEMO_SETUP:-yes}" != no ]; then
  tools/setup-debian.sh
fi

build=${BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --buildtype=debugoptimized
fi
meson compile -C "$build"

key=sk_demo_$RANDOM$RANDOM
task=audio_16b635ba-5889-4fa5-bbcc-bf67a38c353a
log=$(mktemp)
JIMMY_MOCK_API_KEY=$key "$build/tools/jimmy-mock-server" \
  --script 'queued:1,processing:2,completed' >"$log" 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

# The server prints JIMMY_API_URL=… once it listens.
for _ in $(seq 100); do
  grep -q '^JIMMY_API_URL=' "$log" && break
  kill -0 "$server" 2>/dev/null || { echo "the mock server failed to start" >&2; exit 1; }
  sleep 0.1
done
api_url=$(sed -n 's/^JIMMY_API_URL=//p' "$log")
echo "mock SoundClone API at $api_url; polling task $task every second"

# BUILD_DIR may be absolute, or relative to the checkout.
case $build in
  /*) plugins=$build/gst-plugin/gstreamer-1.0 ;;
  *) plugins=$PWD/$build/gst-plugin/gstreamer-1.0 ;;
esac
export GST_PLUGIN_PATH="$plugins${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
JIMMY_API_URL=$api_url JIMMY_API_KEY=$key \
  "$build/examples/jimmy-play" --poll-interval 1000 "$task" "$output"

echo "wrote $output:"
gst-discoverer-1.0 "$output" | sed -n 's/^ *\(Duration\|Sample rate\|Channels\).*/  &/p' | sed 's/^ *//; s/^/  /'
