#!/bin/sh
# The VM test inside the guest (chroot into the host's root, as root). Started by init.sh:
#   guest.sh RUN OUT KEYS INTERVAL_MS REPS HOGS
# RUN: the run directory prepared by run.sh (native/, app/, bin/fakegame, java.home);
# OUT: the writable 9p share (results, and the key-injection handshake with the host driver:
# the guest writes req-<phase>, the host injects KEYS key presses over QMP and writes ack-<phase>).
# Phases: killtest (raw agent, kill -9), restart (CPU hotplug ends the scheduler with
# SCX_ECODE_ACT_RESTART), foreign (someone else's scheduler is reported, never replaced), then
# REPS x (default, gamer) recordings with the real Java `record` CLI, the game-like program and
# HOGS CPU hogs (the per-key sample checks), then a sysrq-S recording, then two runs of the `ab`
# command with the host's fast key stream (ab2: default vs gamer; ab3: default vs gamer vs
# scx_simple, built by run.sh from the kernel's tools/sched_ext), then the tray test (tray.sh).
set -u
RUN=$1 OUT=$2 KEYS=$3 INTERVAL_MS=$4 REPS=$5 HOGS=$6
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp
JH=$(cat "$RUN/java.home")
log() { echo "GCVM $*"; }

dev_node() {
    awk '/^N: Name="AT Translated Set 2 keyboard"/ {k=1} k && /^H: Handlers=/ {
        for (i = 2; i <= NF; i++) if ($i ~ /^event/) { print "/dev/input/" $i; exit } }' \
        /proc/bus/input/devices
}

wait_for() { # seconds command...: polls command until it succeeds or the seconds have passed
    end=$(($(date +%s) + $1)); shift
    while [ "$(date +%s)" -lt "$end" ]; do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

# True when the agent's "watched" map holds the pid (the map has BTF: bpftool prints "key": <n>).
watched() {
    bpftool map dump name watched 2>/dev/null | grep -Eq "\"key\": $1,?\$"
}

# The real Java CLI as a command (agentctl.py runs it too): /tmp/gc ARGS...
cat > /tmp/gc <<EOF
#!/bin/sh
exec "$JH/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \\
    -Djava.io.tmpdir=/tmp "-Dgc.native.dir=$RUN/native" \\
    -cp "$RUN/app/gamer-companion.jar:$RUN/app/lib/*" org.gamercompanion.Main "\$@"
EOF
chmod +x /tmp/gc

record() { # sched(on|off) seconds gamepid out [more record options]
    r_sched=$1 r_secs=$2 r_pid=$3 r_json=$4
    shift 4
    /tmp/gc record --watch "$r_pid" --seconds "$r_secs" --scheduler "$r_sched" --json "$@" > "$r_json" 2> "$r_json.err"
}

# phase NAME SCHED(on|off) HOGS KEYS SYSRQ(0|1)
phase() {
    name=$1 sched=$2 hogs=$3 keys=$4 sysrq=$5
    # The recording must outlast the readiness check, the hogs' start and the injection. A fixed
    # length guessed from the key count was sometimes too short on a loaded host (QMP and the vCPUs
    # slow down together) and lost the last keys' samples; the A/B phases therefore record until
    # the game exits, which this script decides after the host's ack (the length is only a bound).
    # The sysrq phase keeps a fixed length: the scheduler's exit must reach the recording first.
    if [ "$sysrq" = 1 ]; then
        secs=$((15 + keys * INTERVAL_MS / 1000)) until=""
    else
        secs=300 until="--until-exit"
    fi
    log "phase $name: scheduler $sched, $hogs hogs, $keys keys, record ${until:-$secs s}"
    "$RUN/bin/fakegame" game "$DEV" 600 > "$OUT/$name.game" 2>&1 &
    game=$!
    wait_for 30 grep -q READY "$OUT/$name.game" || { log "phase $name: game did not start"; return 1; }
    t0=$(date +%s)
    # shellcheck disable=SC2086
    record "$sched" "$secs" "$game" "$OUT/$name.json" $until &
    rec=$!
    if ! wait_for 120 watched "$game"; then
        log "phase $name: the recording never watched the game"
        kill "$game" 2>/dev/null
        wait "$rec"
        return 1
    fi
    log "phase $name: recording after $(($(date +%s) - t0)) s"
    echo "$(cat /sys/kernel/sched_ext/state) $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" > "$OUT/$name.sched"
    [ "$hogs" -gt 0 ] && kill -USR1 "$game"
    pids=""
    i=0
    while [ "$i" -lt "$hogs" ]; do
        "$RUN/bin/fakegame" hog 600 > "$OUT/$name.hog$i" &
        pids="$pids $!"
        i=$((i + 1))
    done
    sleep 0.5
    # Written then renamed: the host must never read a half-written request.
    echo "$keys" > "$OUT/tmp-req-$name" && mv "$OUT/tmp-req-$name" "$OUT/req-$name"
    wait_for 120 test -e "$OUT/ack-$name" || log "phase $name: no ack from the host"
    # The cost of our BPF programs in this phase (bpf_stats: run count and time per program).
    bpftool -j prog show > "$OUT/$name.progs" 2>/dev/null
    sleep 0.5
    # Hogs and render loop run only between the attach and the end of the injection, so the
    # scheduler is attached and detached on a quiet VM: under multi-threaded TCG, switching
    # sched_ext's static keys while the vCPUs are busy has oopsed the guest (README.md).
    # shellcheck disable=SC2086
    [ -n "$pids" ] && kill -TERM $pids
    kill -USR2 "$game"
    if [ "$sysrq" = 1 ]; then
        echo "$(cat /sys/kernel/sched_ext/state) $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null)" > "$OUT/$name.sched-before-sysrq"
        echo S > /proc/sysrq-trigger
        log "phase $name: sysrq-S sent"
    fi
    # --until-exit: the game's exit ends the recording (within a second); the game prints its
    # key-read counts on SIGTERM.
    [ -n "$until" ] && kill -TERM "$game"
    wait "$rec"
    echo "$?" > "$OUT/$name.rc"
    kill -TERM "$game" 2>/dev/null
    wait
    log "phase $name: done (record exit $(cat "$OUT/$name.rc"))"
}

log "guest: $(uname -r), sched_ext $(python3 "$RUN/agentctl.py" schedstate), $(nproc) CPUs"
DEV=$(dev_node)
echo "${DEV:-none}" > "$OUT/input-device"
[ -n "$DEV" ] || { log "no AT keyboard event device"; echo fail > "$OUT/guest-done"; exit 1; }
log "keyboard: $DEV"
echo 1 > /proc/sys/kernel/bpf_stats_enabled

python3 "$RUN/agentctl.py" killtest "$RUN/native/gamer-agent" > "$OUT/killtest.json" 2> "$OUT/killtest.err"
log "killtest: $(cat "$OUT/killtest.json")"
python3 "$RUN/agentctl.py" restart "$RUN/native/gamer-agent" > "$OUT/restart.json" 2> "$OUT/restart.err"
log "restart: $(cat "$OUT/restart.json")"
python3 "$RUN/agentctl.py" foreign "$RUN/native/gamer-agent" /tmp/gc status --json \
    > "$OUT/foreign.json" 2> "$OUT/foreign.err"
log "foreign: $(cat "$OUT/foreign.json")"

r=1
while [ "$r" -le "$REPS" ]; do
    phase "default-$r" off "$HOGS" "$KEYS" 0
    phase "gamer-$r" on "$HOGS" "$KEYS" 0
    r=$((r + 1))
done
phase sysrq on 0 2 1

# abphase NAME AB-OPTIONS...: the real `ab` CLI launches the game and switches the scheduler round
# by round; abplayer.py plays the player around it (render loop, hogs, the host's key stream, the
# by-hand start and stop of scx_simple when ab asks). Results: NAME.json (ab's JSON, with its
# verdict and comparisons), NAME/ (the per-arm .hlog files, checked again on the host: ab's JSON
# names them under /tmp/ab, the guest's tmpfs), NAME.err,
# NAME.player (what the player did, when), NAME.game (the game's key counts).
# ab3: 6 rounds (ABCCBA, 2 per arm, as ab2) of 15 s: at the host's 50 key transitions a second
# that gave each arm 1,400-2,100 input_to_run samples, above the 1,000 its p99 verdict needs.
# The recordings go to the guest's tmpfs and are copied to OUT afterwards: ab writes 48 interval
# lines a second, and each write to the 9p share is a round trip through qemu, which on a loaded
# host stretched ab's one-second sampling to 2-5 s (fewer time blocks for the verdict's interval:
# 8-12 per arm instead of 14-21 with tmpfs).
abphase() {
    name=$1
    shift
    log "phase $name: ab $*"
    python3 "$RUN/abplayer.py" "$name" "$OUT" "$RUN" "$HOGS" 20000 -- /tmp/gc ab "$@" --json --stop-game \
        --out-dir "/tmp/ab/$name" -- "$RUN/bin/fakegame" game "$DEV" 900 "$OUT/$name.game"
    cp -r "/tmp/ab/$name" "$OUT/$name"
    log "phase $name: done (ab exit $(cat "$OUT/$name.rc" 2>/dev/null))"
}
abphase ab2 --a default --b gamer --rounds 4 --seconds 15
if [ -x "$RUN/bin/scx_simple" ]; then
    abphase ab3 --a default --b gamer --c scx_simple --rounds 6 --seconds 15
else
    # run.sh's scx.json says why (no linux-source for this kernel, or a failed build).
    echo "scx_simple was not built: $(cat "$RUN/scx.json" 2>/dev/null)" > "$OUT/ab3.skipped"
fi
# Last, after the A/B and sysrq phases: it attaches and detaches gamer once more, and a failure
# that left a scheduler attached (TrayScenario reports sched_after_exit) cannot spoil their results.
log "tray: start"
sh "$(dirname "$0")/tray.sh" "$RUN" "$OUT"
log "tray: exit $?"
echo ok > "$OUT/guest-done"
log "guest: finished"
