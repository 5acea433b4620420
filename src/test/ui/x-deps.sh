#!/usr/bin/env bash
# Sourced by the Xvfb scripts here: makes sure a real X window can be shown and captured (trayer: a tray
# host for the tray test, TrayXvfbRealAgentTest).
# As root it installs what is missing (Debian packages); otherwise it says what to install.
# Usage: ensure_x_tools <script name>
ensure_x_tools() {
    local pkgs=(xvfb xauth libgtk-3-0 imagemagick xdotool x11-utils trayer) missing=() p
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ $EUID -ne 0 ]]; then
        echo "$1: missing ${missing[*]}: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "$1: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
        || { echo "$1: apt-get install ${missing[*]} failed" >&2; exit 1; }
}
