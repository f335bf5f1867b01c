#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12, and
# nothing when it is all there already (so a warm run stays fast).
#
# Usage: tools/setup-debian.sh [extra-package …]
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  # run: souphttpsrc, decodebin, mpg123, wavenc; gst-launch/gst-inspect;
  # gst-play-1.0 and gst-discoverer-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-tools gstreamer1.0-plugins-base-apps
  glib-networking
  # examples: the RTSP server, and the Python one
  libgstrtspserver-1.0-dev gir1.2-gst-rtsp-server-1.0
  python3 python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0
  # tests: the plugin refuses to load where libsoup 2 already is
  libsoup2.4-1
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install sudo." >&2; exit 1; }
  sudo=(sudo)
fi
# A fresh machine's package lists may be empty: update them once (the CI
# steps each call this script; one update an hour is enough), then install.
stamp=${TMPDIR:-/tmp}/jimmyaudiosrc-apt-updated
if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
  "${sudo[@]}" apt-get update -q
  touch "$stamp"
fi
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
