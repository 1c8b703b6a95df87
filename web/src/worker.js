// The machine's thread: fetches the guest images with progress, writes them
// into the module's file system, and runs the emulator in slices from this
// worker's event loop (no SharedArrayBuffer, no threads, no Asyncify).
'use strict';
importScripts('wasmu-web.js');

let mod = null, handle = 0, started = 0, timer = null;

// Files loaded whole live in the worker's memory (the file system's copy
// and the download's): past 2 GiB that failed only once all of it had
// come, as "Array buffer allocation failed".  (A picked file past it the
// page hands over lazy: main.js's WHOLE_MAX.)
const WHOLE_MAX = 2 ** 31;
function tooBigToLoad(name, bytes, hint) {
  return new Error(`${name} is ${(bytes / 2 ** 30).toFixed(1)} GiB: more than the page ` +
                   `loads whole (2 GiB)${hint}`);
}

// Fetches url; onChunk(bytes so far, total or 0) after each chunk; past
// WHOLE_MAX an error that ends with tooBig.
async function fetchWithProgress(url, onChunk, tooBig = '') {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  const reader = response.body.getReader();
  if (total > WHOLE_MAX) {
    reader.cancel();
    throw tooBigToLoad(url, total, tooBig);
  }
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (loaded > WHOLE_MAX) {   // no length given beforehand
      reader.cancel();
      throw tooBigToLoad(url, loaded, tooBig);
    }
    onChunk(loaded, total);
  }
  const data = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) { data.set(c, at); at += c.length; }
  return data;
}

// A guest file: { url } fetched, or { file } the user picked (a File, from
// the page) read whole.
async function load(f, onChunk) {
  if (!f.file) {
    return fetchWithProgress(f.url, onChunk, f.path === '/drive.img'
      ? '; add &lazy=on to read it as the guest needs it' : '');
  }
  const data = new Uint8Array(await f.file.arrayBuffer());
  onChunk(data.length, data.length);
  return data;
}

// A disk image read on demand ({ url, lazy: true }): one HEAD request for
// its size, then 1 MiB ranges fetched the first time the guest reads them,
// by synchronous requests (a worker may make them: the emulator's read
// waits for the bytes).  A picked file past WHOLE_MAX ({ file, lazy: true })
// is read the same way, in slices by FileReaderSync.  The page opens it
// with snapshot=on, so the guest's writes go to the emulator's overlay; a
// failed fetch is an I/O error the guest sees.  The ranges read last stay,
// up to RANGE_CACHE_CHUNKS of them: a guest reading all of a big image
// (fsck, a backup) must not take the worker's memory with it, and the
// image does not change, so a range let go is fetched again when it is
// read.
const RANGE_CHUNK = 1 << 20;
const RANGE_CACHE_CHUNKS = 256;
const EIO = 29;   // Emscripten's errno number

// The image's size if its server sends byte ranges, else 0.
async function rangeSize(url) {
  const head = await fetch(url, { method: 'HEAD' });
  if (!head.ok) throw new Error(`cannot load ${url}: HTTP ${head.status}`);
  const size = Number(head.headers.get('content-length')) || 0;
  return head.headers.get('accept-ranges') === 'bytes' ? size : 0;
}

// Bytes first..last of url by a synchronous request: a Uint8Array of them,
// or of the whole file when the server ignored the range; null on failure.
function fetchRangeSync(url, first, last) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  xhr.responseType = 'arraybuffer';
  xhr.setRequestHeader('Range', `bytes=${first}-${last}`);
  try {
    xhr.send();
  } catch (e) {
    return null;
  }
  return xhr.status === 206 || xhr.status === 200 ? new Uint8Array(xhr.response) : null;
}

// Bytes first..last of a File the user picked, or null (it went away).
function readSliceSync(file, first, last) {
  try {
    return new Uint8Array(new FileReaderSync().readAsArrayBuffer(file.slice(first, last + 1)));
  } catch (e) {
    return null;
  }
}

function createRangeFile(f, size) {
  const chunks = new Map();   // in the order they were last read
  let whole = false;          // the server sent all of it: kept all
  function chunk(n) {
    const kept = chunks.get(n);
    if (kept) {
      if (!whole) { chunks.delete(n); chunks.set(n, kept); }
      return kept;
    }
    const first = n * RANGE_CHUNK, last = Math.min(size, first + RANGE_CHUNK) - 1;
    const data = f.file ? readSliceSync(f.file, first, last) : fetchRangeSync(f.url, first, last);
    if (data && data.length === size && first + data.length - 1 !== last) {
      whole = true;
      for (let k = 0; k * RANGE_CHUNK < size; k++)
        chunks.set(k, data.subarray(k * RANGE_CHUNK, Math.min(size, (k + 1) * RANGE_CHUNK)));
      return chunks.get(n);
    }
    if (!data || data.length !== last - first + 1) throw new mod.FS.ErrnoError(EIO);
    chunks.set(n, data);
    if (chunks.size > RANGE_CACHE_CHUNKS) chunks.delete(chunks.keys().next().value);
    return data;
  }
  const node = mod.FS.createFile('/', f.path.slice(1), {}, true, false);
  Object.defineProperty(node, 'usedBytes', { get: () => size });
  node.stream_ops = Object.assign({}, node.stream_ops, {
    read(stream, buffer, offset, length, position) {
      const end = Math.min(size, position + length);
      for (let at = position; at < end;) {
        const n = Math.floor(at / RANGE_CHUNK), data = chunk(n);
        const from = at - n * RANGE_CHUNK, len = Math.min(end - at, data.length - from);
        buffer.set(data.subarray(from, from + len), offset + (at - position));
        at += len;
      }
      return Math.max(0, end - position);
    },
  });
}

// All the guest's files at once, with one progress bar for them: fetched
// one after the other they took ~0.5 s of a page's start (local server).
function fetchAll(files) {
  const loaded = files.map(() => 0), totals = files.map(() => 0);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  return Promise.all(files.map((f, i) => load(f, (bytes, total) => {
    loaded[i] = bytes;
    totals[i] = total;
    const waiting = files.filter((_, j) => !totals[j] || loaded[j] < totals[j]);
    postMessage({ type: 'progress', name: waiting.map((w) => w.url || w.file.name).join(', ') || 'guest files',
                  loaded: sum(loaded), total: totals.every(Boolean) ? sum(totals) : 0 });
  })));
}

let lastInsns = 0, lastTime = 0;
function postStatus() {
  const now = performance.now();
  const insns = mod._wasmu_stat(handle, 0), inWasm = mod._wasmu_stat(handle, 1);
  const mips = lastTime ? (insns - lastInsns) / ((now - lastTime) * 1000) : 0;
  postMessage({ type: 'status', mips, wasmShare: insns ? 100 * inWasm / insns : 0,
                regions: mod._wasmu_stat(handle, 2), uptime: (now - started) / 1000 });
  lastInsns = insns;
  lastTime = now;
}

// setTimeout(0) is clamped to 4 ms in browsers; a message to ourselves is
// not, so busy slices yield through a MessageChannel.
const channel = new MessageChannel();
channel.port1.onmessage = () => step();
let pending = false;

function schedule(delayMs) {
  if (delayMs > 0) {
    timer = setTimeout(step, delayMs);
  } else {
    pending = true;
    channel.port2.postMessage(null);
  }
}

// An idle guest's timer is often due in less than a millisecond, below
// setTimeout's grain.  With SharedArrayBuffer (a cross-origin isolated
// page) that rest is slept exactly; without, it is rounded up to 1 ms when
// this wait already slept, the guest having run nothing since (its tick
// comes a little late: an immediate step there spun the worker, ~22% of a
// core for an idle Linux), and run at once when the whole wait is that
// short (a short guest delay, hundreds of them in a boot).
const sleepCell = typeof SharedArrayBuffer === 'function' && self.crossOriginIsolated
  ? new Int32Array(new SharedArrayBuffer(4)) : null;
let insnsWhenSlept = -1;

function scheduleIdle(us) {
  const insns = mod._wasmu_stat(handle, 0);
  if (us >= 1000) {
    insnsWhenSlept = insns;
    schedule(Math.floor(us / 1000));
  } else if (sleepCell && us > 0) {
    Atomics.wait(sleepCell, 0, 0, us / 1000);
    schedule(0);
  } else {
    schedule(insns === insnsWhenSlept ? 1 : 0);
  }
}

function step() {
  timer = null;
  pending = false;
  // Run slices for up to ~8 ms, then return to the event loop so input
  // and status messages get through.
  const until = performance.now() + 8;
  let r;
  do {
    r = mod._wasmu_run_slice(handle);
  } while (r === -1 && performance.now() < until);
  if (r === -2) {
    postMessage({ type: 'exit', code: mod._wasmu_exit_code(handle),
                  seconds: (performance.now() - started) / 1000,
                  insns: mod._wasmu_stat(handle, 0), inWasm: mod._wasmu_stat(handle, 1) });
    return;
  }
  if (r === -1) schedule(0);
  else scheduleIdle(r);   // microseconds
}

function wake() {
  if (timer !== null) {
    clearTimeout(timer);
    timer = null;
    if (!pending) schedule(0);
  }
}

async function start(msg) {
  try {
    // The files download while the emulator's own module compiles (an
    // image on demand whole if its server sends no ranges).
    const ranged = await Promise.all(msg.files.map((f) => !f.lazy ? 0
      : f.file ? f.file.size : rangeSize(f.url)));
    const whole = msg.files.filter((f, i) => !ranged[i]);
    const images = fetchAll(whole);
    images.catch(() => {});   // reported below, once awaited
    mod = await createWasmu({
      wasmuConsoleWrite: (bytes) => postMessage({ type: 'output', bytes }, [bytes.buffer]),
      wasmuNetOpen: openNetwork,
      wasmuNetSend: (frame) => { if (socket && socket.readyState === 1) socket.send(frame); },
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
    });
    msg.files.forEach((f, i) => { if (ranged[i]) createRangeFile(f, ranged[i]); });
    (await images).forEach((data, i) => mod.FS.writeFile(whole[i].path, data));
    mod.FS.mkdir(SHARED);
    const created = mod.wasmuCreate(msg.args);
    handle = created.handle;
    const rc = created.rc;
    if (rc === 3) {   // -help or -version: printed (to the console), nothing to run
      postMessage({ type: 'exit', code: 0, seconds: 0, insns: 0, inWasm: 0 });
      return;
    }
    if (rc !== 0) {
      postMessage({ type: 'error', text: 'wasmu: ' + created.error });
      return;
    }
    started = performance.now();
    postMessage({ type: 'running' });
    if (early) deliver(early);
    setInterval(postStatus, 1000);
    step();
  } catch (e) {
    postMessage({ type: 'error', text: String(e && e.message || e) });
  }
}

// The page's shared directory (-virtfs local,path=/shared): the files the
// user shares, by their own names, and those the guest leaves there.
const SHARED = '/shared';
const sharedPath = (name) => {
  if (!name || name === '.' || name === '..' || /[/\0]/.test(name))
    throw new Error(`'${name}' is not a file name`);
  return SHARED + '/' + name;
};

function shareFiles(files) {
  const reader = new FileReaderSync();
  for (const f of files)
    mod.FS.writeFile(sharedPath(f.name), new Uint8Array(reader.readAsArrayBuffer(f)));
  postMessage({ type: 'shared', names: files.map((f) => f.name) });
}

function sendShared(name) {
  const path = sharedPath(name);
  if (!mod.FS.analyzePath(path).exists) throw new Error('no such file in /mnt/host0');
  const bytes = mod.FS.readFile(path);
  postMessage({ type: 'file', name, bytes }, [bytes.buffer]);
}

// -netdev socket,connect=ws://HOST:PORT/ (or wss://): the guest's Ethernet
// frames over a WebSocket, one frame per binary message, to a hub such as
// web/relay.js, which also takes QEMU-style TCP peers.  Frames sent while
// it is not open are lost, as on an unplugged cable.
let socket = null;
function openNetwork(handle, listen, connect) {
  if (listen || !/^wss?:\/\//.test(connect))
    return '-netdev socket: in the page only connect=ws://HOST:PORT/ (a relay) works';
  socket = new WebSocket(connect);
  socket.binaryType = 'arraybuffer';
  socket.onmessage = (e) => {
    if (!(e.data instanceof ArrayBuffer) || !handle) return;
    mod.wasmuInput(mod._wasmu_net_input, handle, new Uint8Array(e.data));
    wake();
  };
  socket.onerror = () => postMessage({ type: 'error', text: `cannot reach the network at ${connect}` });
  return '';
}

const encoder = new TextEncoder();
let early = '';   // typed before the machine exists: delivered once it does

function deliver(text) {
  mod.wasmuInput(mod._wasmu_console_input, handle, encoder.encode(text));
  wake();
}

onmessage = (e) => {
  const m = e.data;
  if (m.type === 'start') {
    start(m);
  } else if (m.type === 'save-disk') {
    // Between slices the image in the file system is whole: every request
    // the guest completed is in it (virtio-blk writes it through).
    try {
      const bytes = mod.FS.readFile(m.path);
      postMessage({ type: 'disk', bytes }, [bytes.buffer]);
    } catch (err) {
      postMessage({ type: 'error', text: `cannot save the disk: ${err && err.message || err}` });
    }
  } else if (m.type === 'share-files' || m.type === 'get-shared') {
    try {
      if (m.type === 'share-files') shareFiles(m.files);
      else sendShared(m.name);
    } catch (err) {
      const what = m.type === 'share-files' ? 'share the files' : `fetch ${m.name}`;
      postMessage({ type: 'error', text: `cannot ${what}: ${err && err.message || err}` });
    }
  } else if (m.type === 'input') {
    if (mod && handle && started) deliver(m.data);
    else early += m.data;
  }
};
