#!/usr/bin/env python3
"""Host side of the VM test: boots qemu, injects keys over QMP when the guest asks, then checks
the guest's results and prints one JSON object and a last line `VM-E2E: PASS` or
`VM-E2E: FAIL <why>`.

  driver.py --kernel K --initrd I --out OUT --run RUN --keys N --interval-ms MS
            --ab-interval-ms MS --reps R --hogs H --timeout S

Handshake (files in OUT, a read-write 9p share in the guest): the guest writes req-<phase>
(content: the number of key presses), the driver presses that many keys, each one a down and an
up (two transitions), INTERVAL_MS apart, and writes ack-<phase> with the number of transitions
it injected. `stream <max>` instead presses keys, AB_INTERVAL_MS apart, until the guest writes
stop-<phase> (the ab phases: their length is the ab runner's business, and their verdict needs
1,000 samples per arm). The guest writes guest-done at the end and powers off.

The ab phases are checked for what the verdict machinery produced, not for its values: each
comparison's p99 input_to_run ratio has a 95% interval around it, `compare` run here on the same
two files gives the same numbers, and HlogCheck (HdrHistogram's reader alone) gives the same
counts, p99s and ratio.
"""
import argparse
import json
import math
import os
import re
import socket
import subprocess
import sys
import time

KEY_SEQUENCE = ["a", "s", "d", "f", "w", "e", "r", "q"]


class Qmp:
    def __init__(self, path, timeout_s=30):
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.f = self.sock.makefile("rw")
        self.f.readline()  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.f.write(json.dumps(msg) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "return" in reply or "error" in reply:
                if "error" in reply:
                    raise RuntimeError("QMP %s: %s" % (name, reply["error"]))
                return reply["return"]

    def key(self, qcode, down):
        self.cmd("input-send-event", events=[
            {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])


def default_accel():
    """Multi-threaded TCG (one host thread per vCPU) with qemu >= 8; qemu 7.2's (bookworm) oopses
    the guest while sched_ext patches its static keys (README.md), so single-threaded there."""
    try:
        out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True,
                             text=True).stdout
        major = int(re.search(r"version (\d+)", out).group(1))
    except (OSError, AttributeError, ValueError):
        major = 0
    return "tcg,thread=multi" if major >= 8 else "tcg,thread=single"


def boot(a, qmp_path, accel):
    # The checkout and the run directory get shares of their own, mounted by init.sh at the same
    # paths: under /tmp (a CI clone, an XDG_CACHE_HOME there) the guest's tmpfs would hide them.
    repo = os.path.realpath(os.path.join(a.vmdir, "..", "..", ".."))
    run = os.path.realpath(a.run)
    cmdline = ("console=ttyS0 quiet panic=-1 gcvm.repo=%s gcvm.run=%s gcvm.script=%s "
               "gcvm.args=%s,%s,%d,%d,%d,%d"
               % (repo, run, a.guest or os.path.join(a.vmdir, "guest.sh"), a.run, "/tmp/gcvm-out",
                  a.keys, a.interval_ms, a.reps, a.hogs))
    qemu = ["qemu-system-x86_64", "-accel", accel,
            "-cpu", os.environ.get("GC_VM_CPU", "max"), "-smp", "2",
            "-m", "2G", "-display", "none", "-no-reboot", "-nic", "none",
            "-serial", "file:" + os.path.join(a.out, "console.log"), "-monitor", "none",
            "-kernel", a.kernel, "-initrd", a.initrd, "-append", cmdline,
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,"
                       "multidevs=remap",
            "-virtfs", "local,path=%s,mount_tag=gcvmout,security_model=none" % a.out,
            "-virtfs", "local,path=%s,mount_tag=gcrepo,security_model=none,readonly=on" % repo,
            "-virtfs", "local,path=%s,mount_tag=gcrun,security_model=none,readonly=on" % run,
            "-qmp", "unix:%s,server=on,wait=off" % qmp_path]
    return subprocess.Popen(qemu, stdout=subprocess.DEVNULL, stderr=open(
        os.path.join(a.out, "qemu.err"), "w"))


def inject(qmp, presses, interval_ms, until=None):
    """Presses keys; with `until` (a path), keeps pressing until that file exists (at most
    `presses`): the stream of an A/B test, whose length the guest knows and the host does not.
    Transitions go out on a fixed schedule (one every interval_ms / 2) rather than a sleep after
    each: a QMP call that took long on a loaded host delays the next one, not all the rest.
    Returns (transitions, seconds)."""
    transitions = 0
    half_s = interval_ms / 2000.0
    t0 = time.monotonic()
    for i in range(presses):
        if until is not None and os.path.exists(until):
            break
        k = KEY_SEQUENCE[i % len(KEY_SEQUENCE)]
        for down in (True, False):
            qmp.key(k, down)
            transitions += 1
            time.sleep(max(0.0, t0 + transitions * half_s - time.monotonic()))
    return transitions, time.monotonic() - t0


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def input_to_run(rec):
    merged = ((rec or {}).get("kinds") or {}).get("input_to_run", {}).get("merged", {})
    return merged.get("count", 0), merged.get("p99_us"), merged.get("p50_us")


def hog_rate(out, name, hogs):
    total = 0.0
    for i in range(hogs):
        m = re.search(r"loops=(\d+) seconds=([\d.]+)", read(os.path.join(out, "%s.hog%d" % (name, i))))
        if not m or float(m.group(2)) <= 0:
            return None
        total += int(m.group(1)) / float(m.group(2))
    return total


def bpf_costs(out, name):
    """{program: [runs, ns per run]} of the phase's BPF programs (bpf_stats), {} without data."""
    progs = load_json(os.path.join(out, name + ".progs")) or []
    costs = {}
    for p in progs:
        if p.get("run_cnt"):
            costs[p.get("name", "?")] = [p["run_cnt"], round(p.get("run_time_ns", 0) / p["run_cnt"])]
    return costs


def game_keys(out, name, field="keys"):
    m = re.search(r"\b%s=(\d+)" % field, read(os.path.join(out, name + ".game")))
    return int(m.group(1)) if m else 0


def median_of(values):
    """The median (the mean of the middle two for an even count), None for no values."""
    v = sorted(values)
    if not v:
        return None
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else round((v[mid - 1] + v[mid]) / 2, 3)


def java(a, main_args, cp_extra=None):
    """Runs the host's JDK on the run directory's jar (and `cp_extra`); returns (rc, stdout)."""
    jh = os.environ.get("JAVA_HOME", "")
    cp = [os.path.join(a.run, "app", "gamer-companion.jar"), os.path.join(a.run, "app", "lib", "*")]
    if cp_extra:
        cp.insert(0, cp_extra)
    p = subprocess.run([os.path.join(jh, "bin", "java"), "--enable-native-access=ALL-UNNAMED", "-cp", ":".join(cp)]
                       + main_args, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def json_round(v, places):
    """A double as ComparisonJson writes it: Java's Math.round(v * 10^places) / 10^places."""
    f = 10.0 ** places
    return math.floor(v * f + 0.5) / f


def headline(comparison):
    """The input_to_run part of one `compare --json` object: {verdict, a, b, ratios}."""
    return ((comparison or {}).get("kinds") or {}).get("input_to_run") or {}


def verdict_checks(a, name, label, files, ab_cmp):
    """What one ab comparison (A against `label`) must show, whatever its values: a p99 ratio with
    a 95% interval around it, the same numbers from `compare` run here on the same two files, and
    the same counts, p99s and ratio from HlogCheck (HdrHistogram's reader, none of our code).
    Returns (summary, fails)."""
    fails = []
    mine = headline(ab_cmp)
    p99 = (mine.get("ratios") or {}).get("p99") or {}
    summary = {"verdict": (ab_cmp or {}).get("verdict"),
               "samples": [(mine.get("a") or {}).get("count"), (mine.get("b") or {}).get("count")],
               "p99_us": [(mine.get("a") or {}).get("p99_us"), (mine.get("b") or {}).get("p99_us")],
               "p99_ratio": p99.get("ratio"), "ci": [p99.get("ci_low"), p99.get("ci_high")],
               "blocks": [((ab_cmp or {}).get(s) or {}).get("blocks") for s in ("a", "b")],
               "recorded_s": [((ab_cmp or {}).get(s) or {}).get("recorded_s") for s in ("a", "b")]}
    what = "%s A vs %s" % (name, label)
    if not mine:
        return summary, ["%s: ab's JSON has no input_to_run comparison (%s)" % (what, (ab_cmp or {}).get("error"))]
    if None in (p99.get("ratio"), p99.get("ci_low"), p99.get("ci_high")):
        fails.append("%s: no p99 ratio with a 95%% interval (%s)" % (what, p99.get("unavailable")))
    elif not p99["ci_low"] <= p99["ratio"] <= p99["ci_high"]:
        fails.append("%s: p99 ratio %s outside its interval %s-%s" % (what, p99["ratio"], p99["ci_low"], p99["ci_high"]))
    # compare, here, on the files ab wrote in the guest: ab's bootstrap is seeded, so every number
    # must be the same (same code, other JVM, other machine).
    rc, out, err = java(a, ["org.gamercompanion.Main", "compare", files["A"], files[label], "--kind", "input_to_run",
                            "--json"])
    try:
        host = headline(json.loads(out))
    except ValueError:
        host = None
    if host is None:
        fails.append("%s: compare on the host failed (exit %d: %s)" % (what, rc, err[-300:]))
    elif host != mine:
        diff = sorted(k for k in set(host) | set(mine) if host.get(k) != mine.get(k))
        fails.append("%s: compare on the host differs from ab's comparison in %s (host p99 %s, ab p99 %s)"
                     % (what, diff, (host.get("ratios") or {}).get("p99"), p99))
    summary["host_compare_same"] = host == mine
    # HlogCheck: counts and p99s exactly (ns; the JSON has microseconds to 3 decimals, so ns), the
    # ratio as the JSON rounds it (4 decimals).
    rc, out, err = java(a, ["HlogCheck", "input_to_run", files["A"], files[label]], os.path.join(a.run, "check-classes"))
    try:
        check = json.loads(out)
    except ValueError:
        return summary, fails + ["%s: HlogCheck failed (exit %d: %s)" % (what, rc, err[-300:])]
    summary["independent"] = check
    got = [check.get("a_count"), check.get("b_count"),
           json_round(check.get("a_p99_ns", 0) / 1000.0, 3), json_round(check.get("b_p99_ns", 0) / 1000.0, 3),
           None if check.get("ratio") is None else json_round(check["ratio"], 4)]
    want = summary["samples"] + summary["p99_us"] + [p99.get("ratio")]
    if got != want:
        fails.append("%s: HlogCheck (HdrHistogram's reader) disagrees: counts, p99 us, ratio %s, ab's JSON %s"
                     % (what, got, want))
    return summary, fails


def ab_phase(a, name, arms, rounds, injected, streamed):
    """Checks one `ab` phase: it completed, every arm got its rounds, the scheduler was restored,
    and each comparison with A has its p99 verdict, agreed by `compare` and HlogCheck
    (verdict_checks). Returns (summary, fails)."""
    fails = []
    res = load_json(os.path.join(a.out, name + ".json"))
    keys = injected.get(name, 0)
    summary = {"rc": read(os.path.join(a.out, name + ".rc")), "player": read(os.path.join(a.out, name + ".player"))[-900:],
               "keys_injected": keys, "stream_s": round(streamed.get(name, 0), 1),
               "key_transitions_per_s": round(keys / streamed[name], 1) if streamed.get(name) else None,
               "game": read(os.path.join(a.out, name + ".game")),
               "hog_loops_per_s": hog_rate(a.out, name, a.hogs)}
    if res is None:
        return summary, ["%s: no JSON from ab (%s)" % (name, read(os.path.join(a.out, name + ".err"))[-400:]
                                                      .replace("\n", " | "))]
    summary.update({"end": res.get("end"), "why": res.get("why"), "restored": res.get("restored"),
                    "order": (res.get("plan") or {}).get("order"), "verdict": res.get("verdict")})
    if res.get("end") != "completed":
        fails.append("%s: ab ended '%s' (%s)" % (name, res.get("end"), res.get("why")))
    if not str(res.get("restored", "")).startswith("restored: disabled"):
        fails.append("%s: scheduler not restored to default (%s)" % (name, res.get("restored")))
    files = {}
    for arm in (res.get("plan") or {}).get("arms", []):
        files[arm["label"]] = os.path.join(a.out, name, os.path.basename(arm["file"]))
        if arm.get("rounds") != rounds // len(arms):
            fails.append("%s: arm %s had %s rounds, want %d" % (name, arm["label"], arm.get("rounds"),
                                                                rounds // len(arms)))
    comparisons = res.get("comparisons") or []
    summary["comparisons"] = {}
    for i, label in enumerate("BC"[:len(arms) - 1]):
        if "A" not in files or label not in files:
            fails.append("%s: no files for A and %s" % (name, label))
            continue
        if i >= len(comparisons):
            fails.append("%s: ab's JSON has no comparison of A and %s" % (name, label))
            continue
        s, f = verdict_checks(a, name, label, files, comparisons[i])
        summary["comparisons"][label] = s
        fails.extend(f)
    return summary, fails


def evaluate(a, injected, streamed, elapsed_s):
    out = a.out
    fails = []
    kill = load_json(os.path.join(out, "killtest.json")) or {}
    restart = load_json(os.path.join(out, "restart.json")) or {}
    foreign = load_json(os.path.join(out, "foreign.json")) or {}
    result = {"kernel": os.path.basename(os.path.dirname(a.kernel))}
    phases = {}
    for r in range(1, a.reps + 1):
        for mode in ("default", "gamer"):
            name = "%s-%d" % (mode, r)
            rec = load_json(os.path.join(out, name + ".json"))
            count, p99, p50 = input_to_run(rec)
            phases[name] = {
                "record_ok": rec is not None,
                "sched_during": read(os.path.join(out, name + ".sched")),
                "input_source": (rec or {}).get("input_source"),
                "scheduler": (rec or {}).get("scheduler"),
                "keys_injected": injected.get(name, 0),
                "game_key_events": game_keys(out, name),
                "game_key_reads": game_keys(out, name, "key_reads"),
                "game_key_reads_slept": game_keys(out, name, "slept_key_reads"),
                "input_to_run_samples": count,
                "input_to_run_p50_us": p50,
                "input_to_run_p99_us": p99,
                "hog_loops_per_s": hog_rate(out, name, a.hogs),
                "bpf_runs_ns": bpf_costs(out, name),
                # The probes' counters (record's "inputs"): seen by the hook, claimed by a wake-up.
                "inputs": (rec or {}).get("inputs"),
                # record's warnings (rejected or malformed records would be missing samples).
                "record_stderr": read(os.path.join(out, name + ".json.err"))[-300:],
            }
            if rec is None:
                fails.append("%s: no JSON from record (%s)" % (
                    name, read(os.path.join(out, name + ".json.err"))[-300:].replace("\n", " | ")))
    ab_results = {}
    scx = load_json(os.path.join(a.run, "scx.json")) or {}
    if scx.get("status") == "failed":
        # The source was there and the build broke: the three-way A/B cannot run, and that is a
        # regression of this test (or a new kernel tree that needs a newer libbpf), not a skip.
        fails.append("scx_simple did not build from %s (%s; see %s)"
                     % (scx.get("source"), scx.get("detail"), os.path.join(os.path.dirname(a.run), "scx-%s"
                                                                             % scx.get("kernel"), "build.log")))
    for name, arms, rounds in (("ab2", ["default", "gamer"], 4), ("ab3", ["default", "gamer", "scx_simple"], 6)):
        skipped = read(os.path.join(out, name + ".skipped"))
        if skipped:
            ab_results[name] = {"skipped": skipped}
            continue
        summary, ab_fails = ab_phase(a, name, arms, rounds, injected, streamed)
        ab_results[name] = summary
        fails.extend(ab_fails)
    tray = load_json(os.path.join(out, "tray.json"))
    sysrq = load_json(os.path.join(out, "sysrq.json"))
    exits = ((sysrq or {}).get("scheduler") or {}).get("exits") or []
    sysrq_reported = any(e.get("kind") == "sysrq" and e.get("reason") for e in exits)

    g1 = phases.get("gamer-1", {})
    sched_state, _, sched_ops = g1.get("sched_during", "").partition(" ")
    ratios, hog_ratios = [], []
    for r in range(1, a.reps + 1):
        d, g = phases.get("default-%d" % r, {}), phases.get("gamer-%d" % r, {})
        if d.get("input_to_run_p99_us") and g.get("input_to_run_p99_us") is not None:
            ratios.append(round(g["input_to_run_p99_us"] / d["input_to_run_p99_us"], 3))
        if d.get("hog_loops_per_s") and g.get("hog_loops_per_s") is not None:
            hog_ratios.append(round(g["hog_loops_per_s"] / d["hog_loops_per_s"], 3))
    median = median_of(ratios)

    result.update({
        "sched_state": sched_state or None,
        "sched_ops": sched_ops or None,
        "json_scheduler_gamer_1": g1.get("scheduler"),
        "input_device": read(os.path.join(out, "input-device")),
        "input_source": g1.get("input_source"),
        "keys_injected": g1.get("keys_injected", 0),
        "game_key_events": g1.get("game_key_events", 0),
        "game_key_reads": g1.get("game_key_reads", 0),
        "game_key_reads_slept": g1.get("game_key_reads_slept", 0),
        "input_to_run_samples": g1.get("input_to_run_samples", 0),
        "detached_after_kill_ms": kill.get("detached_after_kill_ms"),
        "struct_ops_progs_after_kill": kill.get("struct_ops_progs_after_kill"),
        "killtest": kill,
        "restart_after_exit_request": restart.get("restart_after_exit_request") is True,
        "restart": restart,
        "foreign_scheduler_refused": foreign.get("foreign_scheduler_refused") is True,
        "foreign": foreign,
        "sysrq_exit_reported": sysrq_reported,
        "sysrq_exits": exits,
        "p99_ratio_gamer_over_default": median,
        "p99_ratios_per_rep": ratios,
        "hog_throughput_ratio_gamer_over_default": median_of(hog_ratios),
        "hog_throughput_ratios_per_rep": hog_ratios,
        "hogs": a.hogs,
        "vcpus": 2,
        "phases": phases,
        "ab": ab_results,
        "scx": scx,
        "tray_icon_embedded": (tray or {}).get("tray_icon_embedded") is True,
        "tray_menu_toggle_enabled": (tray or {}).get("menu_toggle_enabled") is True,
        "tray_hotkey_toggle_disabled": (tray or {}).get("hotkey_toggle_disabled") is True,
        "tray": tray,
        "vm_seconds": round(elapsed_s, 1),
    })

    console = read(os.path.join(out, "console.log"))
    oops = re.search(r"Oops: [^\n]*\n(?:[^\n]*\n){0,3}?[^\n]*RIP: [^\n]*", console)
    if oops:
        # Seen under multi-threaded TCG with qemu 7.2 while sched_ext flips its static keys:
        # an int3 left by text_poke is executed after patching ended (README.md).
        result["guest_oops"] = " | ".join(l.strip() for l in oops.group(0).splitlines()
                                          if "Oops" in l or "RIP" in l)
        fails.append("guest kernel oops: %s" % result["guest_oops"])
    if read(os.path.join(out, "guest-done")) != "ok":
        fails.append("the guest did not finish (see %s)" % os.path.join(out, "console.log"))
    if sched_state != "enabled" or sched_ops != "gamer":
        fails.append("sched_ext was '%s %s' while gamer should run" % (sched_state, sched_ops))
    for name, ph in phases.items():
        if ph["input_source"] != "fentry":
            fails.append("%s: input_source %s, want fentry" % (name, ph["input_source"]))
        # A transition "reached the game" when it woke the game's input thread from a blocked
        # read(): the kernel counted a voluntary switch of that thread during the read that
        # returned the key (fakegame.c). A read that did not sleep got a key that found the
        # thread still running, which input_to_run by definition does not sample (the thread
        # never waited to run; README.md). Two transitions that arrive before the thread runs
        # are one wake-up, one read and (one pending input, claimed at wake-up) one sample.
        reached = min(ph["keys_injected"], ph["game_key_reads_slept"])
        if ph["game_key_events"] == 0:
            fails.append("%s: no key reached the game" % name)
        if ph["game_key_reads"] and ph["game_key_reads_slept"] * 2 < ph["game_key_reads"]:
            fails.append("%s: only %d of %d key reads slept: the game's count is suspect"
                         % (name, ph["game_key_reads_slept"], ph["game_key_reads"]))
        if ph["input_to_run_samples"] < reached:
            # The counters say where it went: claimed < seen, an input no wake-up claimed;
            # samples < claimed, a claim whose thread did not run (or whose record was rejected).
            fails.append("%s: %d input_to_run samples < %d key transitions that reached the game"
                         " (inputs %s; record stderr: %s)"
                         % (name, ph["input_to_run_samples"], reached, ph["inputs"],
                            ph["record_stderr"].replace("\n", " | ") or "none"))
    if kill.get("detached_after_kill_ms") is None or kill["detached_after_kill_ms"] > 1000:
        fails.append("sched_ext not disabled within 1 s of kill -9 (%s)" %
                     kill.get("detached_after_kill_ms"))
    if kill.get("state_while_running") != "enabled" or kill.get("ops_while_running") != "gamer":
        fails.append("killtest: scheduler not enabled before the kill (%s)" % kill)
    if kill.get("struct_ops_progs_after_kill") != 0:
        fails.append("struct_ops programs left after kill -9: %s" %
                     kill.get("struct_ops_progs_after_kill"))
    if not result["restart_after_exit_request"]:
        fails.append("no restart after the kernel's ACT_RESTART exit (restart: %s)" % restart)
    if not result["foreign_scheduler_refused"]:
        fails.append("someone else's scheduler not reported or not refused (foreign: %s)" % foreign)
    if not sysrq_reported:
        fails.append("sysrq-S exit not reported to the Java side (exits: %s)" % exits)
    if median is None:
        fails.append("no p99 ratio (missing samples)")
    if tray is None:
        fails.append("tray: no tray.json (see tray.log)")
    elif tray.get("reason"):
        fails.append("tray: %s" % tray["reason"])
    # Also catches a guest without sched_ext, where TrayScenario passes on the agent's refusals.
    elif (tray.get("sched_after_menu"), tray.get("sched_after_hotkey"), tray.get("sched_after_exit")) \
            != ("enabled gamer", "disabled", "disabled"):
        fails.append("tray: sched_ext was not enabled gamer / disabled / disabled (%s)" % tray)
    return result, fails


def main():
    p = argparse.ArgumentParser()
    for opt in ("kernel", "initrd", "out", "run", "vmdir"):
        p.add_argument("--" + opt, required=True)
    p.add_argument("--keys", type=int, default=50)
    p.add_argument("--interval-ms", type=int, default=200)
    p.add_argument("--ab-interval-ms", type=int, default=40)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--hogs", type=int, default=4)
    # The phases before the tray test take 6-8 min under TCG (the two ab phases 4-5 of it); the tray
    # test adds 1-5 min (two JVMs, JavaFX+AWT).
    p.add_argument("--timeout", type=int, default=1200)
    p.add_argument("--guest", help="another guest script (debugging)")
    a = p.parse_args()

    qmp_path = os.path.join(a.out, "qmp.sock")
    t0 = time.monotonic()
    accel = os.environ.get("GC_VM_ACCEL") or default_accel()
    # TCG timing depends on what else the host runs: the load goes into the JSON.
    load_start = read("/proc/loadavg")
    vm = boot(a, qmp_path, accel)
    injected, streamed = {}, {}
    try:
        qmp = Qmp(qmp_path)
        while vm.poll() is None:
            if time.monotonic() - t0 > a.timeout:
                print("vm: timeout after %d s: killing qemu" % a.timeout, file=sys.stderr)
                vm.kill()
                break
            for f in sorted(os.listdir(a.out)):
                if not f.startswith("req-"):
                    continue
                name = f[4:]
                req = read(os.path.join(a.out, f), "0") or "0"
                os.unlink(os.path.join(a.out, f))
                if req.startswith("stream"):
                    # "stream <max presses>": until the guest writes stop-<name>, at the A/B
                    # phases' faster rate (their verdict needs 1,000 samples per arm for p99).
                    injected[name], streamed[name] = inject(qmp, int(req.split()[1]), a.ab_interval_ms,
                                                            until=os.path.join(a.out, "stop-" + name))
                else:
                    injected[name], streamed[name] = inject(qmp, int(req), a.interval_ms)
                with open(os.path.join(a.out, "ack-" + name), "w") as ack:
                    ack.write("%d\n" % injected[name])
                print("vm: %s: injected %d key transitions in %.1f s (%.0f s)"
                      % (name, injected[name], streamed[name], time.monotonic() - t0), file=sys.stderr)
            time.sleep(0.05)
    finally:
        if vm.poll() is None:
            vm.kill()
        vm.wait()
    elapsed = time.monotonic() - t0
    result, fails = evaluate(a, injected, streamed, elapsed)
    result["accel"] = accel
    result["host_loadavg"] = {"start": load_start, "end": read("/proc/loadavg")}
    print(json.dumps(result, indent=2))
    if fails:
        print("VM-E2E: FAIL " + "; ".join(fails))
        return 1
    print("VM-E2E: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
