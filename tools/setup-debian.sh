#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12 or 13,
# and nothing when it is all there already: a second run needs no root.
#
# Usage: tools/setup-debian.sh [extra-package …]
#
# A name may list alternatives, "a|b", as in debian/control: it counts as
# installed when one of them is, or when an installed package provides
# one of them (a virtual name); otherwise the first that the archive has
# is installed.
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
  # (Debian 13 renamed the package; the old name is a virtual one there)
  "libsoup-2.4-1|libsoup2.4-1"
  "$@"
)

# Names that installed packages provide, one a line.
provided=$(dpkg-query -W -f='${db:Status-Status} ${Provides}\n' 2>/dev/null |
  sed -n 's/^installed //p' | tr ',' '\n' | sed 's/([^)]*)//; s/^ *//; s/ *$//')

is_installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)
  [ "$status" = installed ] || grep -qxF -- "$1" <<<"$provided"
}

# The first alternative the archive has a candidate for.
installable() {
  local name candidate
  for name in "$@"; do
    candidate=$(apt-cache policy "$name" 2>/dev/null | sed -n 's/^ *Candidate: //p')
    if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
      echo "$name"
      return
    fi
  done
  echo "$1"
}

missing=()
for p in "${packages[@]}"; do
  IFS='|' read -r -a alternatives <<<"$p"
  found=
  for a in "${alternatives[@]}"; do
    if is_installed "$a"; then found=$a; break; fi
  done
  [ -n "$found" ] || missing+=("$p")
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
chosen=()
for p in "${missing[@]}"; do
  IFS='|' read -r -a alternatives <<<"$p"
  chosen+=("$(installable "${alternatives[@]}")")
done
# Another apt-get (a parallel set-up) holds the lock for a while at most.
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q \
  --no-install-recommends -o DPkg::Lock::Timeout=600 "${chosen[@]}"
