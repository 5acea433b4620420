#!/usr/bin/env python3
"""Guest-side helpers of the VM test (run inside the chroot, as root).

  agentctl.py killtest AGENT      start AGENT, HELLO, SCHED ON, read sched_ext state, kill -9 the
                                  agent, time until sched_ext is "disabled" again and count the
                                  struct_ops programs left; prints one JSON object
  agentctl.py watched PID         exit 0 when PID is a key of the agent's "watched" map
  agentctl.py schedstate          prints "<state> <ops>" of /sys/kernel/sched_ext
"""
import json
import os
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


def call(s, command):
    """Sends one command and returns its reply, skipping asynchronous lines (EXEC, SCHED, ...)."""
    s.send(command.encode())
    while True:
        line = s.recv(4096).decode()
        if line.startswith("OK") or line.startswith("ERR"):
            return line


def killtest(agent):
    name = "gc.vmkill.%d" % os.getpid()
    p = subprocess.Popen([agent, "--socket", "@" + name], stdout=subprocess.PIPE, text=True)
    first = p.stdout.readline().strip()
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
    if len(sys.argv) == 3 and sys.argv[1] == "watched":
        return watched(int(sys.argv[2]))
    if len(sys.argv) == 2 and sys.argv[1] == "schedstate":
        print("%s %s" % sched_state())
        return 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
