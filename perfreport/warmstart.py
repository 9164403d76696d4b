"""What Python compiles afresh in every process, kept in the cache between runs by its text.

Importing perfreport spent some 80 ms, most of it compiling the same text
each time: the regular expressions' matching code (re's parser and compiler,
in Python, about 30 ms) and the methods each dataclass generates (`__init__`,
`__eq__`, … as source text, compiled by exec: about 45 ms for its 54
dataclasses); with this, it takes some 35 ms. `install` serves both from a file in the cache folder,
keyed by the exact text compiled (a pattern and its flags; a method's
source), so what a build runs is the code it would have compiled, and a
changed pattern or class only meets its own entry. The file is named by the
interpreter's bytecode and regular expression formats, carries the digest of
its content (a damaged one is ignored) and is rewritten, aside and renamed,
when a run compiled something new (not by the workers a batch forks). The
cache is an optimisation only: without a cache folder (PERFREPORT_CACHE=off)
everything is compiled as before. Both hooks are CPython 3.11's internals
(re._compiler.compile, and the exec dataclasses calls), which is why the
file is named by the interpreter and tests compare what it serves with what
Python compiles.
"""
from __future__ import annotations

import _sre
import atexit
import dataclasses
import hashlib
import marshal
import os
import re
import sys
from pathlib import Path

from _frozen_importlib_external import MAGIC_NUMBER

from . import cache

NAME = f"compiled-{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}-{_sre.MAGIC}.bin"
LIMIT = 5000  # entries: beyond, the file keeps only what this run compiled (patterns may come from workbooks)
_compile_pattern = re._compiler.compile  # noqa: SLF001 - re has no public hook for its compiler


class _Compiled:
    """The compiled texts read from the cache and those compiled in this run."""

    def __init__(self, path: Path) -> None:
        self.path, self.patterns, self.code = path, {}, {}
        self.used: set = set()
        try:
            stored = path.read_bytes()
            if hashlib.sha256(stored[32:]).digest() == stored[:32]:
                self.patterns, self.code = marshal.loads(stored[32:])
        except (OSError, ValueError, EOFError, TypeError):
            pass
        self.known = len(self.patterns) + len(self.code)

    def pattern(self, pattern, flags: int = 0):
        """re's compiler, its output (the arguments of _sre.compile) kept by pattern and flags."""
        if flags & re.DEBUG or type(pattern) not in (str, bytes):  # a parsed pattern, or a str subclass, which
            return _compile_pattern(pattern, flags)  # marshal does not write
        key = (pattern, int(flags))  # a RegexFlag is an int subclass, which marshal does not write
        self.used.add(key)
        arguments = self.patterns.get(key)
        if arguments is None:
            arguments = self.patterns[key] = _arguments(*key)
        pattern, flags, code, *groups = arguments
        return _sre.compile(pattern, flags, memoryview(code).cast("I").tolist(), *groups)

    def exec(self, source, globals=None, locals=None) -> None:
        """exec for dataclasses' generated methods, their code kept by source text."""
        if type(source) is not str:
            return exec(source, globals, locals)
        self.used.add(source)
        code = self.code.get(source)
        if code is None:  # compiled as exec compiles it in the dataclasses module: no __future__ flags
            code = self.code[source] = compile(source, "<string>", "exec", dont_inherit=True)
        return exec(code, globals, locals)

    def save(self) -> None:
        """Write the file anew when this run compiled what it did not hold."""
        if len(self.patterns) + len(self.code) == self.known:
            return
        if len(self.patterns) + len(self.code) > LIMIT:
            self.patterns = {k: v for k, v in self.patterns.items() if k in self.used}
            self.code = {k: v for k, v in self.code.items() if k in self.used}
        import tempfile  # only when there is something to write: it is slow to import

        payload = marshal.dumps((self.patterns, self.code))
        try:  # written aside and renamed, so that a parallel run never reads half a file
            with tempfile.NamedTemporaryFile("wb", dir=self.path.parent, suffix=".tmp", delete=False) as out:
                out.write(hashlib.sha256(payload).digest() + payload)
            os.replace(out.name, self.path)
        except OSError:
            pass


def _arguments(pattern, flags: int) -> tuple:
    """What re._compiler.compile passes to _sre.compile for `pattern`."""
    from array import array

    parsed = re._parser.parse(pattern, flags)  # noqa: SLF001
    code = re._compiler._code(parsed, flags)  # noqa: SLF001
    groups = parsed.state.groupdict
    names = [None] * parsed.state.groups
    for name, number in groups.items():
        names[number] = name
    code = array("I", code).tobytes()  # bytes read back faster than a list of ints (of an int subclass, at that)
    return pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, dict(groups), tuple(names)


VERIFIED = ("cpython", (3, 11))  # the interpreter whose re._compiler and dataclasses these hooks were read against


def install() -> None:
    """Compile regular expressions and dataclass methods through the cache, saved as the process exits (on the
    interpreter the hooks were verified on; elsewhere Python compiles them as ever)."""
    folder = cache.folder()
    if folder is None or (sys.implementation.name, sys.version_info[:2]) != VERIFIED:
        return
    compiled = _Compiled(folder / NAME)
    re._compiler.compile = compiled.pattern  # noqa: SLF001
    dataclasses.exec = compiled.exec  # dataclasses._create_fn calls exec: this module global comes first
    atexit.register(compiled.save)
