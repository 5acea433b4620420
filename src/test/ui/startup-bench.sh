#!/usr/bin/env bash
# Start-up benchmark (docs/PERFORMANCE.md, "Start-up"): process start -> the first frame of the
# window drawn, the real window under Xvfb, as ./companion opens it (the agent starts with it).
# The app writes the moment its renderer has presented the first frame of the scene
# (-Dgc.gui.firstFrame, app/FirstFrame.java); this script takes its clock just before it starts
# java. Each run is a fresh JVM; the app is stopped (SIGTERM) once the marker is there.
#
#   src/test/ui/startup-bench.sh [--runs 5] [--app-image DIR] [--versus "JVM OPTIONS" | --versus-app-image DIR]
#
#   --app-image         start DIR/bin/gamer-companion (an app image of ./companion package, its
#                       launcher's own options and AOT cache) instead of java -cp the build
#   --versus            a second set of JVM options (B), run alternately with the first (A B A B
#                       ...): both medians come from the same minutes of the machine
#   --versus-app-image  B is the app image DIR (e.g. a copy without its AOT cache)
#
# Env: GC_BUILD_DIR (default target/), GC_NATIVE_DIR (default native-agent/build), JAVA_HOME (JDK 25),
# GC_GUI_JAVA_OPTS (default: installer/gui-jvm-options, as ./companion). Needs Xvfb; root for the agent.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
BUILD="${GC_BUILD_DIR:-$ROOT/target}"
NATIVE="${GC_NATIVE_DIR:-$ROOT/native-agent/build}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
OPTS_A="${GC_GUI_JAVA_OPTS:-$(grep -v '^#' "$ROOT/installer/gui-jvm-options" | tr '\n' ' ')}"
OPTS_B=""
IMAGE_A=""
IMAGE_B=""
RUNS=5
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --versus) OPTS_B="$2"; shift 2 ;;
        --app-image) IMAGE_A="$2"; shift 2 ;;
        --versus-app-image) IMAGE_B="$2"; shift 2 ;;
        *) echo "startup-bench: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -x "$JAVA" ]] || { echo "startup-bench: no JDK 25 at $JAVA; set JAVA_HOME" >&2; exit 1; }
[[ -f "$BUILD/gamer-companion.jar" ]] || { echo "startup-bench: $BUILD/gamer-companion.jar missing; build first" >&2; exit 1; }
# shellcheck source=x-deps.sh
source "$(dirname "${BASH_SOURCE[0]}")/x-deps.sh"
# shellcheck source=app-exit.sh
source "$(dirname "${BASH_SOURCE[0]}")/app-exit.sh"
ensure_x_tools startup-bench

OUT="$(mktemp -d /tmp/startup-bench.XXXXXX)"
APP=""
XVFB=""
cleanup() {
    local rc=$? crashed
    [[ -z "$APP" ]] || stop_app startup-bench "$APP"
    [[ -z "$XVFB" ]] || kill "$XVFB" 2>/dev/null || true
    wait 2>/dev/null || true
    crashed=$(crash_logs "$OUT")
    if [[ -n "$crashed" ]]; then
        echo "startup-bench: FAILED: the app's JVM crashed: $crashed" >&2
        rc=1
    fi
    exit "$rc"
}
trap cleanup EXIT

start_xvfb startup-bench "$OUT" 1280x800x24 || exit 1
XVFB="$XVFB_PID"
DISP="$XVFB_DISPLAY"

# run <label> <options> <app image or ""> <n>: one start; appends "label ms_from_launch".
run() {
    local label="$1" image="$3" n="$4" marker="$OUT/first-frame-$1-$4.json" opts common t0
    read -r -a opts <<<"$2"
    common="-Dprism.order=sw -XX:ErrorFile=$OUT/hs_err_pid%p.log -Dgc.native.dir=$NATIVE -Dgc.gui.firstFrame=$marker"
    t0=$(date +%s%3N)
    if [[ -n "$image" ]]; then
        DISPLAY="$DISP" JAVA_TOOL_OPTIONS="$common" "$image/bin/gamer-companion" >"$OUT/app-$label-$n.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # common: options without spaces inside
        DISPLAY="$DISP" "$JAVA" --enable-native-access=ALL-UNNAMED "${opts[@]}" $common \
            -cp "$BUILD/gamer-companion.jar:$BUILD/lib/*" org.gamercompanion.Main >"$OUT/app-$label-$n.log" 2>&1 &
    fi
    APP=$!
    # Polls for the marker (bounded: 60 s); the figure itself comes from the app's clock.
    for _ in $(seq 600); do
        [[ -f "$marker" ]] && break
        kill -0 "$APP" 2>/dev/null || break
        sleep 0.1
    done
    [[ -f "$marker" ]] || { echo "startup-bench: no first frame in run $label $n; see $OUT/app-$label-$n.log" >&2; exit 1; }
    stop_app startup-bench "$APP"
    APP=""
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sys.argv[2], m["epoch_ms"]-int(sys.argv[3]))' \
        "$marker" "$label" "$t0" >>"$OUT/runs.txt"
}

for n in $(seq "$RUNS"); do
    run A "$OPTS_A" "$IMAGE_A" "$n"
    [[ -z "$OPTS_B$IMAGE_B" ]] || run B "$OPTS_B" "$IMAGE_B" "$n"
done

what() { if [[ -n "$2" ]]; then echo "app image $2"; else echo "$1"; fi; }
python3 - "$OUT/runs.txt" "$(what "$OPTS_A" "$IMAGE_A")" "$(what "$OPTS_B" "$IMAGE_B")" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, launch = line.split()
    runs.setdefault(label, []).append(int(launch))
out = {}
for label, opts in (("A", sys.argv[2]), ("B", sys.argv[3])):
    if label not in runs:
        continue
    r = runs[label]
    out[label] = {"started": " ".join(opts.split()),
                  "first_frame_ms": r, "median_ms": statistics.median(r)}
print(json.dumps(out, indent=2))
PY
echo "startup-bench: logs in $OUT" >&2
