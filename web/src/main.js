// The page: a terminal on the main thread, the machine in a Web Worker.
'use strict';
(function () {
  // A line under the header: an error, or (note) news for the user.
  const message = (text, note = false) => {
    const line = document.getElementById('message');
    line.textContent = text;
    line.className = note ? 'note' : '';
  };
  // The most the worker loads whole (its WHOLE_MAX): a bigger picked disk
  // is read in slices instead.
  const WHOLE_MAX = 2 ** 31;
  if (!window.WebAssembly || !window.Worker || !window.TextEncoder) {
    message('This browser lacks WebAssembly or Web Workers; wasmu cannot run here.');
    return;
  }
  const params = new URLSearchParams(location.search);
  const accel = ['-accel', 'tcg,jit=' + (params.get('jit') || 'on')];
  // ?drive=URL: a raw disk image for the guest, downloaded whole before the
  // boot (its writes last until the page reloads, unless Save disk
  // downloads the image with them), or with &lazy=on read by byte ranges
  // as the guest needs it (for big images; its writes stay in memory).
  const drive = params.get('drive');
  const lazy = params.get('lazy') === 'on';
  // ?kernel=FILE runs a bare-metal ELF instead (-bios none), e.g. the
  // CPU benchmarks; the run's figures land in window.wasmuLastRun.
  const bareMetal = params.get('kernel');
  // A page that defines Module['arguments'] passes its own argument list,
  // and with Module['files'] ([{ url, path }]) the files it names (else the
  // default guest's: /fw_dynamic.bin, /Image, /initramfs.cpio, and
  // /drive.img for ?drive=).
  const custom = window.Module && Array.isArray(window.Module.arguments);
  const ownLinux = !custom && !bareMetal;

  // The page's own Linux, QEMU-style, from URL parameters for the common
  // options; disk: where /dev/vda comes from ({ url } or { file }, and
  // lazy), if anywhere.  The worker's /shared is the guest's /mnt/host0
  // (its init mounts every shared directory at /mnt/TAG): Share files puts
  // files there, Fetch file gets them back.
  // ?net=ws://HOST:PORT/: a network card on that relay (web/relay.js),
  // with a MAC address of its own and an address on 10.0.2.0/24 picked
  // from it (the guest's init sets it: wasmu.ip=; the relay has no DHCP).
  const relay = params.get('net');
  const macBytes = crypto.getRandomValues(new Uint8Array(3));
  const mac = '52:54:00:' + Array.from(macBytes, (b) => b.toString(16).padStart(2, '0')).join(':');
  const address = `10.0.2.${10 + macBytes[2] % 240}`;
  const append = params.get('append') ||
    'console=ttyS0' + (relay ? ` wasmu.ip=${address}/24` : '');
  const linuxArgs = (disk) => ['-m', params.get('m') || '256M', '-nographic',
    '-bios', '/fw_dynamic.bin', '-kernel', '/Image', '-initrd', '/initramfs.cpio',
    '-append', append, ...accel,
    '-virtfs', 'local,path=/shared,mount_tag=host0']
    .concat(relay ? ['-netdev', 'socket,id=n0,connect=' + relay,
                     '-device', 'virtio-net-device,netdev=n0,mac=' + mac] : [])
    .concat(disk ? ['-drive', 'if=virtio,format=raw,file=/drive.img' +
                              (disk.lazy ? ',snapshot=on' : '')] : []);
  const linuxFiles = (disk) => [{ url: 'fw_dynamic.bin', path: '/fw_dynamic.bin' },
    { url: 'Image', path: '/Image' },
    { url: 'initramfs.cpio', path: '/initramfs.cpio' }]
    .concat(disk ? [{ ...disk, path: '/drive.img' }] : []);
  // What the page runs first: [arguments, files].
  function firstMachine() {
    const disk = drive && { url: drive, lazy };
    if (custom) return [window.Module.arguments, Array.isArray(window.Module.files)
                                                 ? window.Module.files : linuxFiles(disk)];
    if (bareMetal) return [['-bios', 'none', '-kernel', '/bare.elf', ...accel],
                           [{ url: bareMetal, path: '/bare.elf' }]];
    return [linuxArgs(disk), linuxFiles(disk)];
  }
  let diskName = drive && (new URL(drive, location.href).pathname.split('/').pop() || 'drive.img');
  let diskSavable = ownLinux && Boolean(drive) && !lazy;   // the whole image is here

  function startWorker(args, files) {
    const w = new Worker('worker.js');
    w.postMessage({ type: 'start', args, files });
    return w;
  }
  // The worker first, so that it downloads the guest while the page sets up
  // its terminal; its messages wait for this script to end.
  let worker = startWorker(...firstMachine());

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

  // The disk as the guest left it, downloaded under its own name.
  const saveDisk = document.getElementById('save-disk');
  saveDisk.onclick = () => worker.postMessage({ type: 'save-disk', path: '/drive.img' });
  function download(bytes, name) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  // Open disk: a new machine with an image from this computer as /dev/vda.
  const openDisk = document.getElementById('open-disk');
  const diskFile = document.getElementById('disk-file');
  openDisk.hidden = !ownLinux;
  openDisk.onclick = () => diskFile.click();
  diskFile.onchange = () => {
    const file = diskFile.files[0];
    if (!file) return;
    worker.terminate();
    term.reset();
    message('');
    document.getElementById('status').textContent = '';
    saveDisk.hidden = true;
    document.getElementById('progress').style.display = '';
    diskName = file.name;
    // past what the worker loads whole, read as the guest needs it, as with &lazy=on
    const big = file.size > WHOLE_MAX;
    diskSavable = !big;
    worker = startWorker(linuxArgs({ file, lazy: big }), linuxFiles({ file, lazy: big }));
    listen(worker);
    diskFile.value = '';
    term.focus();
  };

  // Files in and out of the guest's shared directory, /mnt/host0.
  const shareFiles = document.getElementById('share-files');
  const shareFile = document.getElementById('share-file');
  const fetchFile = document.getElementById('fetch-file');
  shareFiles.onclick = () => shareFile.click();
  shareFile.onchange = () => {
    worker.postMessage({ type: 'share-files', files: Array.from(shareFile.files) });
    shareFile.value = '';
    term.focus();
  };
  fetchFile.onclick = () => {
    const name = window.prompt('The file in /mnt/host0 to download:');
    if (name) worker.postMessage({ type: 'get-shared', name });
    term.focus();
  };

  const bar = document.getElementById('bar');
  const progressText = document.getElementById('progress-text');
  function onMessage(m) {
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
      saveDisk.hidden = !diskSavable;
      shareFiles.hidden = fetchFile.hidden = !ownLinux;
    } else if (m.type === 'status') {
      document.getElementById('status').textContent =
        `${m.mips.toFixed(0)} guest MIPS · ${m.wasmShare.toFixed(0)}% in Wasm · ` +
        `${m.regions} compiled regions · up ${m.uptime.toFixed(0)} s`;
    } else if (m.type === 'disk') {
      download(m.bytes, diskName);
    } else if (m.type === 'shared') {
      message(`In the guest's /mnt/host0: ${m.names.join(', ')}`, true);
    } else if (m.type === 'file') {
      download(m.bytes, m.name);
    } else if (m.type === 'error') {
      message(m.text);
    } else if (m.type === 'exit') {
      window.wasmuLastRun = m;
      message(`The machine stopped (exit code ${m.code}). Reload the page to boot again.`);
    }
  }
  function listen(w) {
    w.onmessage = (e) => onMessage(e.data);
    w.onerror = (e) => message('Worker error: ' + e.message);
  }
  listen(worker);
  // Typing during boot is buffered by the emulated UART (4 KiB), so a
  // pasted line is not lost.
  term.onData((data) => worker.postMessage({ type: 'input', data }));
})();
