#!/usr/bin/env bash
# Fetch the real programs tests/test_compat_real.py runs unchanged through the
# drop-in, and the environment they run in.  Nothing fetched here is committed.
#
#   tools/fetch-real.sh DEST
#
# DEST/virtinst   virt-manager's command-line tools (Debian's virtinst package),
#                 unpacked, not installed (installing it would pull in Debian's
#                 python3-libvirt, the official binding)
# DEST/sdist/*    virtualbmc, sushy-tools and libvirt-python's sdists, unpacked
#                 (their own tests; libvirt-python's examples)
# DEST/venv       the system Python 3 (which has Debian's python3-gi, libosinfo's
#                 GObject bindings and python3-libxml2) with the programs'
#                 dependencies, but neither binding: a test puts the drop-in or
#                 the official binding on PYTHONPATH; with Ansible, for the
#                 community.libvirt modules (virt, virt_net, virt_pool, …), and
#                 kcli
# DEST/oracle     libvirt-python, the official binding (pip --target)
set -euo pipefail
dest=$1
python=${SYSTEM_PYTHON:-/usr/bin/python3}
versions=(virtualbmc==3.3.0 sushy-tools==2.2.0 libvirt-python==12.8.0)
mkdir -p "$dest/sdist"
tools/fetch-libvirt.sh bookworm virtinst "$dest/virtinst"
[ -x "$dest/venv/bin/python" ] || "$python" -m venv --system-site-packages "$dest/venv"
pip=("$dest/venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" download --no-deps --no-binary :all: -d "$dest/sdist" "${versions[@]}"
for archive in "$dest"/sdist/*.tar.gz; do tar -xzf "$archive" -C "$dest/sdist"; done
# The programs' dependencies as their requirements name them, less libvirt-python.
"${pip[@]}" install pytest 'pbr>=6.0.0' 'pyghmi>=1.2.0' 'cliff>=2.8.0' 'pyzmq>=19.0.0' \
    'Flask>=1.0.2' 'requests>=2.14.2' 'tenacity>=6.2.0' 'bcrypt>=3.1.3' 'WebOb>=1.7.1' \
    oslotest testscenarios testtools 'openstacksdk>=0.13.0' munch ansible==12.3.0 lxml
"${pip[@]}" install --no-deps "$dest"/sdist/virtualbmc-3.3.0 "$dest"/sdist/sushy_tools-2.2.0
# kcli (its libvirt provider) and what it needs, less libvirt-python.
"${pip[@]}" install argcomplete PyYAML prettytable jinja2
"${pip[@]}" install --no-deps kcli==99.0.202610251748
"${pip[@]}" install --target "$dest/oracle" --upgrade libvirt-python==12.8.0
if "$dest/venv/bin/python" -c 'import libvirt' 2>/dev/null; then
    echo "$dest/venv must not see a libvirt module of its own" >&2; exit 1
fi
touch "$dest/.ready"
