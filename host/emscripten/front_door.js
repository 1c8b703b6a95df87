// Linked into both Wasm builds (emcc --pre-js): what the two JavaScript
// front doors, Node's (host/emscripten/wasmu-node.js) and the page's worker
// (web/src/worker.js), share to make a machine from QEMU-style options.

// A C string of the module's memory as a JS string.
function wasmuString(ptr) {
  let end = ptr;
  while (HEAPU8[end]) end++;
  return new TextDecoder().decode(HEAPU8.subarray(ptr, end));
}

// argv for main-style C: the strings and the array of pointers to them,
// allocated in the module's heap (they live as long as the machine).
function wasmuArgv(args) {
  const enc = new TextEncoder();
  const ptrs = args.map((a) => {
    const bytes = enc.encode(a + '\0');
    const p = _malloc(bytes.length);
    HEAPU8.set(bytes, p);
    return p;
  });
  const argv = _malloc(4 * ptrs.length);
  ptrs.forEach((p, i) => { HEAPU32[(argv >> 2) + i] = p; });
  return argv;
}

// A machine from options (without the program name): { handle, rc, error }
// as host/emscripten/main.c's wasmu_create tells it (rc 0 ok, 3 -help or
// -version printed, else error the reason).
Module['wasmuCreate'] = function (options) {
  const args = ['wasmu'].concat(options);
  const handle = _wasmu_new();
  const rc = _wasmu_create(handle, args.length, wasmuArgv(args));
  return { handle, rc, error: rc !== 0 && rc !== 3 ? wasmuString(_wasmu_error(handle)) : '' };
};
