#!/usr/bin/env python3
"""Guest-side helpers of the VM test (run inside the chroot, as root).

  agentctl.py killtest AGENT      start AGENT, HELLO, SCHED ON, read sched_ext state, kill -9 the
                                  agent, time until sched_ext is "disabled" again and count the
                                  struct_ops programs left; prints one JSON object
  agentctl.py restart AGENT       start AGENT, SCHED ON, then take CPU 1 offline and online again:
                                  each hotplug makes the kernel end the scheduler with
                                  SCX_ECODE_ACT_RESTART; checks that the agent reports the exit
                                  and attaches again; prints one JSON object
  agentctl.py foreign AGENT CMD.. attach the scheduler under another ops name with a second AGENT
                                  (--test-ops-name), then check that a normal AGENT reports it
                                  (STATUS) and refuses SCHED ON, and run CMD (the Java `status
                                  --json`) meanwhile; prints one JSON object
  agentctl.py watched PID         exit 0 when PID is a key of the agent's "watched" map
  agentctl.py schedstate          prints "<state> <ops>" of /sys/kernel/sched_ext
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

SCX = "/sys/kernel/sched_ext"


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def sched_state():
    if not os.path.isdir(SCX):
        return "absent", ""
    return read(SCX + "/state", "unknown"), read(SCX + "/root/ops")


def struct_ops_progs():
    out = subprocess.run(["bpftool", "-j", "prog", "show"], capture_output=True, text=True).stdout
    try:
        progs = json.loads(out or "[]")
    except ValueError:
        return -1
    return sum(1 for p in progs if p.get("type") == "struct_ops")


class Agent:
    """A raw agent on its control socket; asynchronous lines (SCHED, EXEC, ...) are kept in
    `events` in arrival order."""

    def __init__(self, agent, *extra):
        self.p, self.listening, name = start(agent, *extra)
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.settimeout(30)
        self.s.connect("\0" + name)
        self.s.send(b"HELLO 1")
        self.s.recv(1024)
        socket.recv_fds(self.s, 64, 17)
        self.events = []

    def call(self, command):
        self.s.send(command.encode())
        while True:
            line = self.s.recv(4096).decode()
            if line.startswith("OK") or line.startswith("ERR"):
                return line
            self.events.append(line)

    def wait_event(self, prefix, timeout_s=30):
        """The first asynchronous line starting with prefix (consumed), or None at the timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            for i, e in enumerate(self.events):
                if e.startswith(prefix):
                    return self.events.pop(i)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                self.events.append(self.s.recv(4096).decode())
            except socket.timeout:
                return None

    def close(self):
        try:
            self.s.send(b"QUIT")
        except OSError:
            pass
        self.s.close()
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def start(agent, *extra):
    """Starts AGENT; returns the process, its LISTENING line and the socket name the kernel chose
    for it (five hex digits; the agent prints "LISTENING @<name>")."""
    p = subprocess.Popen([agent, *extra], stdout=subprocess.PIPE, text=True)
    first = p.stdout.readline().strip()
    m = re.fullmatch(r"LISTENING @([0-9a-f]{5})", first)
    if not m:
        p.wait()
        raise RuntimeError("agent did not start: %r (exit %s)" % (first, p.returncode))
    return p, first, m.group(1)


def status_fields(line):
    return dict(w.split("=", 1) for w in line.split() if "=" in w)


def set_cpu_online(cpu, online):
    with open("/sys/devices/system/cpu/cpu%d/online" % cpu, "w") as f:
        f.write("1" if online else "0")


def restart(agent):
    """The kernel ends a sched_ext scheduler that has no cpu_online/cpu_offline callbacks on CPU
    hotplug with SCX_ECODE_ACT_RESTART | SCX_ECODE_RSN_HOTPLUG: the exit code asks the loader to
    attach it again, which is the path under test."""
    a = Agent(agent)
    result = {"sched_on_reply": a.call("SCHED ON"), "steps": []}
    ok = result["sched_on_reply"].startswith("OK")
    for online in (False, True):
        step = {"cpu1_online": online}
        try:
            set_cpu_online(1, online)
        except OSError as e:
            step["hotplug_error"] = str(e)
            ok = False
            result["steps"].append(step)
            if not online:
                break
            continue
        step["exit_line"] = a.wait_event("SCHED disabled")
        step["restart_line"] = a.wait_event("SCHED enabled")
        step["sysfs"] = "%s %s" % sched_state()
        step["status_restarts"] = status_fields(a.call("STATUS")).get("sched_restarts")
        ok = ok and bool(step["exit_line"]) and "unreg_kern" in step["exit_line"] \
            and step["restart_line"] == "SCHED enabled gamer" \
            and step["sysfs"] == "enabled gamer"
        result["steps"].append(step)
    result["sched_restarts"] = status_fields(a.call("STATUS")).get("sched_restarts")
    result["sched_off_reply"] = a.call("SCHED OFF")
    # The kernel finishes disabling after the link is gone (tens of ms under TCG): poll for it.
    deadline = time.monotonic() + 2
    while sched_state()[0] != "disabled" and time.monotonic() < deadline:
        time.sleep(0.005)
    result["state_after_off"] = "%s %s" % sched_state()
    a.close()
    result["restart_after_exit_request"] = ok and result["sched_restarts"] == "2" \
        and result["state_after_off"].startswith("disabled")
    print(json.dumps(result))


FOREIGN_OPS = "someone_else"


def foreign(agent, cmd):
    other = Agent(agent, "--test-ops-name", FOREIGN_OPS)
    result = {"foreign_sched_on_reply": other.call("SCHED ON")}
    result["sysfs_with_foreign"] = "%s %s" % sched_state()
    ours = Agent(agent)
    st = status_fields(ours.call("STATUS"))
    result["status_sched"] = st.get("sched")
    result["status_owner"] = st.get("sched_owner")
    result["sched_on_reply"] = ours.call("SCHED ON")
    result["sysfs_after_sched_on"] = "%s %s" % sched_state()
    if cmd:
        p = subprocess.run(cmd, capture_output=True, text=True)
        try:
            result["java_status"] = json.loads(p.stdout).get("sched_ext")
        except ValueError:
            result["java_status"] = {"error": (p.stdout + p.stderr)[-300:]}
    ours.close()
    other.close()
    result["sysfs_after"] = "%s %s" % sched_state()
    java = result.get("java_status") or {}
    result["foreign_scheduler_refused"] = (
        result["foreign_sched_on_reply"] == "OK SCHED ON " + FOREIGN_OPS
        and result["sysfs_with_foreign"] == "enabled " + FOREIGN_OPS
        and result["status_sched"] == "enabled:" + FOREIGN_OPS
        and result["status_owner"] == "other"
        and result["sched_on_reply"].startswith("ERR STATE")
        and FOREIGN_OPS in result["sched_on_reply"]
        and result["sysfs_after_sched_on"] == "enabled " + FOREIGN_OPS
        and (not cmd or (java.get("state") == "enabled" and java.get("ops") == FOREIGN_OPS
                         and java.get("owner") == "other")))
    print(json.dumps(result))


def call(s, command):
    """Sends one command and returns its reply, skipping asynchronous lines (EXEC, SCHED, ...)."""
    s.send(command.encode())
    while True:
        line = s.recv(4096).decode()
        if line.startswith("OK") or line.startswith("ERR"):
            return line


def killtest(agent):
    p, first, name = start(agent)
    result = {"listening": first}
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("\0" + name)
    s.send(b"HELLO 1")
    s.recv(1024)
    socket.recv_fds(s, 64, 17)
    result["sched_on_reply"] = call(s, "SCHED ON")
    state, ops = sched_state()
    result["state_while_running"] = state
    result["ops_while_running"] = ops
    result["struct_ops_progs_while_running"] = struct_ops_progs()
    result["second_sched_on_reply"] = call(s, "SCHED ON")
    t0 = time.monotonic()
    os.kill(p.pid, signal.SIGKILL)
    detached_ms = None
    while time.monotonic() - t0 < 5:
        if sched_state()[0] == "disabled":
            detached_ms = round((time.monotonic() - t0) * 1000, 1)
            break
        time.sleep(0.005)
    p.wait()
    result["detached_after_kill_ms"] = detached_ms
    # The programs go when the last reference (the link, the map) is dropped: allow a moment.
    left = struct_ops_progs()
    deadline = time.monotonic() + 2
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = struct_ops_progs()
    result["struct_ops_progs_after_kill"] = left
    print(json.dumps(result))


def watched(pid):
    out = subprocess.run(["bpftool", "-j", "map", "dump", "name", "watched"], capture_output=True,
                         text=True).stdout
    try:
        entries = json.loads(out or "[]")
    except ValueError:
        return 1
    want = pid.to_bytes(4, "little")
    for e in entries:
        key = e.get("key")
        if isinstance(key, list) and bytes(int(b, 16) for b in key) == want:
            return 0
        if isinstance(key, int) and key == pid:
            return 0
    return 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "killtest":
        killtest(sys.argv[2])
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "restart":
        restart(sys.argv[2])
        return 0
    if len(sys.argv) >= 3 and sys.argv[1] == "foreign":
        foreign(sys.argv[2], sys.argv[3:])
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "watched":
        return watched(int(sys.argv[2]))
    if len(sys.argv) == 2 and sys.argv[1] == "schedstate":
        print("%s %s" % sched_state())
        return 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
