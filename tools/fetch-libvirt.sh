#!/usr/bin/env bash
# Download a libvirt package from another Debian suite and unpack it without
# installing it (see DESIGN.md "The API facts and the generator").
#
#   tools/fetch-libvirt.sh SUITE PACKAGE DEST
#
# e.g. `tools/fetch-libvirt.sh sid libvirt-dev build/libvirt-sid` leaves the
# 12.8 API XML under DEST/usr/share/libvirt/api/.  The system's apt state is
# left untouched: the suite's index goes into a private directory.
set -euo pipefail
suite=$1 package=$2 dest=$3
state=${VIRT_APT_STATE:-$(pwd)/build/apt-$suite}
mkdir -p "$state/lists/partial" "$state/archives/partial" "$dest"
: > "$state/status"  # an empty dpkg status: nothing counts as installed
cat > "$state/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
SRC
opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o "Dir::Etc::SourceParts=-"
      -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state"
      -o "Dir::Cache::archives=$state/archives" -o "APT::Get::List-Cleanup=0"
      -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
      -o "Dir::State::status=$state/status")
if [ -z "$(find "$state/lists" -name '*Packages*' -print -quit)" ]; then
    apt-get "${opts[@]}" -qq update
fi
# apt-get download writes into the current directory.
(cd "$state/archives" && apt-get "${opts[@]}" -qq download "$package")
deb=$(ls -t "$state/archives/${package}"_*.deb | head -n 1)
dpkg-deb -x "$deb" "$dest"
echo "$deb -> $dest"
