#!/usr/bin/env bash
# Sourced by the Xvfb scripts here: how they end the app they started (issue 11 item 9).
#
# The app is stopped first, with SIGTERM (it quits like the tray's Quit: agent, then the window), and
# waited for; only then may the caller stop Xvfb. Killing the X server under a running app is a
# different event (the app then exits through its X I/O error handler; RealAppExitTest covers it),
# and once made these scripts leave JVM crash logs behind. The JVM is started with
# -XX:ErrorFile=<the script's output folder>/hs_err_pid%p.log, and a crash log there fails the script.

# Seconds the app may take to stop after SIGTERM before it is killed (it waits up to 10 s for its window).
APP_STOP_TIMEOUT_S=20

# stop_app <script name> <pid>: SIGTERM, then waits for the app (a background child of the caller:
# call it directly, not in $(...), whose subshell cannot wait for it); SIGKILL after
# APP_STOP_TIMEOUT_S. Sets APP_STATUS to the app's exit status (143: the clean end after SIGTERM).
stop_app() {
    local name="$1" pid="$2" timer finished=""
    APP_STATUS=0
    kill -TERM "$pid" 2>/dev/null || true
    # The bound, not a synchronisation: wait -n returns as soon as the app exits.
    sleep "$APP_STOP_TIMEOUT_S" &
    timer=$!
    wait -n -p finished "$pid" "$timer" || APP_STATUS=$?
    if [[ "$finished" == "$timer" ]]; then
        echo "$name: the app did not stop within ${APP_STOP_TIMEOUT_S} s of SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        APP_STATUS=0
        wait "$pid" 2>/dev/null || APP_STATUS=$?
    fi
    kill "$timer" 2>/dev/null || true
    wait "$timer" 2>/dev/null || true
}

# crash_logs <dir>: the JVM crash logs (hs_err_pid*.log, replay_pid*.log) in dir, one a line.
crash_logs() {
    find "$1" -maxdepth 1 \( -name 'hs_err_pid*.log' -o -name 'replay_pid*.log' \) -print
}
