// Shell commands inside the Linux guest of the page, in headless Chromium:
// for bench/guest_workloads.py, which gives the commands on stdin (a JSON
// list of strings) and reads back one JSON line per command, in order:
// {"seconds": from its Enter reaching the machine's worker to its end
// coming back, timed in the page; "hostSeconds": from typing it to seeing
// its end on the screen, timed here; "output": its text}.
// Usage: node bench/browser_guest.js GUEST_DIR DISK jit=on|off
// The page boots the default guest with GUEST_DIR/DISK as ?drive=, and the
// first command is typed once the shell prompt shows.
'use strict';
const fs = require('fs');
const { serve, launch, screenText, waitForText, waitForTail } = require('../web/test/harness');

const [guest, disk, jit] = process.argv.slice(2);

// The text after the line `after` (a regex source) that ends with the line `mark`.
function between(text, after, mark) {
  const start = after ? text.search(new RegExp(`^${after}$`, 'm')) : 0;
  const tail = text.slice(Math.max(start, 0));
  return tail.slice(0, tail.search(new RegExp(`^${mark}$`, 'm')));
}

// Inside the page: when Enter of command n reached the worker (the page's
// own input listener posts it first), and when the line `end-of-command-n`
// came back from it, before the terminal draws it.  Polling the screen
// from here instead added 25-35 ms to each figure (the poll's period and
// the round trips), where the Node and QEMU figures see their pipe at once.
function timeInPage() {
  const term = window.wasmuTerminal, write = term.write.bind(term);
  const decoder = new TextDecoder();
  let typed = 0, tail = '';
  window.benchStartAt = {};
  window.benchEndAt = {};
  term.onData((data) => {
    if (data.includes('\r')) window.benchStartAt[1000 + typed++] = performance.now();
  });
  term.write = (data, callback) => {
    tail = (tail + (typeof data === 'string' ? data : decoder.decode(data, { stream: true }))).slice(-256);
    for (const m of tail.matchAll(/\nend-of-command-(\d+)\r?\n/g)) {
      if (!(m[1] in window.benchEndAt)) window.benchEndAt[m[1]] = performance.now();
    }
    return write(data, callback);
  };
}

(async () => {
  const commands = JSON.parse(fs.readFileSync(0, 'utf8'));
  const { server, url } = await serve({ guest });
  const { browser, close } = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}?drive=guest/${encodeURIComponent(disk)}&${jit}`);
    await waitForText(page, /~ # $/m, 300000);
    await page.click('#terminal');
    await page.evaluate(timeInPage);
    let previous = null;
    for (let i = 0; i < commands.length; i++) {
      // typed as arithmetic so that the echoed command line never matches
      const mark = `end-of-command-${1000 + i}`;
      const start = Date.now();
      await page.keyboard.insertText(`${commands[i]}; echo end-of-command-$((${1000 + i}))`);
      await page.keyboard.press('Enter');
      await waitForTail(page, new RegExp(`^${mark}$`, 'm'), 900000);
      const hostSeconds = (Date.now() - start) / 1000;
      const seconds = await page.evaluate((n) => (window.benchEndAt[n] - window.benchStartAt[n]) / 1000, 1000 + i);
      const output = between(await screenText(page), previous, mark);
      console.log(JSON.stringify({ seconds, hostSeconds, output }));
      previous = mark;
    }
  } finally {
    await close();
    server.close();
  }
})().catch((e) => {
  console.error(String(e.message || e));
  process.exit(1);
});
