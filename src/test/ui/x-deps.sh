#!/usr/bin/env bash
# Sourced by the Xvfb scripts here: makes sure a real X window can be shown and captured (trayer: a tray
# host for the tray test, TrayXvfbRealAgentTest).
# As root it installs what is missing (Debian packages); otherwise it says what to install.
# Usage: ensure_x_tools <script name>
source "$(dirname "${BASH_SOURCE[0]}")/../../../installer/ensure-debs.sh"

ensure_x_tools() {
    ensure_debs "$1" xvfb xauth libgtk-3-0 imagemagick xdotool x11-utils trayer || exit 1
}
