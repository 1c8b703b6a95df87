// What the Chromium scripts share (web/test/browser-test.js,
// bench/browser_cpu.js, bench/browser_guest.js): the page's server
// (web/serve.js) for web/dist plus extra folders, Debian's Chromium through
// playwright-core in a fresh profile, and reading the page's terminal.
'use strict';
const fs = require('fs');
const path = require('path');
const os = require('os');
const { chromium } = require('playwright-core');
const { serve: serveFolder } = require('../serve');

const dist = path.resolve(__dirname, '..', 'dist');

// web/dist at /, each mounts[prefix] folder at /prefix/ (web/serve.js);
// setting server.failRanges makes range requests fail (HTTP 500), as a
// network failure would.
async function serve(mounts = {}) {
  const { server, url } = await serveFolder(dist, mounts);
  const answer = server.listeners('request')[0];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (server.failRanges && req.headers.range) {
      res.writeHead(500);
      res.end();
      return;
    }
    answer(req, res);
  });
  return { server, url };
}

// Headless Debian Chromium in a fresh profile; close() removes the profile.
// WASMU_CHROMIUM_FLAGS adds switches (e.g. --js-flags=... for experiments).
async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmu-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, ...options,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync']
      .concat((process.env.WASMU_CHROMIUM_FLAGS || '').split(' ').filter(Boolean)),
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// The terminal's whole text, scrollback included.
async function screenText(page) {
  return page.evaluate(() => {
    const buf = window.wasmuTerminal.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i).translateToString(true));
    return lines.join('\n');
  });
}

async function waitForText(page, pattern, timeoutMs, pollMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screenText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen ends: ` +
                                               JSON.stringify(text.slice(-300)));
    await page.waitForTimeout(pollMs);
  }
}

// The same for a pattern in the terminal's last lines, tested inside the
// page: no round trip and no copy of the scrollback per poll, so that a
// benchmark polling often takes little from the machine's thread.
async function waitForTail(page, pattern, timeoutMs, pollMs = 20, lines = 4) {
  await page.waitForFunction(([source, flags, n]) => {
    const buf = window.wasmuTerminal.buffer.active;
    const end = buf.baseY + buf.cursorY + 1;
    const tail = [];
    for (let i = Math.max(0, end - n); i < end; i++) tail.push(buf.getLine(i).translateToString(true));
    return new RegExp(source, flags).test(tail.join('\n'));
  }, [pattern.source, pattern.flags, lines], { timeout: timeoutMs, polling: pollMs });
}

module.exports = { serve, launch, screenText, waitForText, waitForTail };
