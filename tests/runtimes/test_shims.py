"""The runtime shims (python3, node, c) and /sopm/init, run on the host.

Each test runs the real launcher and shim as an image would, with the
protocol on the launcher's stdin/stdout and the log on its stderr
(docs/runtimes.md). Fixtures and user code: conftest.py.
"""
import json
import subprocess
import time

import pytest

from conftest import (BUILDER_CFLAGS, GCC, NO_DEADLINE_MS, PROBE, ROOT,
                      RUNTIMES, STYLE_CFLAGS, err, frame, gcc, ok,
                      read_available, read_frame, request)

ALL = ["python3", "node", "c"]
JSON_RUNTIMES = ["python3", "node"]  # the ones that parse the event


# --- the launcher ---------------------------------------------------------

def test_init_moves_the_protocol_to_fds_3_and_4(env):
    script = ("read line <&3; echo \"got $line\" >&4; echo to-stdout; "
              "echo to-stderr >&2; cat; echo stdin-was-empty >&2")
    r = subprocess.run([str(env.init), "/bin/sh", "-c", script],
                       input=b"request\n", capture_output=True, timeout=10)
    assert r.returncode == 0
    assert r.stdout == b"got request\n"  # only what went to fd 4
    assert r.stderr == b"to-stdout\nto-stderr\nstdin-was-empty\n"


def test_init_leaves_3_and_4_open_across_exec(env):
    r = subprocess.run([str(env.init), "/bin/sh", "-c", PROBE],
                       capture_output=True, timeout=10)
    assert r.stderr == b"fd3=open\nfd4=open\n"


def test_init_usage_and_exec_failure_exit_127(env):
    r = subprocess.run([str(env.init)], capture_output=True, timeout=10)
    assert r.returncode == 127 and b"usage" in r.stderr
    r = subprocess.run([str(env.init), "/nonexistent/prog"],
                       capture_output=True, timeout=10)
    assert r.returncode == 127
    assert b"/nonexistent/prog: No such file" in r.stderr
    assert r.stdout == b""


def test_init_builds_with_the_style_flags(tmp_path):
    gcc(*STYLE_CFLAGS, "-static", RUNTIMES / "init" / "sopm_init.c",
        "-o", tmp_path / "init")


# --- every runtime: the loop --------------------------------------------

@pytest.mark.parametrize("rt", ALL)
def test_loop_keeps_state_between_calls(env, rt):
    r = env.run(rt, request({"op": "count"}) * 3)
    assert r.rc == 0, r
    assert [ok(r, i) for i in range(3)] == [{"count": n} for n in (1, 2, 3)]


@pytest.mark.parametrize("rt", ALL)
def test_clean_eof_exits_0(env, rt):
    r = env.run(rt, b"")
    assert (r.rc, r.stdout) == (0, b""), r


@pytest.mark.parametrize("rt", ALL)
def test_answers_each_request_before_reading_the_next(env, rt):
    """One request at a time over a pipe kept open: each answer arrives, and
    the call's log lines are in the log pipe before it."""
    p = env.start(rt)
    try:
        for n in (1, 2, 3):
            p.stdin.write(request({"op": "log"}))
            p.stdin.flush()
            header, body = read_frame(p)
            assert (header, json.loads(body)) == ({"status": "ok"}, "logged")
            log = read_available(p.stderr.fileno()).decode()
            assert f"stdout-line {n}\n" in log and f"stderr-line {n}\n" in log
        p.stdin.close()
        assert p.wait(timeout=10) == 0
    finally:
        p.kill()
        p.wait()


@pytest.mark.parametrize("rt", ALL)
def test_context(env, rt):
    soon = int(time.time() * 1000) + 60_000
    r = env.run(rt, request({"op": "context"}, function_name="hello",
                            function_version=7, job_id="j-\u00e9\U0001f600",
                            deadline_ms=soon)
                + request({"op": "context"}, deadline_ms=1000)
                + request({"op": "context"}, deadline_ms=0)
                + request({"op": "context"}, function_name=None,
                          function_version=None, job_id=None,
                          deadline_ms=None, unknown_field="x"))
    assert r.rc == 0, r
    first = ok(r, 0)
    remaining = first.pop("remaining")
    assert first == {"function_name": "hello", "function_version": 7,
                     "job_id": "j-\u00e9\U0001f600", "deadline_ms": soon}
    assert 50_000 < remaining <= 60_000
    assert ok(r, 1)["remaining"] == 0  # the deadline is long past
    assert ok(r, 2)["remaining"] == NO_DEADLINE_MS
    assert ok(r, 3) == {"function_name": "", "function_version": 0,
                        "job_id": "", "deadline_ms": 0,
                        "remaining": NO_DEADLINE_MS}


@pytest.mark.parametrize("rt", ALL)
def test_cwd_is_the_function_folder(env, rt):
    r = env.run(rt, request({"op": "where"}))
    assert ok(r)["cwd"] == str(env.fn[rt])


@pytest.mark.parametrize("rt", ALL)
def test_logs_go_to_stderr_never_to_the_protocol(env, rt):
    r = env.run(rt, request({"op": "log"}) * 2)
    assert r.rc == 0, r
    assert [ok(r, i) for i in range(2)] == ["logged", "logged"]
    expected = {"python3": ["stdout-line", "stderr-line", "child-line",
                            "system-line"],
                "node": ["stdout-line", "stderr-line", "child-line"],
                "c": ["stdout-line", "stderr-line", "system-line"]}[rt]
    lines = r.stderr.splitlines()
    for n in (1, 2):
        for what in expected:
            want = f"{what} {n}" if what.startswith("std") else what
            assert want in lines, r
    assert b"line" not in r.stdout


@pytest.mark.parametrize("rt", ALL)
def test_protocol_fds_are_not_inherited_by_children(env, rt):
    r = env.run(rt, request({"op": "fds"}))
    assert ok(r) is None
    assert "fd3=closed" in r.stderr and "fd4=closed" in r.stderr, r


@pytest.mark.parametrize("rt", ALL)
def test_exception_is_an_error_response_and_the_loop_goes_on(env, rt):
    r = env.run(rt, request({"op": "raise"}) + request({"op": "count"}))
    assert r.rc == 0, r
    text = err(r, "exception")
    assert ok(r, 1) == {"count": 2}
    if rt == "python3":
        assert text.startswith("Traceback (most recent call last):\n")
        assert f'File "{env.fn[rt]}/main.py", line' in text
        assert text.endswith("ValueError: boom 1\n")
        assert "shim.py" not in text  # only the user's frames
    elif rt == "node":
        assert text.startswith("Error: boom 1\n")
        assert f"{env.fn[rt]}/index.js:" in text
        assert "shim.js" not in text
    else:
        assert text == "boom 1"


@pytest.mark.parametrize("rt", ALL)
def test_exit_in_the_handler_ends_the_process(env, rt):
    r = env.run(rt, request({"op": "exit"}) + request({"op": "count"}))
    assert (r.rc, r.stdout) == (3, b""), r


@pytest.mark.parametrize("rt", ALL)
def test_large_body_round_trip(env, rt):
    event = {"op": "echo", "data": "x" * (1 << 20) + "\u00e9\U0001d11e",
             "list": list(range(1000))}
    r = env.run(rt, request(event) * 2)
    assert r.rc == 0, r
    assert ok(r, 0) == event and ok(r, 1) == event


@pytest.mark.parametrize("rt", ALL)
def test_unicode_round_trip(env, rt):
    # astral, combining, RTL, CJK, an escaped NUL and a key that is not ASCII
    event = {"op": "echo", "s": "\U0001d11e e\u0301 \u05e9\u05dc\u05d5\u05dd "
             "\u65e5\u672c \U0001f468\u200d\U0001f469 nul:\u0000",
             "\u00e9t\u00e9": ["\u2603"]}
    r = env.run(rt, request(event))
    assert ok(r) == event
    # UTF-8 out, not \u escapes
    assert "\U0001d11e".encode() in r.frames[0][1]


@pytest.mark.parametrize("rt", ALL)
def test_largest_header_is_accepted(env, rt):
    pad = "p=" + "x" * (65536 - 3) + "\n"
    data = frame(pad.encode(), b'{"op":"count"}')
    assert data.startswith(b"65536 14\n")
    r = env.run(rt, data)
    assert r.rc == 0, r
    assert ok(r) == {"count": 1}


MALFORMED = {
    "not_numbers": b"abc\n",
    "eof_in_length_line": b"0 2",
    "leading_zero": b"01 2\n{}",
    "plus_sign": b"+0 2\n{}",
    "minus_sign": b"0 -2\n{}",
    "two_spaces": b"0  2\n{}",
    "leading_space": b" 0 2\n{}",
    "trailing_space": b"0 2 \n{}",
    "crlf": b"0 2\r\n{}",
    "one_number": b"2\n{}",
    "long_line": b"1" * 40 + b"\n",
    "endless_line": b"7" * 100,
    "header_over_64k": b"65537 0\n",
    "body_over_64m": b"0 67108865\n",
    "eof_in_header": b"8 2\nab",
    "eof_in_body": b"0 10\n{}",
    "no_equals": frame(b"job_id\n", b"{}"),
    "empty_name": frame(b"=x\n", b"{}"),
    "upper_case_name": frame(b"Job_id=x\n", b"{}"),
    "digit_in_name": frame(b"job1=x\n", b"{}"),
    "no_final_newline": frame(b"job_id=x", b"{}"),
    "version_not_integer": frame(b"function_version=x\n", b"{}"),
    "version_leading_zero": frame(b"function_version=01\n", b"{}"),
    "version_empty": frame(b"function_version=\n", b"{}"),
    "deadline_negative": frame(b"deadline_ms=-1\n", b"{}"),
    "deadline_too_large": frame(b"deadline_ms=" + b"9" * 16 + b"\n", b"{}"),
    "header_not_utf8": frame(b"job_id=\xff\n", b"{}"),
    "header_surrogate": frame(b"job_id=\xed\xa0\x80\n", b"{}"),
    "header_overlong": frame(b"job_id=\xc0\xaf\n", b"{}"),
    "header_nul": frame(b"job_id=a\x00b\n", b"{}"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("rt", ALL)
def test_malformed_frame_exits_2(env, rt, case):
    r = env.run(rt, MALFORMED[case])
    assert (r.rc, r.stdout) == (2, b""), r
    assert r.stderr.startswith("sopm: "), r


@pytest.mark.parametrize("rt", ALL)
def test_malformed_frame_after_a_good_one(env, rt):
    r = env.run(rt, request({"op": "count"}) + b"1 0\n")
    assert r.rc == 2, r
    assert [ok(r)] == [{"count": 1}]


@pytest.mark.parametrize("data", [b"0 67108865\n", b"65537 0\n", b"1" * 32])
@pytest.mark.parametrize("rt", ALL)
def test_too_long_frame_is_refused_at_once(env, rt, data):
    """The shim exits on the length line, without waiting for more input."""
    p = env.start(rt)
    try:
        p.stdin.write(data)
        p.stdin.flush()
        assert p.wait(timeout=10) == 2
        assert p.stdout.read() == b""
    finally:
        p.kill()
        p.wait()


@pytest.mark.parametrize("rt", ALL)
def test_shim_without_the_launcher_exits_2(env, rt):
    r = env.run(rt, request({}), launcher=False)
    assert r.rc == 2, r
    assert "fd 3" in r.stderr and "/sopm/init" in r.stderr


# --- python3 and node: the event and the result are JSON -----------------

@pytest.mark.parametrize("body", [b"", b"{", b"NaN", b"[1,]", b"\xff\xfe",
                                  b"\xef\xbb\xbf{}", b"{} x"])
@pytest.mark.parametrize("rt", JSON_RUNTIMES)
def test_bad_event(env, rt, body):
    r = env.run(rt, request(raw=body) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_event")
    assert ok(r, 1) == {"count": 1}  # the handler never saw the bad one


@pytest.mark.parametrize("rt", JSON_RUNTIMES)
def test_sync_handler_and_other_json_values(env, rt):
    r = env.run(rt, request([1, "a", None, True, 1.5]) + request("s")
                + request(None), handler="sync")
    assert [ok(r, i) for i in range(3)] == [
        {"sync": [1, "a", None, True, 1.5]}, {"sync": "s"}, {"sync": None}]


@pytest.mark.parametrize("rt,handler,reason", [
    ("python3", "nope", "main has no attribute 'nope'"),
    ("python3", "notfn", "main.notfn is not callable"),
    ("python3", "bad-name", "bad handler"),
    ("python3", "nomodule.handle", "No module named 'nomodule'"),
    ("node", "nope", "has no export 'nope'"),
    ("node", "notfn", "export 'notfn' is not a function"),
    ("node", "a.b", "bad handler"),
])
def test_missing_handler_exits_1(env, rt, handler, reason):
    r = env.run(rt, request({}), handler=handler)
    assert (r.rc, r.stdout) == (1, b""), r
    assert reason in r.stderr


# --- python3 -------------------------------------------------------------

@pytest.mark.parametrize("op,text", [
    ("set", "TypeError: Object of type set is not JSON serializable"),
    ("nan", "ValueError: Out of range float values are not JSON compliant"),
    ("circular", "ValueError: Circular reference detected"),
    ("surrogate", "UnicodeEncodeError: 'utf-8' codec can't encode"),
])
def test_python_bad_result(env, op, text):
    r = env.run("python3", request({"op": op}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_result").startswith(text)
    assert ok(r, 1) == {"count": 2}


def test_python_event_objects_are_dicts_and_async_handlers_run(env):
    r = env.run("python3", request({"op": "async"}))
    assert ok(r) == "awaited"


def test_python_file_dot_name_handler_and_subfolders(env):
    r = env.run("python3", request({"name": "ann"}), handler="util.greet")
    assert r.rc == 0, r
    assert ok(r) == "hello ann"


def test_python_user_folder_is_sys_path_0(env):
    r = env.run("python3", request({"op": "where"}))
    assert ok(r)["path0"] == str(env.fn["python3"])


def test_python_import_error_exits_1_with_the_traceback(env):
    r = env.run("py_bad", request({"op": "count"}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert r.stderr.startswith("sopm: cannot import main from ")
    assert f'File "{env.fn["py_bad"]}/main.py", line 4, in <module>' in r.stderr
    assert "RuntimeError: boom at import" in r.stderr
    assert "importlib" not in r.stderr


def test_python_syntax_error_exits_1(env):
    r = env.run("py_syntax", request({}))
    assert r.rc == 1, r
    assert f'File "{env.fn["py_syntax"]}/main.py", line 2' in r.stderr
    assert "SyntaxError" in r.stderr


def test_python_check(env):
    for handler in ("handle", "util.greet"):
        r = env.run("python3", argv=env.check_argv("python3", handler),
                    launcher=False)
        assert (r.rc, r.stdout, r.stderr) == (0, b"", ""), r
    r = env.run("python3", argv=env.check_argv("python3", "nope"),
                launcher=False)
    assert r.rc == 1 and r.stderr == "sopm: main has no attribute 'nope'\n"
    r = env.run("py_bad", argv=env.check_argv("py_bad", "handle"),
                launcher=False)
    assert r.rc == 1 and "RuntimeError: boom at import" in r.stderr
    r = env.run("py_syntax", argv=env.check_argv("py_syntax", "handle"),
                launcher=False)
    assert r.rc == 1 and "SyntaxError" in r.stderr


def test_python_check_does_not_wait_for_the_modules_threads(env):
    start = time.monotonic()
    r = env.run("py_thread", argv=env.check_argv("py_thread", "handle"),
                launcher=False, timeout=10)
    assert r.rc == 0, r
    assert time.monotonic() - start < 5


# --- node ----------------------------------------------------------------

@pytest.mark.parametrize("op,expected", [
    ("undefined", None), ("nan", None), ("later", "later")])
def test_node_results(env, op, expected):
    r = env.run("node", request({"op": op}))
    assert r.rc == 0, r
    assert ok(r) == expected


@pytest.mark.parametrize("op,text", [
    ("bigint", "TypeError: Do not know how to serialize a BigInt"),
    ("circular", "TypeError: Converting circular structure to JSON"),
])
def test_node_bad_result(env, op, text):
    r = env.run("node", request({"op": op}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_result").startswith(text)
    assert ok(r, 1) == {"count": 2}


def test_node_thrown_values_that_are_not_errors(env):
    r = env.run("node", request({"op": "throw_string"})
                + request({"op": "throw_object"}))
    assert err(r, "exception", 0) == "plain string"
    assert err(r, "exception", 1) == "{ code: 42 }"


def test_node_promise_that_never_settles(env):
    r = env.run("node", request({"op": "never"}) * 2
                + request({"op": "count"}))
    assert r.rc == 0, r
    for i in (0, 1):
        assert "never settled" in err(r, "exception", i)
    assert ok(r, 2) == {"count": 3}


@pytest.mark.parametrize("op,text", [
    ("uncaught", "sopm: uncaught exception: Error: late boom"),
    ("unhandled", "sopm: unhandled rejection: Error: nobody awaits this"),
])
def test_node_error_outside_the_call_exits_1(env, op, text):
    r = env.run("node", request({"op": op}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert text in r.stderr


def test_node_load_error_exits_1_with_the_stack(env):
    r = env.run("node_bad", request({}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert r.stderr.startswith(
        f"sopm: cannot load {env.fn['node_bad']}/index.js:\nError: boom at load")
    assert f"{env.fn['node_bad']}/index.js:3" in r.stderr


def test_node_es_module(env):
    r = env.run("node_esm", request({"a": 1}))
    assert r.rc == 0, r
    assert ok(r) == {"esm": {"a": 1}}


def test_node_check(env):
    r = env.run("node", argv=env.check_argv("node", "handle"), launcher=False)
    assert (r.rc, r.stdout, r.stderr) == (0, b"", ""), r
    r = env.run("node", argv=env.check_argv("node", "nope"), launcher=False)
    assert r.rc == 1
    assert r.stderr == f"sopm: {env.fn['node']}/index.js has no export 'nope'\n"
    r = env.run("node_bad", argv=env.check_argv("node_bad", "handle"),
                launcher=False)
    assert r.rc == 1 and "Error: boom at load" in r.stderr
    start = time.monotonic()
    r = env.run("node_interval", argv=env.check_argv("node_interval", "handle"),
                launcher=False, timeout=10)
    assert r.rc == 0 and time.monotonic() - start < 5, r


# --- c -------------------------------------------------------------------

def test_c_event_is_passed_as_is_with_a_nul_after_it(env):
    body = b'{"op":"len",  "x": [1, 2]}'
    r = env.run("c", request(raw=body) + request(raw=b"") + request(raw=b"not json"))
    assert ok(r, 0) == {"len": len(body), "nul": 1}
    assert ok(r, 1) is None  # nothing written: null
    assert r.frames[2] == ({"status": "ok"}, b"not json")  # not validated


def test_c_non_zero_return(env):
    r = env.run("c", request({"op": "raise"}) + request({"op": "fail_silent"})
                + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "exception", 0) == "boom 1"
    assert err(r, "exception", 1) == "handle returned 5"
    assert ok(r, 2) == {"count": 3}


def test_c_output_cap(env):
    r = env.run("c", request({"op": "too_big"}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert "refused after 64 MiB: EFBIG" in r.stderr
    assert err(r, "bad_result").startswith("the result was refused: ")
    assert ok(r, 1) == {"count": 2}


def test_c_handler_named_by_sopm_handler(env):
    r = env.run("c_other", request({"a": 1}) + request({"op": "x"}))
    assert r.rc == 0, r
    assert ok(r, 0) == {"other": 7, "h": 2}
    assert ok(r, 1) == {"other": 10, "h": 2}


def test_c_shim_builds_with_the_style_flags(tmp_path):
    gcc("-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2",
        "-c", RUNTIMES / "c" / "sopm_shim.c", "-o", tmp_path / "a.o")
    gcc(*STYLE_CFLAGS, "-c", RUNTIMES / "c" / "sopm_shim.c",
        "-o", tmp_path / "b.o")


@pytest.mark.parametrize("std", ["c99", "c11", "gnu17"])
def test_c_header_is_self_contained(tmp_path, std):
    src = tmp_path / "u.c"
    src.write_text("#include <sopm.h>\n"
                   "int handle(const char *e, size_t n, sopm_out *out)\n"
                   "{\n\t(void)e;\n"
                   "\treturn sopm_out_printf(out, \"%zu\", n) != 0 ||\n"
                   "\t       sopm_out_write(out, \"\", 0) != 0 ||\n"
                   "\t       sopm_remaining_ms() < 0 ||\n"
                   "\t       sopm_context_get()->job_id == 0;\n}\n")
    gcc(f"-std={std}", "-pedantic", "-Wall", "-Wextra", "-Werror",
        "-I", RUNTIMES / "c", "-fsyntax-only", src)


def test_c_printf_format_is_checked(tmp_path):
    src = tmp_path / "u.c"
    src.write_text("#include <sopm.h>\n"
                   "int handle(const char *e, size_t n, sopm_out *out)\n"
                   "{\n\t(void)e;\n\treturn sopm_out_printf(out, \"%s\", n);\n}\n")
    p = subprocess.run([GCC, *BUILDER_CFLAGS, "-I", str(RUNTIMES / "c"),
                        "-fsyntax-only", str(src)], capture_output=True,
                       text=True)
    assert p.returncode != 0 and "-Werror=format" in p.stderr


def test_c_under_asan_and_ubsan(env, tmp_path):
    exe = tmp_path / "fn"
    gcc("-O1", "-g", "-Wall", "-Werror", "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all", "-I", RUNTIMES / "c",
        env.fn["c"] / "main.c", RUNTIMES / "c" / "sopm_shim.c", "-o", exe)
    data = (request({"op": "count"}) + request({"op": "context"})
            + request({"op": "raise"}) + request({"op": "fail_silent"})
            + request({"op": "too_big"}) + request({"big": "y" * 300000})
            + request(raw=b""))
    r = env.run("c", data, argv=[str(exe)])
    assert r.rc == 0, r
    assert len(r.frames) == 7
    assert "ERROR: AddressSanitizer" not in r.stderr
    assert "runtime error" not in r.stderr
    r = env.run("c", request({}) + b"5 0\nab", argv=[str(exe)])
    assert r.rc == 2 and "ERROR" not in r.stderr, r


def test_c_missing_function_folder_exits_1(env):
    p = subprocess.run([str(env.init), str(env.fn["c"] / "fn")],
                       input=request({}), capture_output=True, timeout=10,
                       env={"SOPM_FN_DIR": "/nonexistent-fn-dir"})
    assert p.returncode == 1
    assert b"chdir /nonexistent-fn-dir" in p.stderr


# --- docs/runtimes.md: its examples work as described ----------------------

def doc_example(entry, fence):
    text = (ROOT / "docs" / "runtimes.md").read_text()
    marker = f"`{entry}`:\n\n```{fence}\n"
    start = text.index(marker) + len(marker)
    return text[start:text.index("\n```\n", start) + 1]


@pytest.mark.parametrize("rt,entry,fence", [
    ("python3", "main.py", "python"), ("node", "index.js", "js"),
    ("c", "main.c", "c")])
def test_docs_example(env, tmp_path, rt, entry, fence):
    (tmp_path / entry).write_text(doc_example(entry, fence))
    argv = None
    if rt == "c":
        gcc(*BUILDER_CFLAGS, "-I", RUNTIMES / "c", tmp_path / entry,
            RUNTIMES / "c" / "sopm_shim.c", "-lm", "-o", tmp_path / "fn")
        argv = [str(tmp_path / "fn")]
    soon = int(time.time() * 1000) + 5000
    data = (request({"name": "ann"}, job_id="j1", deadline_ms=soon) * 2
            + request({"fail": True}, job_id="j2"))
    r = env.run(rt, data, argv=argv, fn_dir=tmp_path,
                extra_env={"GREETING": "hey"})
    assert r.rc == 0, r
    result = ok(r, 1)
    left = result.pop("ms_left" if rt != "node" else "msLeft")
    assert 0 < left <= 5000
    if rt == "c":
        assert result == {"event": {"name": "ann"}, "job": "j1"}
        assert err(r, "exception", 2) == "asked to fail (call 3)"
        assert "called 2 times, event of 14 bytes" in r.stderr
    else:
        assert result == {"hi": "ann", "job": "j1", "greeting": "hey"}
        assert "called 2 times" in r.stderr
