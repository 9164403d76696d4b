"""The document part's last two steps, its strict check and its deflating, on a core the build leaves idle.

expat takes about 22 ms and zlib about 8 ms per MB of a report's body (23 MB
at 100 times the sample's rows), while the passes before them keep the
build's own process busy. When the machine has a core no other build of this
process uses, `Part` hands the two steps to a child Python
(`python -m perfreport.sink`), fed through a pipe as the body is written; the
child answers with the deflated part or expat's message. A small part, a
batch whose builds take every core, or a child that cannot start: the steps
run in this process, with the same bytes and the same message. A child that
dies midway raises `Lost`, and render renders again in this process.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from .bodyxml import NotWellFormed, Wellformed
from .opc import Compressed, Deflater

SPARE_FROM = 1 << 21  # characters of body from which the steps go to a child (below, starting it costs more)
PIPE_SIZE = 1 << 20  # bytes the pipe holds, so the build rarely waits for the child
READ = 1 << 20
OK, ERROR = b"K", b"E"
HEADER = struct.Struct("<cQQ")  # OK: crc, size (deflated bytes follow); ERROR: 0, length (expat's message follows)
BUILDS_AT_ONCE = 1  # builds this process runs side by side (a batch sets it): each wants a core of its own


class Lost(Exception):
    """The child ended without its answer (killed, or out of memory): what it was sent is gone."""


class Part:
    """A part's bytes, checked by expat and deflated (`feed`, then `close`), here or in a child."""

    def __init__(self, spare: bool = False) -> None:
        """`spare`: the steps may go to a child."""
        self.check, self.deflater, self.child, self.spare = Wellformed(), Deflater(), None, spare

    def expect(self, characters: int) -> None:
        """The body will have at least `characters`: from SPARE_FROM on, start the child (before any feed)."""
        if self.spare and self.child is None and characters >= SPARE_FROM and _spare_core():
            self.spare = False
            self.child = _start()

    def feed(self, data: bytes) -> None:
        """Check and deflate the next bytes; raises NotWellFormed (here) at the first error."""
        if self.child is None:
            self.check.feed(data)
            self.deflater.feed(data)
            return
        view, fd = memoryview(data), self.child.stdin.fileno()
        try:
            while view:
                view = view[os.write(fd, view):]
        except BrokenPipeError:
            raise Lost from None

    def close(self) -> Compressed:
        """The part deflated; raises NotWellFormed for a part that is not well-formed, Lost for a lost child."""
        if self.child is None:
            self.check.feed(b"", final=True)
            return self.deflater.close()
        child, self.child = self.child, None
        try:
            child.stdin.close()
            answer = child.stdout.read()
        except BrokenPipeError:
            answer = b""
        finally:
            child.stdout.close()
            child.wait()
        if len(answer) < HEADER.size or child.returncode != 0:
            raise Lost
        kind, crc, size = HEADER.unpack_from(answer)
        if kind == ERROR:
            raise NotWellFormed(answer[HEADER.size:].decode("utf-8"))
        return Compressed(answer[HEADER.size:], crc, size)

    def abandon(self) -> None:
        """End the child, if any, when the build stops before `close`."""
        if self.child is not None:
            child, self.child = self.child, None
            child.kill()
            for stream in (child.stdin, child.stdout):
                try:
                    stream.close()
                except OSError:  # the pipe broke as the child ended: nothing is left to flush
                    pass
            child.wait()


def _spare_core() -> bool:
    """Whether a core is left over by the builds this process runs."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > BUILDS_AT_ONCE


def _start():
    """The child (a subprocess.Popen), its pipe widened; None when it cannot be started."""
    import subprocess  # only a large body needs it: a build of the sample does not pay for the import
    package = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package, os.environ.get("PYTHONPATH")])))
    try:  # -P: the child imports this perfreport, not one in the current folder
        child = subprocess.Popen([sys.executable, "-P", "-m", "perfreport.sink"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
    except OSError:
        return None
    _widen(child.stdin.fileno())
    return child


def _widen(fd: int) -> None:
    """Let the pipe hold PIPE_SIZE bytes where the system allows (Linux)."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_SIZE)
    except (ImportError, OSError):
        pass


def main() -> None:
    """The child: check and deflate standard input; write the answer to standard output."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the build itself answers it
    part, error = Part(), None  # the steps as this process does them in-process
    source, out = sys.stdin.buffer.raw, sys.stdout.buffer
    while data := source.read(READ):
        if error is None:  # after an error the rest is only read, so the build's writes do not break
            try:
                part.feed(data)
            except NotWellFormed as exc:
                error = str(exc)
    if error is None:
        try:
            packed = part.close()
        except NotWellFormed as exc:
            error = str(exc)
    if error is not None:
        message = error.encode("utf-8")
        out.write(HEADER.pack(ERROR, 0, len(message)) + message)
    else:
        out.write(HEADER.pack(OK, packed.crc, packed.size))
        out.write(packed.data)
    out.flush()


if __name__ == "__main__":
    main()
