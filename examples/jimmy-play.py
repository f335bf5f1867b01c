#!/usr/bin/env python3
# jimmy-play.py: plays a SoundClone task, or writes it to a WAV file,
# printing each status the service reports.
#
#   JIMMY_API_KEY=sk_... jimmy-play.py audio_16b635ba-...           # speakers
#   JIMMY_API_KEY=sk_... jimmy-play.py audio_16b635ba-... out.wav   # a file
#
# The API url comes from $JIMMY_API_URL (default https://www.jimmyai.cn).
# Exit status: 0 once the audio ended, 1 on an error, 130 on Ctrl-C.
# SPDX-License-Identifier: LGPL-2.1-or-later
import argparse
import sys

import gi
gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst

parser = argparse.ArgumentParser()
parser.add_argument("--poll-interval", type=int, default=5000, metavar="MS")
parser.add_argument("task_id")
parser.add_argument("output", nargs="?", help="a WAV file to write")
args = parser.parse_args()

sys.stdout.reconfigure(line_buffering=True)  # each status as it comes
Gst.init(None)
sink = "wavenc ! filesink name=sink" if args.output else "autoaudiosink"
try:
    pipeline = Gst.parse_launch(f"jimmyaudiosrc name=src ! audioconvert ! "
                                f"audioresample ! {sink}")
except GLib.Error as e:  # an element that is not installed, for one
    hint = (": the jimmy plugin is not installed, or not on GST_PLUGIN_PATH"
            " (see docs/packaging.md)" if "jimmyaudiosrc" in e.message
            else "")
    print(f"jimmy-play: {e.message}{hint}", file=sys.stderr)
    sys.exit(1)
src = pipeline.get_by_name("src")  # the key comes from $JIMMY_API_KEY
src.set_property("task-id", args.task_id)
src.set_property("poll-interval", args.poll_interval)
if args.output:
    pipeline.get_by_name("sink").set_property("location", args.output)

pipeline.set_state(Gst.State.PLAYING)
bus, status = pipeline.get_bus(), 1
wanted = (Gst.MessageType.ELEMENT | Gst.MessageType.PROGRESS
          | Gst.MessageType.ERROR | Gst.MessageType.EOS)
try:
    while True:
        # A bounded wait: Python runs its Ctrl-C handler only between
        # calls, so an endless one would never see it.
        msg = bus.timed_pop_filtered(100 * Gst.MSECOND, wanted)
        if msg is None:
            continue
        s = msg.get_structure()
        if (msg.type == Gst.MessageType.ELEMENT
                and s.has_name("jimmy-task-status")):
            why = f" ({s.get_string('error')})" if s.has_field("error") else ""
            print(f"task {s.get_string('task-id')}: "
                  f"{s.get_string('status')}{why}")
        elif msg.type == Gst.MessageType.PROGRESS and msg.src == src:
            kind, code, text = msg.parse_progress()
            if kind != Gst.ProgressType.ERROR:  # the error says it, once
                print("  " + text)
        elif msg.type == Gst.MessageType.ERROR:
            print(f"jimmy-play: {msg.parse_error()[0].message}",
                  file=sys.stderr)
            break
        elif msg.type == Gst.MessageType.EOS:
            print("done")
            status = 0
            break
except KeyboardInterrupt:
    status = 130
pipeline.set_state(Gst.State.NULL)
sys.exit(status)
