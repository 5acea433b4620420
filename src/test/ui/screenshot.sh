#!/usr/bin/env bash
# Takes docs/screenshot.png: the real window under Xvfb (software rendering) with self-test data.
#
#   src/test/ui/screenshot.sh [OUT.png]      (default docs/screenshot.png; ./companion screenshot)
#
# Env: GC_BUILD_DIR (default target/), GC_NATIVE_DIR (default native-agent/build), JAVA_HOME,
# GC_SCREENSHOT_WAIT (seconds of self-test data before the shot, default 20), GC_SCREENSHOT_SCREEN
# (the X screen, default 1280x800; docs/screenshot-1366x768.png is taken at 1366x768).
# Needs root (the agent loads BPF) and: apt-get install xvfb xauth libgtk-3-0 imagemagick xdotool x11-utils
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="${GC_BUILD_DIR:-$ROOT/target}"
NATIVE="${GC_NATIVE_DIR:-$ROOT/native-agent/build}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
OUT="${1:-$ROOT/docs/screenshot.png}"
WAIT="${GC_SCREENSHOT_WAIT:-20}"
SCREEN="${GC_SCREENSHOT_SCREEN:-1280x800}"
# shellcheck source=x-deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/x-deps.sh"
# shellcheck source=app-exit.sh
source "$(dirname "${BASH_SOURCE[0]}")/app-exit.sh"
ensure_x_tools screenshot
[[ -f "$BUILD/gamer-companion.jar" ]] || { echo "screenshot: $BUILD/gamer-companion.jar missing; build first" >&2; exit 1; }

LOGDIR="$(mktemp -d /tmp/screenshot.XXXXXX)"
# Every shot is a first start: the window's remembered place (and any other state) stays out of it.
export XDG_STATE_HOME="$LOGDIR/state"
LOG="$LOGDIR/app.log"
APP=""
PIDS=()
# The app first (SIGTERM, waited for), Xvfb after it; a JVM crash log fails the run.
cleanup() {
    local rc=$? crashed
    if [[ -n "$APP" ]]; then
        stop_app screenshot "$APP"
        [[ "$APP_STATUS" == 143 ]] || echo "screenshot: the app exited with $APP_STATUS after SIGTERM (143 expected); log: $LOG" >&2
    fi
    for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do kill "${PIDS[i]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    crashed=$(crash_logs "$LOGDIR")
    if [[ -n "$crashed" ]]; then
        echo "screenshot: FAILED: the app's JVM crashed: $crashed" >&2
        rc=1
    fi
    exit "$rc"
}
trap cleanup EXIT

start_xvfb screenshot "$LOGDIR" "${SCREEN}x24" || exit 1
PIDS+=("$XVFB_PID")
DISP="$XVFB_DISPLAY"

read -r -a GUI_OPTS <<<"$(grep -v '^#' "$ROOT/installer/gui-jvm-options" | tr '\n' ' ')"
DISPLAY="$DISP" "$JAVA" --enable-native-access=ALL-UNNAMED "${GUI_OPTS[@]}" -Dprism.order=sw \
    "-XX:ErrorFile=$LOGDIR/hs_err_pid%p.log" "-Dgc.native.dir=$NATIVE" -Dgc.gui.autostart=true -Dgc.gui.selftest=true \
    -cp "$BUILD/gamer-companion.jar:$BUILD/lib/*" org.gamercompanion.Main >"$LOG" 2>&1 &
APP=$!

for _ in $(seq 60); do
    WID=$(DISPLAY="$DISP" xdotool search --name '^Gamer Companion$' 2>/dev/null | head -1 || true)
    [[ -n "$WID" ]] && break
    kill -0 "$APP" 2>/dev/null || { echo "screenshot: the app exited; log:" >&2; cat "$LOG" >&2; exit 1; }
    sleep 0.5
done
[[ -n "${WID:-}" ]] || { echo "screenshot: no 'Gamer Companion' window after 30 s; log: $LOG" >&2; exit 1; }
# Bare Xvfb has no window manager: put the window at the origin, then let self-test data accumulate.
DISPLAY="$DISP" xdotool windowmove "$WID" 0 0
sleep "$WAIT"
DISPLAY="$DISP" import -window root "$OUT"
echo "screenshot: wrote $OUT"
