#!/bin/sh
# Issue 6's tray test in the VM guest, where sched_ext exists: TrayScenario (src/test/java, shared
# with TrayXvfbRealAgentTest) starts Xvfb, trayer and the app's desktop side with the real agent,
# turns the scheduler on from the tray menu (the agent, the item's label and
# /sys/kernel/sched_ext agree on "enabled gamer"), off with ctrl+shift+F10 through xdotool and
# JNativeHook, and quits from the menu. Called by guest.sh (chroot into the host root, as root):
#   tray.sh RUN OUT
# RUN: run.sh's run directory (app/, native/, java.home, and tray-classes/: TrayScenario and
# TrayHarness compiled against the app jar); OUT: the writable result share.
# Writes OUT/tray.json (what was shown; "reason" names the failed step, null on success) and
# OUT/tray.log, OUT/tray-*.log (the scenario's, the app's, Xvfb's and trayer's output).
# Exit status: 0 when the scenario passed.
set -u
RUN=$1 OUT=$2
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# JavaFX's and fontconfig's caches go under HOME; the host root is read-only, /tmp is a tmpfs.
export HOME=/tmp
JH=$(cat "$RUN/java.home")
W=/tmp/gc-tray
rm -rf "$W" && mkdir -p "$W"

fail() {
    printf '{"sched_ext": %s, "reason": "%s"}\n' \
        "$([ -d /sys/kernel/sched_ext ] && echo true || echo false)" "$1" > "$OUT/tray.json"
    echo "GCVM tray: $1"
    exit 1
}

for t in Xvfb trayer xdotool xwininfo; do
    command -v "$t" >/dev/null || fail "$t not installed on the host (src/test/ui/x-deps.sh installs it)"
done
[ -f "$RUN/tray-classes/org/gamercompanion/app/TrayScenario.class" ] || fail "no $RUN/tray-classes (run.sh compiles them)"

# C1 only and the serial GC for both JVMs: under TCG the JIT's compile threads compete with the
# app for the two vCPUs. 240 s for the harness to report the agent running (JavaFX, AWT and the
# agent's BPF load under TCG), 90 s for every other step. RUN/app/lib is read-only here, as an
# installed package's jars are to the player: the app must unpack JNativeHook's library into the
# user's cache (HOME=/tmp), so no jnativehook.lib.path is given and the hotkey step tests that.
opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/tmp"
# shellcheck disable=SC2086
"$JH/bin/java" $opts "-Dgc.native.dir=$RUN/native" \
    -cp "$RUN/app/gamer-companion.jar:$RUN/app/lib/*:$RUN/tray-classes" \
    org.gamercompanion.app.TrayScenario "$W" "$OUT/tray.json" 240 90 $opts > "$OUT/tray.log" 2>&1
rc=$?
for f in "$W"/*.log; do
    [ -f "$f" ] && cp "$f" "$OUT/tray-$(basename "$f")"
done
[ -s "$OUT/tray.json" ] || fail "TrayScenario wrote no result (exit $rc, see tray.log)"
echo "GCVM tray: $(cat "$OUT/tray.json")"
exit "$rc"
