#!/usr/bin/env bash
# GUI benchmark (docs/PERFORMANCE.md, "GUI"): the real window under Xvfb, the real agent, and the
# self-test workload pushed to about 100k samples/s. Measures the app JVM only (not the agent, not
# the workload, not Xvfb): CPU % of one core from /proc/PID/stat utime+stime, max RSS (VmHWM), frame
# lateness and kernel event -> pixel (the newest sample's sched_switch time stamp to the end of the
# frame that drew it, median and p99, counted after the warm-up) from the app's own FrameMonitor
# (-Dgc.gui.frameStats). Exits non-zero when the app's JVM crashed (a crash log in its output folder).
#
#   src/test/ui/gui-bench.sh [--seconds 60] [--warmup 30] [--pairs 5] [--pair-hz 10000]
#
# Env: GC_BUILD_DIR (default target/), GC_NATIVE_DIR (default native-agent/build; needs a
# gamer-selftest with --pairs), JAVA_HOME (JDK 25), GC_GUI_JAVA_OPTS (default: the JVM options
# ./companion starts the window with). Needs root (the agent loads BPF), Xvfb.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="${GC_BUILD_DIR:-$ROOT/target}"
NATIVE="${GC_NATIVE_DIR:-$ROOT/native-agent/build}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
# The window's own options (installer/gui-jvm-options), unless the run asks for others.
read -r -a JOPTS <<<"${GC_GUI_JAVA_OPTS:-$(grep -v '^#' "$ROOT/installer/gui-jvm-options" | tr '\n' ' ')}"
SECONDS_MEASURED=60
WARMUP=30
PAIRS=5
PAIR_HZ=10000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --pairs) PAIRS="$2"; shift 2 ;;
        --pair-hz) PAIR_HZ="$2"; shift 2 ;;
        *) echo "gui-bench: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x "$JAVA" ]] || { echo "gui-bench: no JDK 25 at $JAVA; set JAVA_HOME" >&2; exit 1; }
[[ -f "$BUILD/gamer-companion.jar" ]] || { echo "gui-bench: $BUILD/gamer-companion.jar missing; build first" >&2; exit 1; }
# shellcheck source=x-deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/x-deps.sh"
# shellcheck source=app-exit.sh
source "$(dirname "${BASH_SOURCE[0]}")/app-exit.sh"
ensure_x_tools gui-bench

OUT="$(mktemp -d /tmp/gui-bench.XXXXXX)"
APP=""
PIDS=()
# The app first (SIGTERM, waited for), then the workload, Xvfb last; a JVM crash log fails the run.
cleanup() {
    local rc=$? crashed
    if [[ -n "$APP" ]]; then
        stop_app gui-bench "$APP"
        [[ "$APP_STATUS" == 143 ]] || echo "gui-bench: the app exited with $APP_STATUS after SIGTERM (143 expected); see $OUT/app.log" >&2
    fi
    for (( i = ${#PIDS[@]} - 1; i >= 0; i-- )); do kill "${PIDS[i]}" 2>/dev/null || true; done
    wait 2>/dev/null || true
    crashed=$(crash_logs "$OUT")
    if [[ -n "$crashed" ]]; then
        echo "gui-bench: FAILED: the app's JVM crashed: $crashed" >&2
        rc=1
    fi
    exit "$rc"
}
trap cleanup EXIT

start_xvfb gui-bench "$OUT" 1280x800x24 || exit 1
PIDS+=("$XVFB_PID")
DISP="$XVFB_DISPLAY"

if "$NATIVE/gamer-selftest" --pairs 0 </dev/null >/dev/null 2>&1; [[ $? -eq 2 ]]; then
    echo "gui-bench: $NATIVE/gamer-selftest has no --pairs option: rebuild it (make -C native-agent)" >&2
    exit 1
fi
# The workload runs (GO at once) for warm-up + measurement + slack; the app watches it by pid.
TOTAL=$(( WARMUP + SECONDS_MEASURED + 20 ))
{ echo GO; sleep "$TOTAL"; } | "$NATIVE/gamer-selftest" --seconds "$TOTAL" --input-hz 1000 --sleeps 100000000 \
    --pairs "$PAIRS" --pair-hz "$PAIR_HZ" >"$OUT/selftest.out" 2>"$OUT/selftest.err" &
PIDS+=($!)
for _ in $(seq 50); do grep -q READY "$OUT/selftest.out" 2>/dev/null && break; sleep 0.1; done
WORKLOAD=$(sed -n 's/^READY //p' "$OUT/selftest.out")
[[ -n "$WORKLOAD" ]] || { echo "gui-bench: gamer-selftest did not start: $(cat "$OUT/selftest.err")" >&2; exit 1; }

DISPLAY="$DISP" "$JAVA" --enable-native-access=ALL-UNNAMED "${JOPTS[@]}" -Dprism.order=sw \
    "-XX:ErrorFile=$OUT/hs_err_pid%p.log" \
    "-Dgc.native.dir=$NATIVE" -Dgc.gui.autostart=true "-Dgc.gui.watch=$WORKLOAD" \
    "-Dgc.gui.frameStats=$OUT/frames.json" "-Dgc.gui.frameStats.warmupMs=$(( WARMUP * 1000 ))" \
    -cp "$BUILD/gamer-companion.jar:$BUILD/lib/*" org.gamercompanion.Main >"$OUT/app.log" 2>&1 &
APP=$!

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Per-thread ticks ("name ticks" lines): where the app's CPU goes (FX thread, ring reader, ...).
thread_ticks() {
    for t in /proc/"$1"/task/*; do
        printf '%s\t%s\n' "$(cat "$t/comm")" "$(awk '{print $14 + $15}' "$t/stat")"
    done 2>/dev/null | sort
}
frames() { cat "$OUT/frames.json" 2>/dev/null || echo '{}'; }

sleep "$WARMUP"
kill -0 "$APP" 2>/dev/null || { echo "gui-bench: the app died; see $OUT/app.log" >&2; cat "$OUT/app.log" >&2; exit 1; }
T0=$(date +%s.%N); C0=$(cpu_ticks "$APP"); F0=$(frames); thread_ticks "$APP" >"$OUT/threads0"; L0=$(cat /proc/loadavg)
sleep "$SECONDS_MEASURED"
T1=$(date +%s.%N); C1=$(cpu_ticks "$APP"); thread_ticks "$APP" >"$OUT/threads1"; L1=$(cat /proc/loadavg)
sleep 6 # FrameMonitor writes every 5 s: take a file written after T1
F1=$(frames)
HWM_KB=$(awk '/^VmHWM:/ {print $2}' "/proc/$APP/status")
grep -E '^(VmHWM|VmRSS|RssAnon|RssFile|RssShmem):' "/proc/$APP/status" >"$OUT/rss.txt"
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6} /^Rss:/{rss[name]+=$2} END{for(n in rss) if (rss[n]>4000) print rss[n] " kB " (n==""?"[anon]":n)}' \
    "/proc/$APP/smaps" | sort -rn >>"$OUT/rss.txt"
RSS_KB=$(awk '/^VmRSS:/ {print $2}' "/proc/$APP/status")
TCK=$(getconf CLK_TCK)

python3 - "$T0" "$T1" "$C0" "$C1" "$TCK" "$HWM_KB" "$RSS_KB" "$F0" "$F1" "$PAIRS" "$PAIR_HZ" "$OUT" "$L0" "$L1" <<'PY'
import collections, json, sys
t0, t1, c0, c1, tck = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
hwm, rss = int(sys.argv[6]), int(sys.argv[7])
f0, f1 = json.loads(sys.argv[8] or '{}'), json.loads(sys.argv[9] or '{}')
dt = t1 - t0
d = lambda k: f1.get(k, 0) - f0.get(k, 0)
span = max(1e-9, f1.get("seconds", 0) - f0.get("seconds", 0))
out = {
    "measured_s": round(dt, 1),
    "loadavg_start_end": [sys.argv[13], sys.argv[14]],
    "workload": {"pairs": int(sys.argv[10]), "pair_hz": int(sys.argv[11])},
    "events_per_s": round(d("events_consumed") / span),
    "events_lost": d("events_lost"),
    "app_cpu_pct_of_one_core": round(100.0 * (c1 - c0) / tck / dt, 1),
    "app_max_rss_mb": round(hwm / 1024, 1),
    "app_rss_end_mb": round(rss / 1024, 1),
    "frames": {"pulses": d("pulses"), "late_pulses": d("late_pulses"),
               "late_pulses_our_work": d("late_pulses_our_work"), "max_gap_ms_whole_run": f1.get("max_gap_ms"),
               "snapshots": d("snapshots_applied"), "canvas_draws": d("draws"),
               "draw_ms_per_s": round(d("draw_total_ms") / span, 2), "draw_max_ms_whole_run": f1.get("draw_max_ms")},
    # From the end of the warm-up to FrameMonitor's last write (at most 5 s after the measured 60 s).
    "event_to_pixel": {"frames": f1.get("event_to_pixel_frames"), "p50_ms": f1.get("event_to_pixel_p50_ms"),
                       "p90_ms": f1.get("event_to_pixel_p90_ms"), "p99_ms": f1.get("event_to_pixel_p99_ms"),
                       "max_ms": f1.get("event_to_pixel_max_ms"), "frame_end": f1.get("event_to_pixel_end")},
}
def threads(path):
    t = collections.Counter()
    for line in open(path):
        name, ticks = line.rstrip("\n").rsplit("\t", 1)
        if ticks:  # empty when the thread ended between listing and reading it
            t[name] += int(ticks)
    return t
th0, th1 = threads(sys.argv[12] + "/threads0"), threads(sys.argv[12] + "/threads1")
busy = sorted(((th1[n] - th0.get(n, 0), n) for n in th1), reverse=True)[:8]
out["cpu_pct_by_thread"] = {n: round(100.0 * d / tck / dt, 1) for d, n in busy if d > 0}
print(json.dumps(out, indent=2))
PY
echo "app RSS breakdown (/proc/PID/status, smaps mappings > 4 MB):" >&2
cat "$OUT/rss.txt" >&2
echo "gui-bench: logs in $OUT" >&2
