#!/usr/bin/env bash
# Runs a command on a copy of this checkout inside a Debian 13 (trixie)
# root, made once with debootstrap and kept in a cache folder; each run
# refreshes its packages first.
#
# Usage: .ci/debian13.sh [COMMAND …]     (default: tools/run-tests.sh)
#   JIMMY_ROOT_CACHE   where the root is kept (default
#                      /var/cache/gst-jimmy-ci; the root is trixie/ in it)
#   JIMMY_DEBIAN_MIRROR, JIMMY_DEBIAN_SECURITY
#                      the archive and security URLs (default: the ones
#                      this machine's own apt sources name)
#
# The command runs as root in /work/gst-jimmy of the root, a fresh copy
# of what git would commit here; runs wait for each other. /proc, /sys,
# /dev and /dev/pts are mounted only while the refresh and the command
# run, and a trap unmounts them whatever happens. Nothing copies or walks the root while
# they are mounted. Exits with the command's status.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "debian13: must run as root (chroot)" >&2; exit 1; }
[ $# -gt 0 ] || set -- tools/run-tests.sh

cache=${JIMMY_ROOT_CACHE:-/var/cache/gst-jimmy-ci}
root=$cache/trixie

# One run at a time uses the root: the next one waits here.
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

# --- the archive, as this machine's apt sources name it ----------------
# Both one-line (sources.list) and deb822 (*.sources) files are read.
apt_uris() {
  {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }'
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }'
  } | grep -v '^$' || true
}
mirror=${JIMMY_DEBIAN_MIRROR:-$(apt_uris | grep -v -- '-security' | grep '/debian/*$' | head -n 1)}
security=${JIMMY_DEBIAN_SECURITY:-$(apt_uris | grep -- '-security/*$' | head -n 1)}
[ -n "$mirror" ] || { echo "debian13: no Debian archive in /etc/apt; set JIMMY_DEBIAN_MIRROR" >&2; exit 1; }
[ -n "$security" ] || security=${mirror%/debian}/debian-security

# --- mounts: only while something runs in the root ---------------------
mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  mounted=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM
mount_in_root() {
  local type=$1 what=$2 where=$root$3
  if mountpoint -q "$where"; then
    echo "debian13: $where is already mounted (another run?); refusing to share it" >&2
    exit 1
  fi
  if [ "$type" = bind ]; then
    mount --bind "$what" "$where"
  else
    mount -t "$type" "$what" "$where"
  fi
  mounted+=("$where")
}
mount_root() {
  mount_in_root proc proc /proc
  mount_in_root sysfs sysfs /sys
  mount_in_root bind /dev /dev
  mount_in_root devpts devpts /dev/pts
}
in_root() {
  chroot "$root" /usr/bin/env -i \
    HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive CI="${CI:-}" TERM=dumb "$@"
}

# --- the root: made once, then refreshed --------------------------------
if [ ! -f "$root/.gst-jimmy-root" ]; then
  command -v debootstrap >/dev/null || {
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  }
  rm -rf "$root.new"  # a half-made root from an interrupted run
  echo "debian13: making the root with debootstrap (a few minutes)"
  debootstrap --variant=minbase trixie "$root.new" "$mirror"
  cat >"$root.new/etc/apt/sources.list" <<EOF
deb $mirror trixie main
deb $mirror trixie-updates main
deb $security trixie-security main
EOF
  # Tests make files in /tmp; the root's own is used, not the host's.
  touch "$root.new/.gst-jimmy-root"
  mv "$root.new" "$root"
fi

# A fresh copy of the tree, made while nothing is mounted in the root.
rm -rf "$root/work/gst-jimmy"
mkdir -p "$root/work/gst-jimmy"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do
    if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
  done |
  tar --null -T - -cf - | tar -xf - -C "$root/work/gst-jimmy"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount_root
echo "debian13: refreshing the root's packages"
in_root apt-get update -q
in_root apt-get dist-upgrade -y -q --no-install-recommends
status=0
in_root /bin/sh -c 'cd /work/gst-jimmy && exec "$@"' sh "$@" || status=$?
unmount_all
exit $status
