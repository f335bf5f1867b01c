#!/bin/sh
# make-media.sh: regenerate speech.mp3 and speech.srt from scratch.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Needs espeak-ng, sox (with soxi) and lame. Each sentence is spoken
# into its own WAV so the subtitle cues can use the measured durations.
#
# The audio is resampled to 44.1 kHz before encoding: an MP3 made by lame
# at espeak's native 22.05 kHz trips a CRITICAL in the mpg123audiodec of
# GStreamer 1.22 on the LAME header frame.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

voice=en-us
speed=170

set -- \
  "Hello from the Jimmy audio source." \
  "This voice stands in for a cloned SoundClone voice." \
  "The element polls the task, then streams the audio." \
  "It was generated offline for the tests."

n=0
parts=
for sentence in "$@"; do
  n=$((n + 1))
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/part$n.wav" "$sentence"
  parts="$parts $tmp/part$n.wav"
done

# One mono 44.1 kHz WAV, normalised to -1 dBFS so resampling cannot
# clip, then a 128 kbps CBR MP3 without ID3 tags.
# sox -D: no dither, whose noise is random, so the bytes only depend on
# the tools' versions.
# shellcheck disable=SC2086
sox -D $parts "$tmp/speech.wav" gain -n -1 rate 44100
lame --quiet --cbr -b 128 -m m "$tmp/speech.wav" "$here/speech.mp3"

# SRT cues from the measured length of every sentence.
: > "$tmp/speech.srt"
start=0
i=0
for sentence in "$@"; do
  i=$((i + 1))
  len=$(soxi -D "$tmp/part$i.wav")
  awk -v i="$i" -v start="$start" -v len="$len" -v text="$sentence" '
    function stamp(t,  ms) {
      ms = int(t * 1000 + 0.5)
      return sprintf("%02d:%02d:%02d,%03d", int(ms / 3600000),
          int(ms / 60000) % 60, int(ms / 1000) % 60, ms % 1000)
    }
    BEGIN {
      printf "%d\n%s --> %s\n%s\n\n", i, stamp(start), stamp(start + len), text
    }' >> "$tmp/speech.srt"
  start=$(awk -v a="$start" -v b="$len" 'BEGIN { printf "%.6f", a + b }')
done
mv "$tmp/speech.srt" "$here/speech.srt"

echo "wrote $here/speech.mp3 ($(wc -c < "$here/speech.mp3") bytes) and $here/speech.srt"
