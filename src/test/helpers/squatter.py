#!/usr/bin/python3
"""An attacker of another uid against the agent's control socket; used by AgentSocketSquatTest
(run under setpriv as nobody). Answers on stdout, one line each:

  on start       scans /proc over and over; whenever a gamer-agent's command line carries an
                 argument "@NAME" (the old way to tell it its socket name), binds that abstract name
                 before the agent can and prints SQUATTED NAME; prints WATCHING after the first scan
  CONNECT NAME   connects to @NAME, sends HELLO 1 and prints REJECTED (closed unanswered),
                 ANSWERED <line>, SILENT (nothing within 10 s) or REFUSED <error>
  FLOOD NAME N   connects to @NAME N times, one after the other, each time waiting until the agent
                 closes the connection; prints FLOODED <closed> <other> (other: anything else)
  STOP           prints SQUATTED_TOTAL <n> and exits
"""
import os
import select
import socket
import sys

squatted = {}


def scan():
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if not argv or not argv[0].endswith(b"gamer-agent"):
            continue
        for arg in argv[1:]:
            if arg.startswith(b"@") and len(arg) > 1 and arg not in squatted:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                try:
                    s.bind(b"\0" + arg[1:])
                    s.listen(1)
                    squatted[arg] = s
                    print("SQUATTED " + arg[1:].decode(errors="replace"), flush=True)
                except OSError:
                    s.close()


def connect(name):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(10)
    try:
        s.connect("\0" + name)
        s.send(b"HELLO 1")
        line = s.recv(4096)
        return "ANSWERED " + line.decode(errors="replace") if line else "REJECTED"
    except socket.timeout:
        return "SILENT"
    except (ConnectionResetError, BrokenPipeError):
        return "REJECTED"
    except OSError as e:
        return "REFUSED " + (os.strerror(e.errno) if e.errno else str(e))
    finally:
        s.close()


def flood(name, n):
    closed = other = 0
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(10)
        try:
            s.connect("\0" + name)
            if s.recv(16) == b"":
                closed += 1
            else:
                other += 1
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except OSError:
            other += 1
        finally:
            s.close()
    return "FLOODED %d %d" % (closed, other)


def main():
    scan()
    print("WATCHING", flush=True)
    while True:
        scan()
        ready, _, _ = select.select([sys.stdin], [], [], 0.001)
        if not ready:
            continue
        cmd = sys.stdin.readline().split()
        if not cmd or cmd[0] == "STOP":
            print("SQUATTED_TOTAL %d" % len(squatted), flush=True)
            return
        if cmd[0] == "CONNECT":
            print(connect(cmd[1]), flush=True)
        elif cmd[0] == "FLOOD":
            print(flood(cmd[1], int(cmd[2])), flush=True)


if __name__ == "__main__":
    main()
