#!/bin/sh
# Install the system libraries WeasyPrint and the test suite need, where apt-get is available.
# Pango renders text; libharfbuzz-subset0 lets WeasyPrint subset fonts several times faster;
# poppler-utils gives pdftoppm for looking at letters as images.
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils ${EXTRA_SYSTEM_PACKAGES:-}"

missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "letterhouse: please install these system libraries yourself:$missing (see README)" >&2
    exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "letterhouse: not root and no sudo; please install:$missing (see README)" >&2
    exit 0
fi
echo "letterhouse: installing system packages:$missing"
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
