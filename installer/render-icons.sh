#!/usr/bin/env bash
# Renders the app icon's PNGs from assets/icons/org.gamercompanion.GamerCompanion.svg:
#   assets/icons/hicolor/<N>x<N>/apps/org.gamercompanion.GamerCompanion.png   (the package's icon theme sizes)
#   app/src/main/resources/org/gamercompanion/icons/gamer-companion-<N>.png    (window and tray icon)
# The PNGs are committed, so that neither the build nor the package needs librsvg: run this after
# editing the SVG and commit the result.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SVG="$ROOT/assets/icons/org.gamercompanion.GamerCompanion.svg"
"$ROOT/installer/package-deps.sh"

for n in 16 24 32 48 64 128 256 512; do
    d="$ROOT/assets/icons/hicolor/${n}x${n}/apps"
    mkdir -p "$d"
    rsvg-convert -w "$n" -h "$n" "$SVG" -o "$d/org.gamercompanion.GamerCompanion.png"
done
res="$ROOT/app/src/main/resources/org/gamercompanion/icons"
mkdir -p "$res"
for n in 16 32 64 256; do
    cp "$ROOT/assets/icons/hicolor/${n}x${n}/apps/org.gamercompanion.GamerCompanion.png" "$res/gamer-companion-$n.png"
done
echo "render-icons: wrote assets/icons/hicolor/*/apps and app/src/main/resources/org/gamercompanion/icons"
