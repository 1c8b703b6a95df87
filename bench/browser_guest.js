// Shell commands inside the Linux guest of the page, in headless Chromium:
// for bench/guest_workloads.py, which gives the commands on stdin (a JSON
// list of strings) and reads back one JSON line per command, in order:
// {"seconds": host seconds from typing it to its end, "output": its text}.
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

(async () => {
  const commands = JSON.parse(fs.readFileSync(0, 'utf8'));
  const { server, url } = await serve({ guest });
  const { browser, close } = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${url}?drive=guest/${encodeURIComponent(disk)}&${jit}`);
    await waitForText(page, /~ # $/m, 300000);
    await page.click('#terminal');
    let previous = null;
    for (let i = 0; i < commands.length; i++) {
      // typed as arithmetic so that the echoed command line never matches
      const mark = `end-of-command-${1000 + i}`;
      const start = Date.now();
      await page.keyboard.insertText(`${commands[i]}; echo end-of-command-$((${1000 + i}))`);
      await page.keyboard.press('Enter');
      await waitForTail(page, new RegExp(`^${mark}$`, 'm'), 900000);
      const seconds = (Date.now() - start) / 1000;
      const output = between(await screenText(page), previous, mark);
      console.log(JSON.stringify({ seconds, output }));
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
