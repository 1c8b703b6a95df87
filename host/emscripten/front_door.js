// Linked into both Wasm builds (emcc --pre-js): what the two JavaScript
// front doors, Node's (host/emscripten/wasmu-node.js) and the page's worker
// (web/src/worker.js), share to make a machine from QEMU-style options.

// argv for main-style C, in the module's heap (it lives as long as the
// machine: the parsed options may point into it).
function wasmuArgv(args) {
  const argv = _malloc(4 * args.length);
  args.forEach((a, i) => {
    const size = lengthBytesUTF8(a) + 1;
    const p = _malloc(size);
    stringToUTF8(a, p, size);
    HEAPU32[(argv >>> 2) + i] = p;
  });
  return argv;
}

// A machine from options (without the program name): { handle, rc, error }
// as host/emscripten/main.c's wasmu_create tells it (rc 0 ok, 3 -help or
// -version printed, else error the reason).
Module['wasmuCreate'] = function (options) {
  const args = ['wasmu'].concat(options);
  const handle = _wasmu_new();
  const rc = _wasmu_create(handle, args.length, wasmuArgv(args));
  return { handle, rc, error: rc !== 0 && rc !== 3 ? UTF8ToString(_wasmu_error(handle)) : '' };
};

// Hand bytes (typed input, or a network frame) to the machine: input is
// one of the exports taking (handle, pointer, length), _wasmu_console_input
// or _wasmu_net_input.
Module['wasmuInput'] = function (input, handle, bytes) {
  const p = _malloc(bytes.length);
  HEAPU8.set(bytes, p >>> 0);
  input(handle, p, bytes.length);
  _free(p);
};
