// The page: a terminal on the main thread, the machine in a Web Worker.
'use strict';
(function () {
  const message = (text) => { document.getElementById('message').textContent = text; };
  if (!window.WebAssembly || !window.Worker || !window.TextEncoder) {
    message('This browser lacks WebAssembly or Web Workers; wasmu cannot run here.');
    return;
  }
  const params = new URLSearchParams(location.search);
  // QEMU-style arguments: Module['arguments'] if the page defines it,
  // otherwise built from URL parameters for the common options.
  const defaults = ['-m', params.get('m') || '256M', '-nographic',
    '-bios', '/fw_dynamic.bin', '-kernel', '/Image', '-initrd', '/initramfs.cpio.gz',
    '-append', params.get('append') || 'console=ttyS0',
    '-accel', 'tcg,jit=' + (params.get('jit') || 'on')];
  // ?drive=URL attaches a raw disk image as the guest's /dev/vda.  It is
  // read into the worker's memory: guest writes last until the page reloads,
  // unless the Save disk button downloads the image with them.
  const drive = params.get('drive');
  if (drive) defaults.push('-drive', 'if=virtio,format=raw,file=/drive.img');
  // ?kernel=FILE runs a bare-metal ELF instead (-bios none), e.g. the
  // CPU benchmarks; the run's figures land in window.wasmuLastRun.
  const bareMetal = params.get('kernel');
  const args = (window.Module && Array.isArray(window.Module.arguments))
    ? window.Module.arguments
    : bareMetal ? ['-bios', 'none', '-kernel', '/bare.elf',
                   '-accel', 'tcg,jit=' + (params.get('jit') || 'on')]
    : defaults;
  const files = bareMetal ? [{ url: bareMetal, path: '/bare.elf' }]
    : [{ url: 'fw_dynamic.bin', path: '/fw_dynamic.bin' },
       { url: 'Image', path: '/Image' },
       { url: 'initramfs.cpio.gz', path: '/initramfs.cpio.gz' }]
      .concat(drive ? [{ url: drive, path: '/drive.img' }] : []);

  // The worker first, so that it downloads the guest while the page sets up
  // its terminal; its messages wait for this script to end.
  const worker = new Worker('worker.js');
  worker.postMessage({ type: 'start', args, files });

  // A steady cursor: blinking redrew the terminal twice a second, and an
  // idle page took 21% of a core instead of 9% (the guest's timer ticks).
  const term = new Terminal({ cursorBlink: false, scrollback: 5000,
                              fontFamily: 'monospace', fontSize: 14 });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(document.getElementById('terminal'));
  fit.fit();
  window.addEventListener('resize', () => fit.fit());
  term.focus();
  window.wasmuTerminal = term;   // for tests: the screen's text

  // The disk as the guest left it, downloaded under the drive URL's name.
  const saveDisk = document.getElementById('save-disk');
  saveDisk.onclick = () => worker.postMessage({ type: 'save-disk', path: '/drive.img' });
  function download(bytes) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    link.download = new URL(drive, location.href).pathname.split('/').pop() || 'drive.img';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  const bar = document.getElementById('bar');
  const progressText = document.getElementById('progress-text');
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'output') {
      term.write(m.bytes);
    } else if (m.type === 'progress') {
      bar.max = m.total || 1;
      bar.value = m.loaded;
      const pct = m.total ? Math.floor(100 * m.loaded / m.total) : 0;
      progressText.textContent = `${m.name}: ${(m.loaded / 1048576).toFixed(1)} of ` +
        `${(m.total / 1048576).toFixed(1)} MiB (${pct}%)`;
    } else if (m.type === 'running') {
      document.getElementById('progress').style.display = 'none';
      saveDisk.hidden = !(args === defaults && drive);
    } else if (m.type === 'status') {
      document.getElementById('status').textContent =
        `${m.mips.toFixed(0)} guest MIPS · ${m.wasmShare.toFixed(0)}% in Wasm · ` +
        `${m.modules} modules · up ${m.uptime.toFixed(0)} s`;
    } else if (m.type === 'disk') {
      download(m.bytes);
    } else if (m.type === 'error') {
      message(m.text);
    } else if (m.type === 'exit') {
      window.wasmuLastRun = m;
      message(`The machine stopped (exit code ${m.code}). Reload the page to boot again.`);
    }
  };
  worker.onerror = (e) => message('Worker error: ' + e.message);
  // Typing during boot is buffered by the emulated UART (4 KiB), so a
  // pasted line is not lost.
  term.onData((data) => worker.postMessage({ type: 'input', data }));
})();
