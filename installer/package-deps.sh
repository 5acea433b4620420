#!/usr/bin/env bash
# Installs what building and checking the package needs, beyond installer/setup-build-host.sh:
#   appstream           appstreamcli, validates the AppStream metainfo
#   desktop-file-utils  desktop-file-validate, validates the .desktop entry
#   librsvg2-bin        rsvg-convert, renders the icon PNGs from the SVG (installer/render-icons.sh)
# dpkg-deb is part of dpkg (always there on Debian); jpackage comes with the JDK.
# Idempotent; needs root to install, otherwise says what to install.
set -euo pipefail

missing=()
for p in appstream desktop-file-utils librsvg2-bin; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $EUID -ne 0 ]]; then
    echo "package-deps: missing ${missing[*]}: apt-get install ${missing[*]}" >&2
    exit 1
fi
echo "package-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || { echo "package-deps: apt-get install ${missing[*]} failed" >&2; exit 1; }
