#!/usr/bin/env python3
"""Guest side of the VM tier's A/B phases: plays the player around the real `ab` command.

  abplayer.py NAME OUT RUN HOGS MAXKEYS -- GC_COMMAND...

Runs GC_COMMAND (the Java CLI's `ab ... --out-dir DIR -- fakegame game DEV SECONDS`), and
meanwhile does what a player at the keyboard would:
- when ab starts its first round (its log line "round 1 of N"; the game, launched by ab, said
  "READY <pid>" through ab's stderr before): starts the game's render loop (SIGUSR1), HOGS CPU
  hogs, and asks the host for a key stream (req-NAME "stream MAXKEYS"). The round's settle time
  covers their start.
- when the rounds are over (every arm's .hlog is in DIR: ab renames each into place when it
  closes them, before it computes the verdict): ends the key stream (stop-NAME), the hogs and the
  render loop, so that the verdict and the restore do not run on a VM loaded for nothing.
- answers ab's by-hand switches: "now start scx_X ..." starts RUN/bin/scx_X in the background and
  presses Enter once sysfs shows it; "now stop the sched_ext scheduler "X" ..." sends SIGINT to the
  scx_X it started, waits for it, and presses Enter. Anything else ab asks is answered "stop".
Writes OUT/NAME.json (ab's stdout), OUT/NAME.err (ab's stderr), OUT/NAME.player (what it did, with
the guest's monotonic time: where the phase's minutes go).
"""
import glob
import os
import re
import signal
import subprocess
import sys
import threading
import time

START = re.compile(r"now start (scx_[a-z0-9_]+)")
READY = re.compile(r"^READY (\d+)")
ROUND = re.compile(r"gamer-companion: (round (\d+) of \d+: .*)")
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


class Load:
    """The player's side of a round: the game's render loop, the hogs and the host's key stream.
    Started once, ended once (whichever comes first: the rounds are over, or ab exited)."""

    def __init__(self, name, out, run, hogs, maxkeys, note):
        self.name, self.out, self.run, self.hogs, self.maxkeys, self.note = name, out, run, hogs, maxkeys, note
        self.game = None
        self.procs = []
        self.lock = threading.Lock()
        self.started = self.ended = False

    def start(self):
        with self.lock:
            if self.started or self.ended or self.game is None:
                return
            self.started = True
            os.kill(self.game, signal.SIGUSR1)
            for i in range(self.hogs):
                self.procs.append(subprocess.Popen([os.path.join(self.run, "bin", "fakegame"), "hog", "900"],
                                                   stdout=open(os.path.join(self.out, "%s.hog%d" % (self.name, i)), "w")))
            tmp = os.path.join(self.out, "tmp-req-" + self.name)
            with open(tmp, "w") as f:
                f.write("stream %s\n" % self.maxkeys)
            os.rename(tmp, os.path.join(self.out, "req-" + self.name))
            self.note("game %d rendering, %d hogs, key stream requested" % (self.game, self.hogs))

    def end(self, why):
        with self.lock:
            if self.ended:
                return
            self.ended = True
            with open(os.path.join(self.out, "stop-" + self.name), "w") as f:
                f.write("done\n")
            for h in self.procs:
                h.terminate()
            for h in self.procs:
                h.wait()
            if self.started:
                try:
                    os.kill(self.game, signal.SIGUSR2)
                except ProcessLookupError:
                    pass
            self.note("load ended (%s)" % why)


def main():
    name, out, run, hogs, maxkeys = sys.argv[1:6]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    ab_args = cmd[:cmd.index("--")] if "--" in cmd else cmd
    arms = sum(1 for w in ab_args if w in ("--a", "--b", "--c"))
    out_dir = ab_args[ab_args.index("--out-dir") + 1]
    log = open(os.path.join(out, name + ".player"), "w", buffering=1)
    log_lock = threading.Lock()

    def note(text):
        with log_lock:
            log.write("%.1f %s\n" % (time.monotonic(), text))

    load = Load(name, out, run, int(hogs), maxkeys, note)
    ab = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=open(os.path.join(out, name + ".json"), "w"),
                          stderr=subprocess.PIPE, text=True, bufsize=1)
    err = open(os.path.join(out, name + ".err"), "w", buffering=1)
    scheds = {}

    def answer(text):
        ab.stdin.write(text + "\n")
        ab.stdin.flush()

    def rounds_over():
        # Polled: nothing in the guest announces the rename, and ab's stderr stays quiet while
        # it compares (--json prints no progress).
        while ab.poll() is None:
            if len(glob.glob(os.path.join(out_dir, "[ABC]-*.hlog"))) >= arms:
                load.end("all %d recordings are in %s" % (arms, out_dir))
                return
            time.sleep(0.2)

    threading.Thread(target=rounds_over, daemon=True).start()
    for line in ab.stderr:
        err.write(line)
        # The game's stdout reaches ab's stderr (ab --json keeps its stdout for the JSON);
        # READY means fakegame's signal handlers are in place.
        m = READY.match(line)
        if m and load.game is None:
            load.game = int(m.group(1))
            note("game %d ready" % load.game)
            continue
        m = ROUND.search(line)
        if m:
            note(m.group(1))
            if m.group(2) == "1":
                load.start()
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
    load.end("ab exited")
    for p in scheds.values():
        p.send_signal(signal.SIGINT)
        p.wait(30)
    note("ab exited %d" % rc)
    with open(os.path.join(out, name + ".rc"), "w") as f:
        f.write("%d\n" % rc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
