#!/usr/bin/env bash
# Sourced by the Xvfb scripts here: makes sure a real X window can be shown and captured (trayer: a tray
# host for the tray test, TrayXvfbRealAgentTest).
# As root it installs what is missing (Debian packages); otherwise it says what to install.
# Usage: ensure_x_tools <script name>
source "$(dirname "${BASH_SOURCE[0]}")/../../../installer/ensure-debs.sh"

ensure_x_tools() {
    ensure_debs "$1" xvfb xauth libgtk-3-0 imagemagick xdotool x11-utils trayer || exit 1
}

# start_xvfb WHO DIR SCREEN (e.g. 1280x800x24): an Xvfb on a display number it picks free itself
# (-displayfd: no guessed number that another X server, another run or a test already holds), and
# returns once it accepts clients (it writes the number only then). Sets XVFB_PID and XVFB_DISPLAY;
# its log is DIR/xvfb.log.
start_xvfb() {
    local who=$1 dir=$2 screen=$3 fifo="$2/xvfb.displayfd" n=""
    mkfifo "$fifo"
    Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp 3>"$fifo" >"$dir/xvfb.log" 2>&1 &
    XVFB_PID=$!
    read -r -t 30 n <"$fifo" || true
    rm -f "$fifo"
    if [[ ! "$n" =~ ^[0-9]+$ ]]; then
        echo "$who: Xvfb did not start within 30 s (see $dir/xvfb.log)" >&2
        return 1
    fi
    XVFB_DISPLAY=":$n"
}
