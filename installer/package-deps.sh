#!/usr/bin/env bash
# Installs what building and checking the package needs, beyond installer/setup-build-host.sh:
#   appstream           appstreamcli, validates the AppStream metainfo
#   desktop-file-utils  desktop-file-validate, validates the .desktop entry
#   librsvg2-bin        rsvg-convert, renders the icon PNGs from the SVG (installer/render-icons.sh)
#   xvfb                the X server the launcher's AOT cache is trained under (package.sh)
# dpkg-deb is part of dpkg (always there on Debian); jpackage comes with the JDK.
# Idempotent; needs root to install, otherwise says what to install.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/ensure-debs.sh"
ensure_debs package-deps appstream desktop-file-utils librsvg2-bin xvfb
