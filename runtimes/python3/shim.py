"""SOPM python3 runtime shim, installed as /sopm/python3/shim.py.

    /sopm/init /usr/bin/python3 -B -s /sopm/python3/shim.py HANDLER
    /usr/bin/python3 -B -s /sopm/python3/shim.py --check HANDLER

HANDLER is NAME (function NAME of main.py) or FILE.NAME (function NAME of
FILE.py), in the user's folder /fn (SOPM_FN_DIR overrides it, for tests).
The handler is imported once, then the shim loops: it reads a framed request
on fd 3, calls handler(event, context), and writes a framed response on fd 4
(docs/runtimes.md, "Wire protocol"). --check, which the builder runs at
build time, compiles every .py file of the folder (py_compile, bytecode under
/tmp) and then imports the handler.

Exit status: 0 at EOF between frames; 1 when the handler cannot be loaded;
2 for a malformed frame, a broken protocol fd or a usage error. SystemExit
and KeyboardInterrupt raised by the handler end the process as usual.
"""
import importlib
import json
import os
import re
import sys
import time
import traceback
import types

PROTO_IN, PROTO_OUT = 3, 4
HEADER_MAX = 65536
BODY_MAX = 64 * 1024 * 1024
LEN_LINE_MAX = 32
NO_DEADLINE_MS = 2147483647
EXIT_LOAD, EXIT_PROTOCOL = 1, 2

LEN_LINE = re.compile(rb"(0|[1-9][0-9]{0,8}) (0|[1-9][0-9]{0,8})\n")
HEADER_NAME = re.compile(r"[a-z_]+")
HEADER_INT = re.compile(r"0|[1-9][0-9]{0,14}")  # below 2^53, as in node

FN_DIR = os.path.abspath(os.environ.get("SOPM_FN_DIR") or "/fn")


class ProtocolError(Exception):
    """The executor broke the framing: the shim exits 2."""


def flush_user_output():
    for f in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            f.flush()
        except Exception:  # closed or replaced by the user's code
            pass


def die(code, msg):
    flush_user_output()
    try:
        os.write(2, f"sopm: {msg}\n".encode("utf-8", "replace"))
    finally:
        # os._exit: threads the user left running must not keep us alive
        os._exit(code)


def is_user_file(filename):
    return filename.startswith(FN_DIR + os.sep)


def format_exception(e):
    """The traceback of e from the first frame of the user's code on (none
    when no frame is theirs, e.g. a SyntaxError in their file)."""
    tb = e.__traceback__
    while tb is not None and not is_user_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(e), e, tb))


def load_handler(spec):
    """The callable named by spec; exits 1 with the reason if there is none."""
    module_name, _, attr = spec.rpartition(".")
    module_name = module_name or "main"
    if not all(p.isidentifier() for p in module_name.split(".") + [attr]):
        die(EXIT_LOAD, f"bad handler {spec!r}: expected NAME or FILE.NAME")
    try:
        module = importlib.import_module(module_name)
    except Exception as e:
        die(EXIT_LOAD, f"cannot import {module_name} from {FN_DIR}:\n"
            + format_exception(e).rstrip("\n"))
    fn = getattr(module, attr, None)
    if fn is None:
        die(EXIT_LOAD, f"{module_name} has no attribute {attr!r}")
    if not callable(fn):
        die(EXIT_LOAD, f"{module_name}.{attr} is not callable")
    return fn


class Context:
    """What the handler knows about its call besides the event."""

    __slots__ = ("function_name", "function_version", "job_id", "deadline_ms")

    def __init__(self, function_name="", function_version=0, job_id="",
                 deadline_ms=0):
        self.function_name = function_name
        self.function_version = function_version
        self.job_id = job_id
        self.deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        """ms until the deadline, >= 0; 2147483647 when there is none."""
        if not self.deadline_ms:
            return NO_DEADLINE_MS
        return max(0, self.deadline_ms - time.time_ns() // 1_000_000)

    def __repr__(self):
        return ("Context(function_name=%r, function_version=%r, job_id=%r, "
                "deadline_ms=%r)" % (self.function_name,
                                     self.function_version, self.job_id,
                                     self.deadline_ms))


def parse_header(raw):
    """A Context from the request header; ProtocolError when malformed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ProtocolError(f"header is not UTF-8: {e}") from None
    if "\0" in text:
        raise ProtocolError("header holds a NUL byte")
    if text and not text.endswith("\n"):
        raise ProtocolError("header has no final newline")
    fields = {}
    for line in text.split("\n")[:-1]:
        name, eq, value = line.partition("=")
        if not eq or not HEADER_NAME.fullmatch(name):
            raise ProtocolError(f"header line {line[:64]!r} is not name=value")
        fields[name] = value
    ints = {}
    for name in ("function_version", "deadline_ms"):
        value = fields.get(name, "0")
        if not HEADER_INT.fullmatch(value):
            raise ProtocolError(f"header {name}={value[:32]!r} is not an integer")
        ints[name] = int(value)
    return Context(fields.get("function_name", ""), ints["function_version"],
                   fields.get("job_id", ""), ints["deadline_ms"])


class Reader:
    def __init__(self, fd):
        self.f = open(fd, "rb", buffering=65536, closefd=False)

    def exact(self, n):
        data = self.f.read(n)  # a BufferedReader reads on to n or EOF
        if len(data) != n:
            raise ProtocolError("EOF inside a frame")
        return data

    def frame(self):
        """(header bytes, body bytes), or None at EOF between frames."""
        line = self.f.readline(LEN_LINE_MAX)
        if not line:
            return None
        if not line.endswith(b"\n"):
            if len(line) < LEN_LINE_MAX:
                raise ProtocolError("EOF inside a length line")
            raise ProtocolError(f"length line longer than {LEN_LINE_MAX} bytes")
        m = LEN_LINE.fullmatch(line)
        if not m:
            raise ProtocolError(f"bad length line {line[:LEN_LINE_MAX]!r}")
        hlen, blen = int(m[1]), int(m[2])
        if hlen > HEADER_MAX:
            raise ProtocolError(f"header_len {hlen} > {HEADER_MAX}")
        if blen > BODY_MAX:
            raise ProtocolError(f"body_len {blen} > {BODY_MAX}")
        return self.exact(hlen), self.exact(blen)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def respond(header, body):
    if len(body) > BODY_MAX:  # only an error text can be this long here
        body = body[:BODY_MAX].decode("utf-8", "ignore").encode("utf-8")
    try:
        write_all(PROTO_OUT, b"%d %d\n%s" % (len(header), len(body), header))
        write_all(PROTO_OUT, body)
    except OSError as e:
        die(EXIT_PROTOCOL, f"cannot write a response: {e}")


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def call(handler, context, body):
    """(header, body) of the response to one request."""
    try:
        event = json.loads(body.decode("utf-8"), parse_constant=reject_constant)
    except UnicodeDecodeError as e:
        return error("bad_event", f"the event is not UTF-8: {e}")
    except (ValueError, RecursionError) as e:
        return error("bad_event", f"the event is not JSON: {e}")
    try:
        result = handler(event, context)
        if isinstance(result, types.CoroutineType):  # an async def handler
            import asyncio
            result = asyncio.run(result)
    except Exception as e:
        return error("exception", format_exception(e))
    try:
        data = json.dumps(result, allow_nan=False, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
    except Exception as e:  # TypeError, ValueError (NaN, cycles), ...
        return error("bad_result", f"{type(e).__name__}: {e}")
    if len(data) > BODY_MAX:
        return error("bad_result", f"the result is {len(data)} bytes, over "
                     f"the limit of {BODY_MAX}")
    return b"status=ok\n", data


def error(error_type, text):
    return (b"status=error\nerror_type=%s\n" % error_type.encode(),
            text.encode("utf-8", "backslashreplace"))


def serve(handler):
    reader = Reader(PROTO_IN)
    while True:
        try:
            frame = reader.frame()
            if frame is None:
                break
            context = parse_header(frame[0])
        except ProtocolError as e:
            die(EXIT_PROTOCOL, f"malformed frame: {e}")
        except OSError as e:
            die(EXIT_PROTOCOL, f"cannot read a request: {e}")
        started = time.monotonic_ns()
        header, body = call(handler, context, frame[1])
        frame = context = None  # the request is garbage before the next
        flush_user_output()  # the call's log lines before its answer
        took = (time.monotonic_ns() - started) // 1000
        respond(header + b"duration_us=%d\n" % took, body)
    flush_user_output()
    os._exit(0)


def compile_all():
    """py_compile of every .py file under FN_DIR, as `python3 -m
    py_compile` reports it; exit 1 at the first error."""
    import py_compile
    import tempfile
    cfile = os.path.join(tempfile.gettempdir(), f"sopm-check-{os.getpid()}.pyc")
    for top, dirs, files in os.walk(FN_DIR):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(top, name)
            try:
                py_compile.compile(path, cfile=cfile, doraise=True)
            except py_compile.PyCompileError as e:
                sys.stderr.write(e.msg + "\n")
                flush_user_output()
                os._exit(EXIT_LOAD)


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 1:
        die(EXIT_PROTOCOL, "usage: shim.py [--check] HANDLER")
    if not check:
        for fd in (PROTO_IN, PROTO_OUT):
            try:
                os.set_inheritable(fd, False)  # close-on-exec
                os.set_blocking(fd, True)
            except OSError as e:
                die(EXIT_PROTOCOL, f"fd {fd}: {e.strerror} (run under /sopm/init)")
    # The user's folder replaces the shim's as sys.path[0], and is the cwd.
    sys.path[0] = FN_DIR
    try:
        os.chdir(FN_DIR)
    except OSError as e:
        die(EXIT_LOAD, f"cannot enter {FN_DIR}: {e.strerror}")
    if check:
        compile_all()
    handler = load_handler(argv[0])
    if check:
        flush_user_output()
        os._exit(0)
    serve(handler)


if __name__ == "__main__":
    main(sys.argv[1:])
