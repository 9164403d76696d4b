"""jinja2's code generator with macros that stream: a table its macro writes is never held as one string.

jinja2 compiles a macro to a function that collects what it writes in a list
and returns it joined; a macro calling another gets the callee's output as
one string, joins it into its own and returns that. The template's tables
are written by such macros (`表格` → `放置` → `表格内容` → the design's), so
the largest table was held whole several times over (a hundred million
characters at 1,000 times the sample's rows).

`CodeGenerator` compiles every macro twice from the same nodes: as jinja2
does, and as a generator (`stream` on the macro) that collects what it
writes as jinja2's does but yields it, joined, every FLUSH pieces and at
its end. Where an output `{{ … }}` of the template's top level or of such
a generator calls a name that is a macro with one, the call yields from it
(after what was collected before it); any other call prints as jinja2
prints it. The text is the same: each piece a macro writes is escaped as it
is written, and the string jinja2 returns is Markup, which the caller's
escaping leaves as it is. What is printed is escaped by `escaped`, which
prints what markupsafe.escape prints but makes no Markup of a text that
needs no escaping (what is printed is joined, never escaped again).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator as JinjaCodeGenerator
from jinja2.runtime import Macro
from markupsafe import escape

FLUSH = 256  # pieces a streaming macro collects before it yields them, joined
# what the compiled code depends on beyond the template (this module, jinja2): its bytecode cache is keyed by it too
DIGEST = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:16]


def escaped(value) -> str:
    """What markupsafe.escape prints for `value`; a text that needs no escaping as it is, not made a Markup."""
    if type(value) is str and not ("&" in value or "<" in value or ">" in value or "'" in value or '"' in value):
        return value
    return escape(value)


class Streamed(Macro):
    """A macro whose call returns the generator of what it writes, not the string."""

    def _invoke(self, arguments, autoescape):
        return self._func(*arguments)


class CodeGenerator(JinjaCodeGenerator):
    """jinja2's code generator, its macros also compiled to stream (see the module's docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._streaming = False  # the next buffer is a streaming macro's (macro_body makes it first)
        self._streams: set[str] = set()  # the buffers streaming macros yield from

    def write_commons(self) -> None:
        super().write_commons()
        self.writeline("escaped = environment.escaped")

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("escaped(")  # what is printed is joined: a Markup of each text is not needed
        if finalize.src is not None:
            self.write(finalize.src)

    def visit_Macro(self, node: nodes.Macro, frame) -> None:
        super().visit_Macro(node, frame)
        self._streaming = True
        macro_frame, ref = self.macro_body(node, frame)
        arguments = "".join(f"{a.name!r}, " for a in node.args)
        self.newline()
        self.write(f"{frame.symbols.ref(node.name)}.stream = environment.streamed_macro(environment, macro, "
                   f"{node.name!r}, ({arguments}), {ref.accesses_kwargs!r}, {ref.accesses_varargs!r}, "
                   f"{ref.accesses_caller!r}, context.eval_ctx.autoescape)")

    def buffer(self, frame) -> None:
        super().buffer(frame)
        if self._streaming:
            self._streaming = False
            self._streams.add(frame.buffer)
            self.writeline("if 0: yield None")  # a generator even when the macro writes nothing

    def return_buffer_contents(self, frame, force_unescaped: bool = False) -> None:
        if frame.buffer in self._streams:
            self._flush(frame)
        else:
            super().return_buffer_contents(frame, force_unescaped)

    def visit_Output(self, node: nodes.Output, frame) -> None:
        if not (frame.buffer in self._streams or frame.buffer is None and not frame.require_output_check):
            return super().visit_Output(node, frame)
        run: list[nodes.Expr] = []
        for child in [*node.nodes, None]:
            if child is not None and not (isinstance(child, nodes.Call) and isinstance(child.node, nodes.Name)):
                run.append(child)
                continue
            if run:
                super().visit_Output(nodes.Output(run, lineno=run[0].lineno), frame)
                run = []
            if child is not None:
                self._call(child, frame)
        if frame.buffer is not None:
            self.writeline(f"if len({frame.buffer}) >= {FLUSH}:")
            self.indent()
            self._flush(frame)
            self.outdent()

    def _flush(self, frame) -> None:
        """Yield what a streaming macro's buffer holds, and empty it."""
        self.writeline(f"if {frame.buffer}:")
        self.indent()
        self.writeline(f"yield concat({frame.buffer})")
        self.writeline(f"{frame.buffer}.clear()")
        self.outdent()

    def _call(self, node: nodes.Call, frame) -> None:
        """A call printed where output streams: from the callee's stream when it is a macro that has one."""
        callee = self.temporary_identifier()
        self.writeline(f"{callee} = ", node)
        self.visit(node.node, frame)
        self.writeline(f"if type({callee}) is Macro and hasattr({callee}, 'stream'):")
        self.indent()
        if frame.buffer is not None:
            self._flush(frame)
        self.writeline("yield from ", node)
        self.visit_Call(_called(f"{callee}.stream", node), frame)
        self.outdent()
        self.writeline("else:")
        self.indent()
        finalize = self._make_finalize()
        self.start_write(frame, node)
        self._output_child_pre(node, frame, finalize)
        self.visit_Call(_called(callee, node), frame)
        self._output_child_post(node, frame, finalize)
        self.end_write(frame)
        self.outdent()


class Environment(jinja2.Environment):
    """jinja2's environment, its templates compiled by CodeGenerator, with what their code uses."""

    code_generator_class = CodeGenerator
    streamed_macro = Streamed
    escaped = staticmethod(escaped)


def _called(name: str, call: nodes.Call) -> nodes.Call:
    """`call` with its callee the compiled code's `name`."""
    callee = object.__new__(nodes.InternalName)  # as jinja2's parser makes one (Parser.free_identifier)
    nodes.Node.__init__(callee, name, lineno=call.lineno)
    return nodes.Call(callee, call.args, call.kwargs, call.dyn_args, call.dyn_kwargs, lineno=call.lineno)
