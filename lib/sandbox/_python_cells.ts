/**
 * The Python side of a cell, shared by every Python backend (Pyodide sessions and the native
 * REPL), so both run a cell the same way.
 *
 * NOTEBOOK_PY: the notebook semantics (a session's cells share globals): stdout and stderr captured
 * up to a cap, the value of a bare last expression echoed with repr() (not when a semicolon ends
 * it), top-level await, the error as its last traceback line. `_tocode_run(code, cap)` returns the
 * answer as JSON text, or a coroutine that does when the cell awaits at top level.
 *
 * QWEN_PY: Qwen2.5-Math's executor (see docs/sandbox.md for the files it follows).
 * `_qwen_run(program)` runs a whole program in a fresh namespace and returns the answer as JSON
 * text, with `output` the text their harness shows the model.
 */

export const NOTEBOOK_PY = String.raw`
import ast, sys, io, json, traceback
from ast import PyCF_ALLOW_TOP_LEVEL_AWAIT
from inspect import CO_COROUTINE

def _compile(code):
    """
    The cell's statements, and its last expression apart so its value can be echoed (not when a
    semicolon ends it, the IPython rule). Parsed once by the C parser: Pyodide's CodeRunner does
    the same with a tokenizer pass that costs several times more per cell.
    """
    flags = PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = compile(code, "<exec>", "exec", ast.PyCF_ONLY_AST | flags)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        node = tree.body[-1]
        line = code.splitlines()[node.end_lineno - 1].encode()
        if not line[node.end_col_offset:].lstrip().startswith(b";"):
            tree.body.pop()
            last = compile(ast.Expression(node.value), "<exec>", "eval", flags)
    return compile(tree, "<exec>", "exec", flags), last

class _Capture(io.TextIOBase):
    """Keeps the first cap characters written; counts the rest."""
    def __init__(self, cap):
        self.parts, self.size, self.cap, self.truncated = [], 0, cap, False
    def writable(self):
        return True
    def write(self, s):
        room = self.cap - self.size
        if room > 0:
            self.parts.append(s[:room])
            self.size += min(len(s), room)
        if len(s) > max(room, 0):
            self.truncated = True
        return len(s)
    def value(self):
        return "".join(self.parts)

_namespace = {"__name__": "__main__", "__builtins__": __builtins__}

class _Cell:
    """One cell: output captured while it runs, the last expression echoed, the error's last line."""
    def __init__(self, cap):
        self.out, self.err = _Capture(cap), _Capture(cap)
        self.status, self.error = "ok", None
    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.out, self.err
        return self
    def echo(self, value):
        if value is not None:
            print(repr(value))
    def __exit__(self, kind, e, tb):
        sys.stdout, sys.stderr = self.saved
        if isinstance(e, MemoryError):
            self.status, self.error = "limit", "MemoryError: out of memory"
        elif e is not None:
            self.status = "error"
            self.error = traceback.format_exception_only(kind, e)[-1].strip()
        return True
    def answer(self):
        """The answer as JSON text: one string crosses into JavaScript, not a proxy per field."""
        return json.dumps({
            "status": self.status,
            "stdout": self.out.value(),
            "stderr": self.err.value(),
            "error": self.error,
            "truncated": self.out.truncated or self.err.truncated,
        })

async def _run_async(body, last, cell):
    with cell:
        ran = eval(body, _namespace)
        if body.co_flags & CO_COROUTINE:
            await ran
        value = eval(last, _namespace) if last else None
        cell.echo(await value if last and last.co_flags & CO_COROUTINE else value)
    return cell.answer()

def _tocode_run(code, cap):
    """Runs a cell; a coroutine when the cell awaits at top level (the caller awaits it)."""
    cell = _Cell(cap)
    with cell:
        body, last = _compile(code)
        if (body.co_flags | (last.co_flags if last else 0)) & CO_COROUTINE:
            return _run_async(body, last, cell)
        exec(body, _namespace)
        cell.echo(eval(last, _namespace) if last else None)
    return cell.answer()
`;

export const QWEN_PY = String.raw`
import contextlib, io, json, pickle, re, traceback

class _Ends(io.TextIOBase):
    """Keeps the first and the last 'keep' characters written (all of it when shorter)."""
    def __init__(self, keep):
        self.head, self.tail, self.size, self.keep = "", "", 0, keep
    def writable(self):
        return True
    def write(self, s):
        if len(self.head) < self.keep:
            self.head += s[: self.keep - len(self.head)]
        self.tail = (self.tail + s)[-self.keep :]
        self.size += len(s)
        return len(s)
    def text(self):
        if self.size <= len(self.head):
            return self.head
        overlap = len(self.head) + len(self.tail) - self.size
        return self.head + (self.tail[overlap:] if overlap >= 0 else "\n" + self.tail)

def _qwen_truncate(s, max_length=400):
    half = max_length // 2
    return s[:half] + "..." + s[-half:] if len(s) > max_length else s

def _qwen_exec(code, namespace):
    if re.search(r"(\s|^)?input\(", code):
        raise RuntimeError()
    exec(code, namespace)

def _qwen_run(program):
    """
    Qwen2.5-Math's PythonExecutor.execute in auto_mode, then batch_apply's post-processing: the
    program's lines run in a fresh namespace; when the last line calls print( the stdout of the
    whole program is the result, else the other lines run and the last line's value is the
    result (their other output is not shown); any exception gives an empty result and the last
    line of its traceback as the report ("Done" otherwise); both are stripped and cut to 400
    characters (the first and the last 200 around "..."); the model is shown the result, or the
    report when the result is empty.
    """
    lines = program.strip().split("\n")
    namespace = {}
    try:
        if "print(" in lines[-1]:
            out = _Ends(100_000)
            with contextlib.redirect_stdout(out):
                _qwen_exec("\n".join(lines), namespace)
            result = out.text()
        else:
            with contextlib.redirect_stdout(_Ends(0)):
                _qwen_exec("\n".join(lines[:-1]), namespace)
            result = eval(lines[-1], namespace)
        report = "Done"
        str(result)
        pickle.dumps(result)
    except:
        result = ""
        report = traceback.format_exc().split("\n")[-2]
    result = _qwen_truncate(str(result).strip())
    report = _qwen_truncate(str(report).strip())
    failed = report != "Done"
    return json.dumps({
        "status": "error" if failed else "ok",
        "stdout": result,
        "stderr": "",
        "error": report if failed else None,
        "truncated": False,
        "output": result if result else report,
    })
`;
