// End-to-end test in real Chromium (Debian's, driven by playwright-core):
// serve web/dist, open the page, wait for the shell prompt, type
// `uname -a`, read `riscv64` back from the terminal, share a file into
// the guest and fetch one back (/mnt/host0), save a screenshot, then boot with ?drive= (the guest folder's disk.ext2), read the disk, write
// to it, download it with the Save disk button and boot that download with
// Open disk, read it by byte ranges (&lazy=on), run the hostile random-code
// guest (tests/hostile/build.sh's folder), boot a 3 GiB machine (Linux, and
// tests/bigmem/ramwalk.c from the same folder), read a lazy 5 GiB drive at
// 3 and 4 GiB (and again after 300 MiB more, which pushed that range out of
// the worker's cache; opened from this computer, it is read the same way;
// without &lazy=on it is refused), join a network relay with a native
// machine and fetch a file from it over HTTP, and load a missing drive and
// an option the emulator refuses (a message each, no machine).
// Prints "ok browser/<check>" / "not ok browser/<check> <why>" lines and a
// "# boot to prompt" timing line.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { serve, launch, waitForText, waitForTail } = require('./harness');
const { startRelay } = require('../relay');

const screenshot = process.argv[2] || path.resolve(__dirname, '..', '..', 'build', 'browser.png');
const guest = process.argv[3];   // the guest folder (guest/build.sh): its disk.ext2
const hostile = process.argv[4]; // tests/hostile/build.sh's folder

const result = (name, ok, why) =>
  console.log(ok ? `ok browser/${name}` : `not ok browser/${name} ${why || ''}`);

// A page that defines Module['arguments'] and Module['files']: what its
// machine ran (window.wasmuLastRun) once it has ended.
async function runEmbedded(browser, url, args, files) {
  const embed = await browser.newPage();
  await embed.addInitScript(([a, f]) => { window.Module = { arguments: a, files: f }; }, [args, files]);
  await embed.goto(url);
  await embed.waitForFunction(() => window.wasmuLastRun, null, { timeout: 120000 });
  const run = await embed.evaluate(() => window.wasmuLastRun);
  await embed.close();
  return run;
}

// The 5 GiB test image's marks as the guest reads them from /dev/vda:
// true when both come back.
const MARKS_READ = /\nmark-at-3g\s*\nmark-at-4g\+512\s*\n~ # $/m;
async function readMarks(page, marks) {
  await page.keyboard.type(`for s in ${Object.keys(marks).map((at) => at / 512).join(' ')}; do ` +
                           'dd if=/dev/vda bs=512 skip=$s count=1 2>/dev/null | head -c 14; echo; done\n');
  return waitForText(page, MARKS_READ, 60000).catch((e) => String(e.message));
}

(async () => {
  const mounts = {};
  if (guest) mounts.guest = guest;
  if (hostile) mounts.hostile = hostile;
  // A sparse 5 GiB image with a mark at 3 GiB and one at 4 GiB + 512.
  const bigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmu-big-'));
  const bigMarks = { [3 * 2 ** 30]: 'mark-at-3g', [4 * 2 ** 30 + 512]: 'mark-at-4g+512' };
  const bigFd = fs.openSync(path.join(bigDir, 'big.img'), 'w');
  fs.ftruncateSync(bigFd, 5 * 2 ** 30);
  for (const [at, mark] of Object.entries(bigMarks)) fs.writeSync(bigFd, mark, Number(at));
  fs.closeSync(bigFd);
  mounts.big = bigDir;
  const { server, url } = await serve(mounts);
  const { browser, close } = await launch({ viewport: { width: 1100, height: 700 } });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const compileErrors = [];
    page.on('console', (m) => { if (/compile failed/.test(m.text())) compileErrors.push(m.text()); });
    const start = Date.now();
    await page.goto(url);
    // Typing during boot: the keys reach the shell once it runs.
    await page.click('#terminal');
    await page.keyboard.type('echo typed-during-$((40+2))\n');
    // in the page every 20 ms: a poll every 200 ms added ~0.1 s to the time
    await waitForTail(page, /~ # $/m, 240000);
    console.log(`# browser: page load to prompt ${((Date.now() - start) / 1000).toFixed(1)} s`);
    result('boot-to-prompt', true);
    await waitForText(page, /typed-during-42/, 60000);
    result('typing-during-boot', true);
    await page.click('#terminal');
    await page.keyboard.type('uname -a\n');
    const text = await waitForText(page, /uname -a[\s\S]*riscv64[\s\S]*~ # $/m, 60000);
    result('uname-riscv64', /Linux wasmu .*riscv64/.test(text), JSON.stringify(text.slice(-200)));
    // A long pasted line arrives whole (the UART buffers it).
    await page.keyboard.insertText('echo ' + 'x'.repeat(300) + ' | wc -c');
    await page.keyboard.press('Enter');
    const text2 = await waitForText(page, /^ *301$/m, 60000);   /* 300 x + newline */
    result('paste-long-line', /^ *301$/m.test(text2));
    // Resizing the window refits the terminal without breaking the session.
    await page.setViewportSize({ width: 800, height: 500 });
    await page.keyboard.type('echo resized-$((6*7))\n');
    await waitForText(page, /resized-42/, 30000);
    result('resize', true);
    // the worker reports once a second from the machine's start
    await page.waitForFunction(() => /guest MIPS/.test(document.getElementById('status').textContent),
                               null, { timeout: 5000 }).catch(() => {});
    const status = await page.textContent('#status');
    result('status-line', /guest MIPS/.test(status), JSON.stringify(status));
    // Share files copies files into the guest's /mnt/host0 (virtio-9p on
    // the worker's file system); Fetch file downloads one the guest left.
    await page.setInputFiles('#share-file', { name: 'from-page.txt', mimeType: 'text/plain',
                                              buffer: Buffer.from('shared by the page\n') });
    await page.waitForFunction(() => /from-page\.txt/.test(document.getElementById('message').textContent),
                               null, { timeout: 10000 });
    await page.click('#terminal');
    await page.keyboard.type('cat /mnt/host0/from-page.txt && echo made-by-$((6*7)) > /mnt/host0/back.txt ' +
                             '&& echo shared-$((40+2))\n');
    const shared = await waitForText(page, /shared by the page\s*\nshared-42/, 60000);
    result('share-files', true, JSON.stringify(shared.slice(-200)));
    page.once('dialog', (d) => d.accept('back.txt'));
    const [fetched] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }),
                                         page.click('#fetch-file')]);
    const got = fs.readFileSync(await fetched.path(), 'utf8');
    result('fetch-file', fetched.suggestedFilename() === 'back.txt' && got === 'made-by-42\n',
           JSON.stringify([fetched.suggestedFilename(), got]));
    await page.screenshot({ path: screenshot });
    result('screenshot', fs.existsSync(screenshot));
    // Reloading the page boots a fresh machine.
    await page.reload();
    await waitForText(page, /~ # $/m, 240000);
    await page.click('#terminal');
    await page.keyboard.type('uname -m\n');
    await waitForText(page, /uname -m\s*\nriscv64/, 60000);
    result('reload', true);
    // ?drive=URL: the guest's disk image, fetched into the worker.
    if (guest) {
      await page.goto(url + '?drive=guest/disk.ext2');
      await waitForText(page, /~ # $/m, 240000);
      await page.click('#terminal');
      const written = `saved-${process.pid}-${Date.now()}`;
      await page.keyboard.type('mount /dev/vda /mnt && cat /mnt/hello.txt && ' +
                               `echo ${written} > /mnt/w && sync && echo synced-$((40+2))\n`);
      const disk = await waitForText(page, /hello from the wasmu disk\s*\nsynced-42/, 60000);
      result('drive-url', /hello from the wasmu disk/.test(disk));
      // Save disk downloads the image with the guest's write in it.
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }),
                                            page.click('#save-disk')]);
      const saved = path.join(os.tmpdir(), `wasmu-saved-${process.pid}.ext2`);
      await download.saveAs(saved);
      const file = spawnSync('debugfs', ['-R', 'cat /w', saved], { encoding: 'utf8',
        env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
      result('save-disk', download.suggestedFilename() === 'disk.ext2' &&
             file.stdout === written + '\n',
             JSON.stringify([download.suggestedFilename(), file.stdout, file.stderr, String(file.error || '')]));
      // Open disk boots a new machine with that image from this computer.
      await page.setInputFiles('#disk-file', saved);
      await waitForText(page, /^wasmu guest: Linux[\s\S]*~ # $/m, 240000);
      await page.click('#terminal');
      await page.keyboard.type('mount /dev/vda /mnt && cat /mnt/w\n');
      const reopened = await waitForText(page, new RegExp(`^${written}$`, 'm'), 60000);
      result('open-disk', !/synced-42/.test(reopened), 'the old session stayed on the terminal');
      fs.rmSync(saved, { force: true });
      // &lazy=on reads the image by byte ranges, as the guest needs them;
      // the guest's writes stay in the emulator (snapshot) and read back.
      server.bytesSent = {};
      await page.goto(url + '?drive=guest/disk.ext2&lazy=on');
      await waitForText(page, /~ # $/m, 240000);
      await page.click('#terminal');
      await page.keyboard.type('mount /dev/vda /mnt && cat /mnt/hello.txt && echo lazy-$((6*7)) > /mnt/l && ' +
                               'sync && umount /mnt && mount /dev/vda /mnt && cat /mnt/l\n');
      await waitForText(page, /hello from the wasmu disk[\s\S]*\nlazy-42/, 60000);
      const sent = server.bytesSent['/guest/disk.ext2'] || 0;
      const size = fs.statSync(path.join(guest, 'disk.ext2')).size;
      console.log(`# browser: the lazy drive fetched ${sent >> 10} of ${size >> 10} KiB`);
      result('lazy-drive', sent > 0 && sent <= size / 4, `${sent} of ${size} bytes fetched`);
      // A range that cannot be fetched is an I/O error in the guest, which
      // goes on.
      server.failRanges = true;
      await page.keyboard.type('dd if=/dev/vda of=/dev/null bs=1M skip=12 count=2; echo alive-$((6*7))\n');
      const failed = await waitForText(page, /alive-42/, 60000);
      server.failRanges = false;
      result('lazy-drive-fetch-fails', /Input\/output error/.test(failed), JSON.stringify(failed.slice(-300)));
    } else {
      result('drive-url', false, 'no guest folder given');
      result('save-disk', false, 'no guest folder given');
      result('open-disk', false, 'no guest folder given');
      result('lazy-drive', false, 'no guest folder given');
      result('lazy-drive-fetch-fails', false, 'no guest folder given');
    }
    // ?net=ws://…: the page's guest on a relay (web/relay.js), with a
    // native wasmu machine joined by TCP (QEMU's socket netdev), which
    // serves a file over HTTP to the page's guest and answers its pings.
    if (guest) {
      const relay = await startRelay(0, 0, '127.0.0.1');
      const native = spawn(path.resolve(__dirname, '../../build/native/wasmu-system-riscv64'),
        ['-m', '256M', '-nographic', '-kernel', path.join(guest, 'Image'),
         '-initrd', path.join(guest, 'initramfs.cpio'), '-append', 'console=ttyS0 quiet wasmu.ip=10.0.2.2/24',
         '-netdev', `socket,id=n0,connect=127.0.0.1:${relay.tcpPort}`,
         '-device', 'virtio-net-device,netdev=n0,mac=52:54:00:00:00:02'],
        { stdio: ['pipe', 'ignore', 'ignore'] });
      native.stdin.write('mkdir -p /tmp/www; echo served-by-native-$((6*7)) > /tmp/www/hello; ' +
                         'httpd -p 8080 -h /tmp/www\n');
      try {
        // (both guests' init give their cards addresses: wasmu.ip=)
        await page.goto(`${url}?net=ws://127.0.0.1:${relay.wsPort}/`);
        const booted = await waitForText(page, /~ # $/m, 240000);
        result('net-relay-address', /wasmu guest: eth0 at 10\.0\.2\.\d+\/24/.test(booted),
               JSON.stringify(booted.slice(-300)));
        await page.click('#terminal');
        await page.keyboard.type('for i in $(seq 90); do ' +
                                 'wget -q -O - http://10.0.2.2:8080/hello 2>/dev/null && break; sleep 1; done\n');
        const fetched = await waitForText(page, /^served-by-native-42$/m, 180000).catch((e) => String(e.message));
        result('net-relay-http', /^served-by-native-42$/m.test(fetched), JSON.stringify(fetched.slice(-300)));
        await page.keyboard.type('ping -c 2 -W 10 10.0.2.2\n');
        const pinged = await waitForText(page, /packets received/, 60000).catch((e) => String(e.message));
        result('net-relay-ping', /2 packets received/.test(pinged), JSON.stringify(pinged.slice(-300)));
      } finally {
        native.kill();
        relay.close();
      }
    } else {
      result('net-relay-address', false, 'no guest folder given');
      result('net-relay-http', false, 'no guest folder given');
      result('net-relay-ping', false, 'no guest folder given');
    }
    // Random code in S and U mode must not take the tab down: the guest
    // ends by itself (exit 0: M-mode's state held) and no module failed.
    if (hostile) {
      await page.goto(url + '?kernel=hostile/randcode.elf');
      await page.waitForFunction(() => window.wasmuLastRun, null, { timeout: 120000 });
      const run = await page.evaluate(() => window.wasmuLastRun);
      result('hostile-random-code', run.code === 0 && compileErrors.length === 0,
             `exit ${run.code} ${compileErrors.join('; ')}`);
    } else {
      result('hostile-random-code', false, 'no hostile folder given');
    }
    // A page that defines Module['arguments'] and Module['files'] runs
    // what it names: here the short random-code guest, bare metal.
    if (hostile) {
      const run = await runEmbedded(browser, url, ['-bios', 'none', '-kernel', '/guest.elf'],
                                    [{ url: 'hostile/randcode-short.elf', path: '/guest.elf' }]);
      result('module-arguments', run.code === 0 && run.insns > 1e6, JSON.stringify(run));
    } else {
      result('module-arguments', false, 'no hostile folder given');
    }
    // A 3 GiB machine: the worker's linear memory reaches past 2 GiB, where
    // JavaScript sees pointers as negative numbers.  Linux boots on it and
    // runs code hot enough for the Wasm tier; bare metal, all of its RAM
    // holds what was written (tests/bigmem/ramwalk.c).
    await page.goto(url + '?m=3G');
    await waitForTail(page, /~ # $/m, 240000);
    await page.click('#terminal');
    await page.keyboard.type("grep MemTotal /proc/meminfo; lua -e 'local s = 0 for i = 1, 3000000 do " +
                             "s = (s * 31 + i) % 1000003 end print(s)'\n");
    const big = await waitForText(page, /MemTotal:\s+\d+ kB\s*\n\d+\s*\n~ # $/m, 120000);
    const kib = Number(/MemTotal:\s+(\d+) kB/.exec(big)[1]);
    result('3g-linux', kib > 2900 * 1024 && /\n129093\s*\n~ # $/.test(big) && compileErrors.length === 0,
           JSON.stringify([big.slice(-200), compileErrors.length, compileErrors[0]]));
    if (hostile) {
      const run = await runEmbedded(browser, url, ['-m', '3G', '-bios', 'none', '-kernel', '/ramwalk.elf'],
                                    [{ url: 'hostile/ramwalk.elf', path: '/ramwalk.elf' }]);
      result('3g-ram', run.code === 0, JSON.stringify(run));
    } else {
      result('3g-ram', false, 'no hostile folder given');
    }
    // A lazy drive past 4 GiB: reads reach their own offsets (emcc's pread
    // took them modulo 4 GiB, as signed numbers).
    await page.goto(url + '?drive=big/big.img&lazy=on');
    await waitForTail(page, /~ # $/m, 240000);
    await page.click('#terminal');
    const marks = await readMarks(page, bigMarks);
    result('5g-lazy-drive', MARKS_READ.test(marks), JSON.stringify(marks.slice(-200)));
    // The worker keeps the 256 ranges read last: after 300 MiB more, the
    // one at 3 GiB is gone, and reading it again (past the guest's page
    // cache) fetches it again.
    await page.keyboard.type('dd if=/dev/vda of=/dev/null bs=1M skip=1024 count=300 2>/dev/null; ' +
                             'echo read-$((6*7))\n');
    await waitForText(page, /\nread-42\s*\n~ # $/m, 120000);
    const before = server.bytesSent['/big/big.img'] || 0;
    await page.keyboard.type(`echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/vda bs=512 skip=${3 * 2 ** 21} ` +
                             'count=1 2>/dev/null | head -c 10; echo; echo again-$((6*7))\n');
    const again = await waitForText(page, /\nmark-at-3g\s*\nagain-42\s*\n~ # $/m, 60000)
      .catch((e) => String(e.message));
    const refetched = (server.bytesSent['/big/big.img'] || 0) - before;
    result('lazy-drive-bounded', /\nmark-at-3g\s*\nagain-42/.test(again) && before > 300 * 2 ** 20 &&
           refetched >= 2 ** 20, JSON.stringify([before, refetched, again.slice(-120)]));
    // Open disk with that image from this computer: past 2 GiB it is read in
    // slices as the guest needs them (it was refused, and before that it
    // failed as "Array buffer allocation failed"); no Save disk then.
    await page.setInputFiles('#disk-file', path.join(bigDir, 'big.img'));
    await waitForText(page, /^wasmu guest: Linux[\s\S]*~ # $/m, 240000);
    await page.click('#terminal');
    const opened = await readMarks(page, bigMarks);
    result('5g-open-disk', MARKS_READ.test(opened) &&
           await page.isHidden('#save-disk'), JSON.stringify(opened.slice(-200)));
    // The same image without &lazy=on: too big to load whole, said at once
    // (it failed once all 5 GiB had come, as "Array buffer allocation failed").
    const askedAt = Date.now();
    await page.goto(url + '?drive=big/big.img');
    await page.waitForFunction(() => document.getElementById('message').textContent, null,
                               { timeout: 60000 });
    const tooBig = await page.textContent('#message');
    result('5g-drive-whole-refused', /big\/big\.img is 5\.0 GiB: more than the page loads whole \(2 GiB\); add &lazy=on/
      .test(tooBig) && Date.now() - askedAt < 10000, JSON.stringify([tooBig, Date.now() - askedAt]));
    // A drive URL that does not exist: a clear message, no machine.
    await page.goto(url + '?drive=guest/no-such-disk.img');
    await page.waitForFunction(() => document.getElementById('message').textContent, null,
                               { timeout: 60000 });
    const missing = await page.textContent('#message');
    result('missing-drive', /cannot load guest\/no-such-disk\.img: HTTP 404/.test(missing),
           JSON.stringify(missing));
    // An option the emulator refuses (?m= is its -m): its reason, no machine.
    await page.goto(url + '?m=lots');
    await page.waitForFunction(() => document.getElementById('message').textContent, null,
                               { timeout: 60000 });
    const refused = await page.textContent('#message');
    result('bad-option', /^wasmu: .*memory size/.test(refused), JSON.stringify(refused));
    result('no-page-errors', errors.length === 0, errors.join('; '));
  } catch (e) {
    result('session', false, String(e.message || e).replace(/\n/g, ' ').slice(0, 400));
  } finally {
    await close();
    server.close();
    fs.rmSync(bigDir, { recursive: true, force: true });
  }
})();
