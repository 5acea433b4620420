#!/usr/bin/env python3
"""Guest side of the VM tier's A/B phases: plays the player around the real `ab` command.

  abplayer.py NAME OUT RUN HOGS MAXKEYS -- GC_COMMAND...

Runs GC_COMMAND (the Java CLI's `ab ... -- fakegame game DEV SECONDS`), and meanwhile does what a
player at the keyboard would:
- once the game (fakegame, launched by ab; its "READY <pid>" comes through ab's stderr) is up:
  starts its render loop (SIGUSR1), starts HOGS CPU hogs and asks the host for a key stream
  (req-NAME "stream MAXKEYS"; stop-NAME ends it);
- answers ab's by-hand switches: "now start scx_X ..." starts RUN/bin/scx_X in the background and
  presses Enter once sysfs shows it; "now stop the sched_ext scheduler "X" ..." sends SIGINT to the
  scx_X it started, waits for it, and presses Enter. Anything else ab asks is answered "stop".
Writes OUT/NAME.json (ab's stdout), OUT/NAME.err (ab's stderr), OUT/NAME.player (what it did).
"""
import os
import re
import signal
import subprocess
import sys
import time

START = re.compile(r"now start (scx_[a-z0-9_]+)")
READY = re.compile(r"^READY (\d+)")
STOP = re.compile(r'now stop the sched_ext scheduler "([a-z0-9_]+)"')


def sysfs(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def sched_state():
    return sysfs("/sys/kernel/sched_ext/state"), sysfs("/sys/kernel/sched_ext/root/ops")


def wait_until(seconds, ok):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if ok():
            return True
        time.sleep(0.05)
    return False


def main():
    name, out, run, hogs, maxkeys = sys.argv[1:6]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    log = open(os.path.join(out, name + ".player"), "w", buffering=1)

    def note(text):
        log.write("%.1f %s\n" % (time.monotonic(), text))

    ab = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=open(os.path.join(out, name + ".json"), "w"),
                          stderr=subprocess.PIPE, text=True, bufsize=1)
    err = open(os.path.join(out, name + ".err"), "w", buffering=1)
    scheds = {}
    hog_procs = []

    def answer(text):
        ab.stdin.write(text + "\n")
        ab.stdin.flush()

    def start_game_side(game):
        os.kill(game, signal.SIGUSR1)
        for i in range(int(hogs)):
            hog_procs.append(subprocess.Popen([os.path.join(run, "bin", "fakegame"), "hog", "900"],
                                              stdout=open(os.path.join(out, "%s.hog%d" % (name, i)), "w")))
        tmp = os.path.join(out, "tmp-req-" + name)
        with open(tmp, "w") as f:
            f.write("stream %s\n" % maxkeys)
        os.rename(tmp, os.path.join(out, "req-" + name))
        note("game %d rendering, %s hogs, key stream requested" % (game, hogs))

    for line in ab.stderr:
        err.write(line)
        # The game's stdout reaches ab's stderr (ab --json keeps its stdout for the JSON);
        # READY means fakegame's signal handlers are in place.
        m = READY.match(line)
        if m and not hog_procs:
            start_game_side(int(m.group(1)))
            continue
        m = START.search(line)
        if m:
            binary = os.path.join(run, "bin", m.group(1))
            ops = m.group(1)[4:]
            if not os.access(binary, os.X_OK):
                note("asked to start %s: not built (%s)" % (m.group(1), binary))
                answer("stop")
                continue
            scheds[ops] = subprocess.Popen([binary], stdout=open(os.path.join(out, "%s.%s.out" % (name, ops)), "w"),
                                           stderr=subprocess.STDOUT)
            ok = wait_until(30, lambda: sched_state() == ("enabled", ops))
            note("started %s: sysfs %s %s" % (m.group(1), *sched_state()) + ("" if ok else " (not enabled in 30 s)"))
            answer("")
            continue
        m = STOP.search(line)
        if m:
            p = scheds.pop(m.group(1), None)
            if p is None:
                note("asked to stop %s, which this player did not start" % m.group(1))
                answer("stop")
                continue
            p.send_signal(signal.SIGINT)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
            wait_until(30, lambda: sched_state()[0] == "disabled")
            note("stopped %s (exit %s): sysfs %s %s" % (m.group(1), p.returncode, *sched_state()))
            answer("")
            continue
        if "press Continue" in line:
            note("unexpected question: " + line.strip())
            answer("stop")
    rc = ab.wait()
    with open(os.path.join(out, "stop-" + name), "w") as f:
        f.write("done\n")
    for h in hog_procs:
        h.terminate()
    for p in scheds.values():
        p.send_signal(signal.SIGINT)
        p.wait(30)
    for h in hog_procs:
        h.wait()
    note("ab exited %d" % rc)
    with open(os.path.join(out, name + ".rc"), "w") as f:
        f.write("%d\n" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
