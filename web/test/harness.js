// What the Chromium scripts share (web/test/browser-test.js,
// bench/browser_cpu.js, bench/browser_guest.js): a static server for
// web/dist plus extra folders, Debian's Chromium through playwright-core in a
// fresh profile, and reading the page's terminal.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');
const { chromium } = require('playwright-core');

const dist = path.resolve(__dirname, '..', 'dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
                '.wasm': 'application/wasm' };

// Serves web/dist at /, and each mounts[prefix] folder at /prefix/, with
// byte ranges (Range: bytes=A-B) as static hosts do.  Resolves to
// { server, url }; server.bytesSent[path] counts the body bytes sent, and
// setting server.failRanges makes range requests fail (HTTP 500).
function serve(mounts = {}) {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const prefix = name.split('/')[1];
    const base = mounts[prefix] ? path.resolve(mounts[prefix]) : dist;
    const rest = mounts[prefix] ? name.slice(prefix.length + 1) : name;
    const file = path.join(base, rest === '/' ? 'index.html' : rest);
    if (!file.startsWith(base) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    if (server.failRanges && req.headers.range) {   // a network failure, for tests
      res.writeHead(500);
      res.end();
      return;
    }
    let data = fs.readFileSync(file);
    const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                      'Accept-Ranges': 'bytes' };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    let status = 200;
    if (range) {
      const first = Number(range[1]);
      const last = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1);
      if (first > last) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` });
        res.end();
        return;
      }
      headers['Content-Range'] = `bytes ${first}-${last}/${data.length}`;
      data = data.subarray(first, last + 1);
      status = 206;
    }
    headers['Content-Length'] = data.length;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    server.bytesSent[name] = (server.bytesSent[name] || 0) + data.length;
    res.end(data);
  });
  server.bytesSent = {};
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
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
