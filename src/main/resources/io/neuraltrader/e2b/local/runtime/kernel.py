# Code context kernel of the local E2B runtime: one process per context, one execution at a time.
# Requests arrive as one JSON line each on stdin; messages go back as JSON lines on the original stdout,
# in E2B's execute stream format, followed by {"type": "__done__"} once the execution is over.
import ast
import datetime
import io
import json
import os
import sys
import threading
import traceback

# The protocol channel is a private copy of fd 1; fd 1 itself is pointed at stderr so output of child
# processes (or os.write(1, ...)) cannot corrupt the protocol.
_proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)
_requests = sys.stdin
sys.stdin = open(os.devnull)
_send_lock = threading.Lock()


def _send(msg):
    line = json.dumps(msg)
    with _send_lock:
        _proto.write(line + "\n")
        _proto.flush()


class _Stream(io.TextIOBase):
    """stdout/stderr of user code: whole lines are sent as soon as they are written, the rest on flush."""

    def __init__(self, kind):
        super().__init__()
        self._kind = kind
        self._buf = ""
        self._lock = threading.Lock()

    def writable(self):
        return True

    @property
    def encoding(self):
        return "utf-8"

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        with self._lock:
            self._buf += s
            cut = self._buf.rfind("\n") + 1
            if cut > 0:
                text, self._buf = self._buf[:cut], self._buf[cut:]
                self._emit(text)
        return len(s)

    def flush(self):
        with self._lock:
            if self._buf:
                text, self._buf = self._buf, ""
                self._emit(text)

    def _emit(self, text):
        # As E2B: the Jupyter message date, an ISO-8601 string such as 2026-03-02T14:00:00.123456+00:00
        _send({"type": self._kind, "text": text,
               "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat()})


_globals = {"__name__": "__main__", "__builtins__": __builtins__}
_count = 0


def _user_traceback(exc):
    tb = exc.__traceback__
    # drop this kernel's own frames so the traceback starts in the user's cell
    kernel_file = _run.__code__.co_filename
    while tb is not None and tb.tb_frame.f_code.co_filename == kernel_file:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _run_silent(request):
    # A background execution (the server's env var cleanup): no count, no output, errors only reported.
    out, err = io.StringIO(), io.StringIO()
    previous = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        exec(compile(request.get("code", ""), "<cell>", "exec"), _globals)
    except BaseException as exc:
        sys.stdout, sys.stderr = previous
        _send({"type": "error", "name": type(exc).__name__, "value": str(exc), "traceback": ""})
    finally:
        sys.stdout, sys.stderr = previous


def _run(request):
    global _count
    if request.get("silent"):
        _run_silent(request)
        return
    _count += 1
    _send({"type": "number_of_executions", "execution_count": _count})
    out, err = _Stream("stdout"), _Stream("stderr")
    previous = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        tree = ast.parse(request.get("code", ""), "<cell>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<cell>", "exec"), _globals)
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), _globals)
            if value is not None:
                out.flush()
                err.flush()
                _send({"type": "result", "text": repr(value), "is_main_result": True})
    except BaseException as exc:  # SystemExit and KeyboardInterrupt raised by user code are user errors too
        out.flush()
        err.flush()
        _send({"type": "error", "name": type(exc).__name__, "value": str(exc),
               "traceback": _user_traceback(exc)})
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = previous


def _main():
    while True:
        line = _requests.readline()
        if not line:
            return
        if not line.strip():
            continue
        _run(json.loads(line))
        _send({"type": "__done__"})


if __name__ == "__main__":
    _main()
