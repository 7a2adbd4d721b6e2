'use strict';
/* SOPM node runtime shim, installed as /sopm/node/shim.js.
 *
 *   /sopm/init /usr/bin/node /sopm/node/shim.js HANDLER
 *   /usr/bin/node /sopm/node/shim.js --check HANDLER
 *
 * HANDLER is NAME, an export of index.js in the user's folder /fn
 * (SOPM_FN_DIR overrides it, for tests). The module is loaded once, then the
 * shim loops: it reads a framed request on fd 3, awaits
 * handler(event, context), and writes a framed response on fd 4
 * (docs/runtimes.md, "Wire protocol"). --check, which the builder runs at
 * build time, checks the syntax of every .js file of the folder as
 * `node --check` does (compiled as a CommonJS module, not run), then loads
 * the module.
 *
 * Exit status: 0 at EOF between frames; 1 when the handler cannot be loaded,
 * or on an exception or rejection that no call awaits; 2 for a malformed
 * frame, a broken protocol fd or a usage error.
 */
const fs = require('fs');
const path = require('path');
const url = require('url');
const util = require('util');

const PROTO_IN = 3;
const PROTO_OUT = 4;
const HEADER_MAX = 65536;
const BODY_MAX = 64 * 1024 * 1024;
const LEN_LINE_MAX = 32;
const NO_DEADLINE_MS = 2147483647;
const EXIT_LOAD = 1;
const EXIT_PROTOCOL = 2;
const READ_BUF = 65536;

const LEN_LINE = /^(0|[1-9][0-9]{0,8}) (0|[1-9][0-9]{0,8})$/;
const HEADER_NAME = /^[a-z_]+$/;
const HEADER_INT = /^(0|[1-9][0-9]{0,14})$/; // below 2^53
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const FN_DIR = path.resolve(process.env.SOPM_FN_DIR || '/fn');
const ENTRY = path.join(FN_DIR, 'index.js');
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class ProtocolError extends Error {}
class Stalled extends Error {}

function die(code, msg) {
  try {
    fs.writeSync(2, `sopm: ${msg}\n`);
  } finally {
    process.exit(code);
  }
}

/* A thrown value as text: its stack without the shim's own frames. */
function describe(e) {
  try {
    if (e instanceof Error || (e && typeof e.stack === 'string')) {
      const stack = typeof e.stack === 'string' ? e.stack : String(e);
      return stack.split('\n').filter((l) => !l.includes(__filename)).join('\n');
    }
    return typeof e === 'string' ? e : util.inspect(e);
  } catch (_) {
    return 'an exception that cannot be described';
  }
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/* fs.readSync that waits out EAGAIN (a non-blocking pipe). */
function readSome(fd, buf, off, len) {
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    try {
      return fs.readSync(fd, buf, off, len, null);
    } catch (e) {
      if (e.code === 'EOF') return 0;
      if (e.code !== 'EAGAIN') throw e;
      sleepMs(wait);
    }
  }
}

function writeAll(fd, buf) {
  let off = 0;
  for (let wait = 1; off < buf.length; ) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
      wait = 1;
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      sleepMs(wait);
      wait = Math.min(wait * 2, 20);
    }
  }
}

class Reader {
  constructor(fd) {
    this.fd = fd;
    this.buf = Buffer.allocUnsafe(READ_BUF);
    this.pos = 0;
    this.end = 0;
  }

  fill() {
    this.pos = 0;
    this.end = readSome(this.fd, this.buf, 0, this.buf.length);
    return this.end;
  }

  /* [headerLen, bodyLen], or null at EOF before the line's first byte. */
  lengthLine() {
    const bytes = [];
    while (bytes.length === 0 || bytes[bytes.length - 1] !== 10) {
      if (bytes.length === LEN_LINE_MAX) {
        throw new ProtocolError(`length line longer than ${LEN_LINE_MAX} bytes`);
      }
      if (this.pos === this.end && this.fill() === 0) {
        if (bytes.length === 0) return null;
        throw new ProtocolError('EOF inside a length line');
      }
      bytes.push(this.buf[this.pos++]);
    }
    const m = LEN_LINE.exec(Buffer.from(bytes).toString('latin1', 0, bytes.length - 1));
    if (!m) throw new ProtocolError('bad length line');
    const hlen = Number(m[1]);
    const blen = Number(m[2]);
    if (hlen > HEADER_MAX) throw new ProtocolError(`header_len ${hlen} > ${HEADER_MAX}`);
    if (blen > BODY_MAX) throw new ProtocolError(`body_len ${blen} > ${BODY_MAX}`);
    return [hlen, blen];
  }

  exact(n) {
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      if (this.pos < this.end) {
        const k = Math.min(this.end - this.pos, n - off);
        this.buf.copy(out, off, this.pos, this.pos + k);
        this.pos += k;
        off += k;
      } else if (n - off >= READ_BUF) {
        const k = readSome(this.fd, out, off, n - off); // big bodies bypass the buffer
        if (k === 0) throw new ProtocolError('EOF inside a frame');
        off += k;
      } else if (this.fill() === 0) {
        throw new ProtocolError('EOF inside a frame');
      }
    }
    return out;
  }

  /* {header, body} Buffers, or null at EOF between frames. */
  frame() {
    const lens = this.lengthLine();
    if (lens === null) return null;
    return { header: this.exact(lens[0]), body: this.exact(lens[1]) };
  }
}

function makeContext(fields) {
  const ints = {};
  for (const name of ['function_version', 'deadline_ms']) {
    const value = fields.has(name) ? fields.get(name) : '0';
    if (!HEADER_INT.test(value)) {
      const shown = JSON.stringify(value.slice(0, 32));
      throw new ProtocolError(`header ${name}=${shown} is not an integer`);
    }
    ints[name] = Number(value);
  }
  const deadlineMs = ints.deadline_ms;
  return {
    functionName: fields.get('function_name') || '',
    functionVersion: ints.function_version,
    jobId: fields.get('job_id') || '',
    deadlineMs,
    /* ms until the deadline, >= 0; 2147483647 when there is none. */
    getRemainingTimeInMillis() {
      return deadlineMs === 0 ? NO_DEADLINE_MS : Math.max(0, deadlineMs - Date.now());
    },
  };
}

/* The context of a request header; ProtocolError when it is malformed. */
function parseHeader(raw) {
  let text;
  try {
    text = utf8.decode(raw);
  } catch (_) {
    throw new ProtocolError('header is not UTF-8');
  }
  if (text.includes('\0')) throw new ProtocolError('header holds a NUL byte');
  if (text !== '' && !text.endsWith('\n')) throw new ProtocolError('header has no final newline');
  const fields = new Map();
  for (const line of text.split('\n').slice(0, -1)) {
    const eq = line.indexOf('=');
    if (eq < 0 || !HEADER_NAME.test(line.slice(0, eq))) {
      const shown = JSON.stringify(line.slice(0, 64));
      throw new ProtocolError(`header line ${shown} is not name=value`);
    }
    fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return makeContext(fields);
}

function respond(header, body) {
  if (body.length > BODY_MAX) body = body.subarray(0, BODY_MAX); // an error text
  const h = Buffer.from(header);
  try {
    writeAll(PROTO_OUT, Buffer.from(`${h.length} ${body.length}\n`));
    writeAll(PROTO_OUT, h);
    writeAll(PROTO_OUT, body);
  } catch (e) {
    die(EXIT_PROTOCOL, `cannot write a response: ${e.message}`);
  }
}

function error(errorType, text) {
  return [`status=error\nerror_type=${errorType}\n`, Buffer.from(text)];
}

/* A call whose promise can no longer settle (the event loop ran dry while
 * the shim awaited it) is answered with an error rather than an exit; the
 * immediate keeps the loop going, so that the next call is watched too.
 * Outside a call, the loop runs dry only when loading the module hangs. */
let stalled = null;
process.on('beforeExit', () => {
  if (!stalled) die(EXIT_LOAD, 'the event loop ran dry before the handler was loaded');
  stalled();
  setImmediate(() => {});
});

/* [header, body] of the response to one request. */
async function call(handler, context, body) {
  let event;
  try {
    event = JSON.parse(utf8.decode(body));
  } catch (e) {
    return error('bad_event', e instanceof SyntaxError ? `the event is not JSON: ${e.message}`
      : 'the event is not UTF-8');
  }
  let result;
  try {
    const stall = new Promise((resolve, reject) => {
      stalled = () => reject(new Stalled(
        'the handler never settled its promise, and nothing was left to run'));
    });
    result = await Promise.race([(async () => handler(event, context))(), stall]);
  } catch (e) {
    return error('exception', e instanceof Stalled ? e.message : describe(e));
  } finally {
    stalled = null;
  }
  let text;
  try {
    text = JSON.stringify(result);
  } catch (e) {
    return error('bad_result', describe(e instanceof Error ? `${e.name}: ${e.message}` : e));
  }
  const data = Buffer.from(text === undefined ? 'null' : text);
  if (data.length > BODY_MAX) {
    return error('bad_result',
      `the result is ${data.length} bytes, over the limit of ${BODY_MAX}`);
  }
  return ['status=ok\n', data];
}

/* The module's export called name, or exit 1 with the reason. */
async function loadHandler(name) {
  if (!IDENTIFIER.test(name)) {
    die(EXIT_LOAD, `bad handler ${JSON.stringify(name)}: expected an export name`);
  }
  let mod;
  try {
    try {
      mod = require(ENTRY);
    } catch (e) {
      if (!e || e.code !== 'ERR_REQUIRE_ESM') throw e;
      mod = await import(url.pathToFileURL(ENTRY).href); // an ES module
    }
  } catch (e) {
    die(EXIT_LOAD, `cannot load ${ENTRY}:\n${describe(e)}`);
  }
  const fn = mod == null ? undefined : mod[name];
  if (fn === undefined) die(EXIT_LOAD, `${ENTRY} has no export '${name}'`);
  if (typeof fn !== 'function') die(EXIT_LOAD, `${ENTRY}: export '${name}' is not a function`);
  return fn;
}

/* Fds 3 and 4 come from /sopm/init without close-on-exec. Node has no
 * fcntl, and needs none: at start-up it marks every fd it inherited
 * close-on-exec (uv_disable_stdio_inheritance), so the user's child
 * processes never get them. Without /sopm/init, fds 3 and 4 may be node's
 * own (epoll, eventfd): refuse those. */
function checkFd(fd) {
  let st;
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    die(EXIT_PROTOCOL, `fd ${fd}: ${e.code} (run under /sopm/init)`);
  }
  if (!(st.isFIFO() || st.isSocket() || st.isFile() || st.isCharacterDevice())) {
    die(EXIT_PROTOCOL, `fd ${fd} is not a pipe, socket or file (run under /sopm/init)`);
  }
}

async function serve(handler) {
  const reader = new Reader(PROTO_IN);
  for (;;) {
    let frame, context;
    try {
      frame = reader.frame();
      if (frame === null) break;
      context = parseHeader(frame.header);
    } catch (e) {
      if (e instanceof ProtocolError) die(EXIT_PROTOCOL, `malformed frame: ${e.message}`);
      die(EXIT_PROTOCOL, `cannot read a request: ${e.message}`);
    }
    const started = process.hrtime.bigint();
    const [header, body] = await call(handler, context, frame.body);
    frame = null;
    // console.* writes to pipes and files synchronously: the call's log
    // lines are already out, before its answer.
    const took = (process.hrtime.bigint() - started) / 1000n;
    respond(`${header}duration_us=${took}\n`, body);
  }
  process.exit(0);
}

// Every .js file under FN_DIR compiled as the CommonJS loader compiles it
// (a function of exports, require, module, __filename, __dirname), never
// run; the first SyntaxError is printed as node prints it, and exits 1.
function checkSyntax(dir) {
  const vm = require('vm');
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1)) {
    const file = path.join(dir, ent.name);
    if (ent.isDirectory()) {
      checkSyntax(file);
      continue;
    }
    if (!ent.isFile() || !ent.name.endsWith('.js')) continue;
    try {
      vm.compileFunction(fs.readFileSync(file, 'utf8'),
        ['exports', 'require', 'module', '__filename', '__dirname'],
        { filename: file });
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      process.stderr.write(`${file}\n${e.stack}\n`);
      process.exit(EXIT_LOAD);
    }
  }
}

async function main(argv) {
  const check = argv[0] === '--check';
  if (check) argv = argv.slice(1);
  if (argv.length !== 1) die(EXIT_PROTOCOL, 'usage: shim.js [--check] HANDLER');
  if (!check) {
    checkFd(PROTO_IN);
    checkFd(PROTO_OUT);
  }
  try {
    process.chdir(FN_DIR);
  } catch (e) {
    die(EXIT_LOAD, `cannot enter ${FN_DIR}: ${e.code}`);
  }
  if (check) checkSyntax(FN_DIR);
  const handler = await loadHandler(argv[0]);
  if (check) process.exit(0); // timers the module started must not hold us
  await serve(handler);
}

process.on('uncaughtException', (e) => die(EXIT_LOAD, `uncaught exception: ${describe(e)}`));
process.on('unhandledRejection', (e) => die(EXIT_LOAD, `unhandled rejection: ${describe(e)}`));
main(process.argv.slice(2)).catch((e) => die(EXIT_LOAD, describe(e)));
