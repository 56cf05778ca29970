#!/usr/bin/env python3
"""
bench/sync's wire stand-in without relays: N pseudo-terminals opened here (os.openpty), whose
slave ends the controller opens as its serial ports, and whose master ends this one process
reads. A socat pair puts a relay process between the two ends, which has to be woken and
scheduled for every frame; here a frame is readable at the master as soon as the kernel has
passed it through the pty. Each frame is stamped with the time the poll reported its bytes
readable (one stamp per poll, shared by every port it reported).

  python3 bench/pty-tap.py N
  stdout: {"paths": [slave path, ...]}, then one line per 7-byte PELCO-D frame:
          {"line": i, "at": monotonic ms, "hex": "ff01..."}
  Ends when stdin closes.
"""
import json
import os
import select
import sys
import time
import tty

FRAME = 7  # PELCO-D


def main() -> None:
    count = int(sys.argv[1])
    masters, slaves, paths = [], [], []
    for _ in range(count):
        master, slave = os.openpty()
        tty.setraw(slave)  # no output processing between the controller's bytes and ours
        os.set_blocking(master, False)
        masters.append(master)
        slaves.append(slave)  # held open, so the pty stays up between the controller's opens
        paths.append(os.ttyname(slave))
    print(json.dumps({"paths": paths}), flush=True)

    line_of = {fd: i for i, fd in enumerate(masters)}
    pending = {fd: bytearray() for fd in masters}
    poll = select.epoll()
    for fd in masters:
        poll.register(fd, select.EPOLLIN)
    stdin = sys.stdin.fileno()
    poll.register(stdin, select.EPOLLIN | select.EPOLLHUP)
    while True:
        events = poll.poll()
        at = time.monotonic_ns() / 1e6
        out = []
        for fd, _ in events:
            if fd == stdin:
                if not os.read(stdin, 4096):
                    return
                continue
            try:
                pending[fd] += os.read(fd, 4096)
            except (BlockingIOError, OSError):
                continue
            buffer = pending[fd]
            while len(buffer) >= FRAME:
                out.append(json.dumps({"line": line_of[fd], "at": at, "hex": bytes(buffer[:FRAME]).hex()}))
                del buffer[:FRAME]
        if out:
            sys.stdout.write("\n".join(out) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
