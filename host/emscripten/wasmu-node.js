#!/usr/bin/env node
// wasmu under Node: the same .wasm as the browser, with the console on this
// terminal.  Usage: node wasmu-node.js [QEMU-style options]
// Runs the machine in slices from the event loop (no Asyncify, no threads).
'use strict';
const path = require('path');
const fs = require('fs');
const v8 = require('v8');
const os = require('os');
const net = require('net');
const { framed, readFrames } = require('./net_stream');

// V8 first compiles Wasm with its baseline compiler (Liftoff) and moves a
// function to the optimizing one only once it has run a while.  Compiled
// guest code is hot by construction (it passed the tier threshold), so
// every module of it is optimized in the background right away: guest
// workloads run ~15% faster.  The flag is read when a module compiles, so
// it is set once the emulator's own module is up: that one starts on
// Liftoff (first guest output 0.36 -> 0.28 s after launch, boot to the
// prompt 1.13 -> 1.07 s) and its hot functions tier up as usual.  (Since
// the region and threshold changes the gain is gone: without the flag zstd
// and xz in Linux measured the same, first runs and repeats, 3 rounds; nor
// did it with 2000 or 5000 as the threshold, Liftoff taking lukewarm code.)
function optimizeGuestCodeEagerly() {
  v8.setFlagsFromString('--no-wasm-dynamic-tiering');
}
// Those background compiles must not take the core the machine runs on:
// V8 starts as many compile tasks as it likes, and on a 2-core host they
// preempted the main thread (zstd in Linux, first run: 1.67 -> 1.51 s,
// repeat 0.90 -> 0.82 s, medians of 4).
const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
v8.setFlagsFromString('--wasm-num-compilation-tasks=' + Math.max(1, cores - 1));
// Compiled guest code marks its rare paths (TLB miss, exception, page
// changed) in a branch-hint section; Node 20's V8 reads it only when asked.
v8.setFlagsFromString('--experimental-wasm-branch-hinting');

const here = __dirname;
const candidates = [path.join(here, 'wasmu.js'),
                    path.join(here, '../../build/wasm/wasmu.js')];
const jsPath = candidates.find((p) => fs.existsSync(p));
if (!jsPath) {
  process.stderr.write('wasmu-node: build/wasm/wasmu.js not found (make wasm)\n');
  process.exit(1);
}
const factory = require(jsPath);

// "[HOST]:PORT" (an empty HOST listens on every address); throws who's error.
function hostPort(who, spec, listening) {
  const colon = spec.lastIndexOf(':');
  const host = spec.slice(0, colon) || (listening ? '0.0.0.0' : '');
  const port = Number(spec.slice(colon + 1));
  if (colon < 0 || !host || !Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`${who}: '${spec}' is not HOST:PORT`);
  return { host, port };
}

// -gdb tcp:[HOST]:PORT (and -s, and the monitor's gdbserver): GDB's remote
// protocol (system/gdbstub.c) over TCP, one debugger at a time.
// connected(bool) and input(bytes) go to the machine; a listen that fails
// ends the process at the start, as QEMU's does, and is only reported
// later.  Returns send(bytes).
function openDebugger(spec, atStart, connected, input) {
  const { host, port } = hostPort('-gdb', spec, true);
  let peer = null;
  const server = net.createServer((socket) => {
    if (peer) { socket.destroy(); return; }   // one debugger at a time
    peer = socket;
    socket.setNoDelay(true);
    connected(true);
    socket.on('data', input);
    socket.on('error', () => {});   // (then 'close')
    socket.on('close', () => { if (peer === socket) { peer = null; connected(false); } });
  });
  server.on('error', (e) => {
    process.stderr.write(`wasmu: -gdb: cannot listen on ${spec}: ${e.code || e.message}\n`);
    if (atStart) process.exit(1);
  });
  server.listen(port, host);
  server.unref();   // (the machine keeps the process alive, not the listener)
  return (bytes) => { if (peer) peer.write(bytes); };
}

// -netdev socket,listen=[HOST]:PORT|connect=HOST:PORT: the guest's Ethernet
// frames over TCP, each behind its length (4 bytes, big endian), as QEMU's
// socket netdev sends them; listening takes one peer at a time.  deliver
// gets each frame received; a listen or connect that fails ends the
// process, as QEMU's does at its start.  Returns send(frame).
function openNetwork(listen, connect, deliver) {
  const spec = listen || connect;
  const { host, port } = hostPort('-netdev socket', spec, !!listen);
  const fatal = (what) => (e) => {
    process.stderr.write(`wasmu: -netdev socket: cannot ${what} ${spec}: ${e.code || e.message}\n`);
    process.exit(1);
  };
  let peer = null;
  function attach(socket) {
    peer = socket;
    readFrames(socket, 65536, deliver);
    socket.on('close', () => { if (peer === socket) peer = null; });
    socket.on('error', () => {});   // (then 'close')
  }
  if (listen) {
    const server = net.createServer((socket) => {
      if (peer) socket.destroy();   // one peer at a time
      else attach(socket);
    });
    server.on('error', fatal('listen on'));
    server.listen(port, host);
  } else {
    const socket = net.connect(port, host);
    socket.once('error', fatal('connect to'));
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      attach(socket);
    });
  }
  return (frame) => {
    if (peer) peer.write(framed(frame));   // (no peer: lost, as on an unplugged cable)
  };
}

async function main() {
  const options = process.argv.slice(2);
  let handle = 0, sendFrame = null, sendToGdb = null, wakeMachine = () => {};
  // A socket's bytes into the machine (input: a wasmu_*_input export), which
  // then runs; '' when open() worked, else its error's text for the C side.
  const feed = (input, h) => (bytes) => {
    mod.wasmuInput(input, h, bytes);
    wakeMachine();
  };
  const opened = (open) => {
    try {
      open();
      return '';
    } catch (e) {
      return e.message;
    }
  };
  const asBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.length);
  const mod = await factory({
    wasmuConsoleWrite: (bytes) => process.stdout.write(bytes),
    print: (t) => process.stdout.write(t + '\n'),
    printErr: (t) => process.stderr.write(t + '\n'),
    wasmuNetOpen: (h, listen, connect) => opened(() => {
      sendFrame = openNetwork(listen, connect, feed(mod._wasmu_net_input, h));
    }),
    wasmuNetSend: (frame) => sendFrame && sendFrame(asBuffer(frame)),
    wasmuGdbOpen: (h, spec, atStart) => opened(() => {
      sendToGdb = openDebugger(spec, atStart, (on) => {
        mod._wasmu_gdb_attach(h, on ? 1 : 0);
        wakeMachine();
      }, feed(mod._wasmu_gdb_input, h));
    }),
    wasmuGdbSend: (bytes) => sendToGdb && sendToGdb(asBuffer(bytes)),
  });
  optimizeGuestCodeEagerly();
  const created = mod.wasmuCreate(options);
  const { rc, error } = created;
  handle = created.handle;
  if (rc === 3) process.exit(0);               // -help, -version
  if (rc !== 0) {
    process.stderr.write(`wasmu: ${error}\n`);
    process.exit(rc === 2 ? 2 : 1);
  }

  const nographic = options.includes('-nographic');
  const stdin = process.stdin;
  // On a terminal, QEMU's Ctrl-A escapes and monitor (system/monitor.c)
  // come first; a quit ends the machine at its next slice.
  if (nographic && stdin.isTTY) stdin.setRawMode(true);
  const input = stdin.isTTY ? mod._wasmu_terminal_input : mod._wasmu_console_input;
  stdin.on('data', (chunk) => {
    mod.wasmuInput(input, handle, chunk);
    wake();
  });
  stdin.on('end', () => {});

  let timer = null;
  let done = false;
  function finish(code, why) {
    if (done) return;
    done = true;
    if (why) process.stderr.write(`\nwasmu: ${why}\n`);
    if (nographic && stdin.isTTY) stdin.setRawMode(false);
    mod._wasmu_destroy(handle);
    process.exit(code);
  }
  function wake() {
    if (timer !== null) { clearTimeout(timer); timer = null; setImmediate(step); }
  }
  wakeMachine = wake;
  // An idle guest's timer is often due in less than a millisecond, below
  // setTimeout's grain: rounded up it would fire late (hundreds of times in
  // a boot), rounded down to an immediate step it spun the host (~22% of a
  // core for an idle Linux).  So that rest is slept exactly, blocking this
  // thread for under 1 ms.
  const sleepCell = new Int32Array(new SharedArrayBuffer(4));
  function step() {
    timer = null;
    const r = mod._wasmu_run_slice(handle);   // -1 running, else idle us
    if (r === -2) { finish(mod._wasmu_exit_code(handle)); return; }
    if (r >= 1000) {
      timer = setTimeout(step, Math.floor(r / 1000));
      return;
    }
    if (r > 0) Atomics.wait(sleepCell, 0, 0, r / 1000);
    setImmediate(step);
  }
  step();
}

main().catch((e) => { process.stderr.write(`wasmu: ${e.stack || e}\n`); process.exit(1); });
