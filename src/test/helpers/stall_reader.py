#!/usr/bin/python3
"""A raw control-protocol client that a test can stall (SIGSTOP) and resume; used by
SlowReaderBackPressureTest. Steps come on stdin, answers go to stdout, one line each:

  stall_reader.py NAME VICTIM   connects to @NAME, HELLO 1, WATCH VICTIM, prints READY
  FLOOD N                       a second thread sends N PINGs without reading (blocking sends);
                                prints FLOODING at once
  READ N                        reads until N replies and VICTIM's EXITED arrived (or EOF, or 120 s
                                without a packet), then sends STATUS and prints one line:
                                RESULT pongs=.. other_replies=.. exited=.. dropped_lines=..
                                dropped_sum=.. bad_dropped=.. execs=.. end=eof|timeout|ok
                                status_exec_dropped=..
  QUIT                          closes the connection and exits
"""
import socket
import sys
import threading


def main():
    name, victim = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect("\0" + name)
    s.send(b"HELLO 1")
    hello = s.recv(4096).decode()
    _, fds, _, _ = socket.recv_fds(s, 64, 32)
    for fd in fds:
        socket.close(fd)
    s.send(("WATCH " + victim).encode())
    watch = s.recv(4096).decode()
    print("READY" if hello.startswith("OK HELLO") and watch.startswith("OK WATCH") else
          "FAILED " + hello + " | " + watch, flush=True)
    sender = None
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "FLOOD":
            n = int(cmd[1])
            sender = threading.Thread(target=flood, args=(s, n))
            sender.start()
            print("FLOODING", flush=True)
        elif cmd[0] == "READ":
            print(read(s, int(cmd[1]), victim, sender), flush=True)
        elif cmd[0] == "QUIT":
            break
    s.close()


def flood(s, n):
    try:
        for _ in range(n):
            s.send(b"PING")
    except OSError as e:  # the agent died: READ reports end=eof
        print("stall_reader: flood: %s" % e, file=sys.stderr)


def read(s, want, victim, sender):
    pongs = other = exited = dropped_lines = dropped_sum = bad_dropped = execs = 0
    end = "ok"
    s.settimeout(120)
    while pongs + other < want or not exited:
        try:
            p = s.recv(4096).decode()
        except socket.timeout:
            end = "timeout"
            break
        except OSError:
            end = "eof"
            break
        if not p:
            end = "eof"
            break
        if p == "OK PONG":
            pongs += 1
        elif p.startswith("OK") or p.startswith("ERR"):
            other += 1
        elif p == "EXITED " + victim:
            exited += 1
        elif p.startswith("EXEC "):
            execs += 1
        elif p.startswith("DROPPED "):
            w = p.split(" ")
            if len(w) == 3 and w[1] == "EXEC" and w[2].isdigit() and int(w[2]) > 0:
                dropped_lines += 1
                dropped_sum += int(w[2])
            else:
                bad_dropped += 1
    status = "none"
    if end == "ok":
        sender.join()
        s.send(b"STATUS")
        while True:
            p = s.recv(4096).decode()
            if p.startswith("DROPPED EXEC "):
                dropped_sum += int(p.split(" ")[2])
                dropped_lines += 1
            if p.startswith("OK STATUS"):
                status = dict(w.split("=", 1) for w in p.split(" ") if "=" in w).get("exec_dropped")
                break
    return ("RESULT pongs=%d other_replies=%d exited=%d dropped_lines=%d dropped_sum=%d "
            "bad_dropped=%d execs=%d end=%s status_exec_dropped=%s"
            % (pongs, other, exited, dropped_lines, dropped_sum, bad_dropped, execs, end, status))


if __name__ == "__main__":
    main()
