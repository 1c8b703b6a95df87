// End-to-end test in real Chromium (Debian's, driven by playwright-core):
// serve web/dist, open the page, wait for the shell prompt, type
// `uname -a`, read `riscv64` back from the terminal, save a screenshot.
// Prints "ok browser/<check>" / "not ok browser/<check> <why>" lines and a
// "# boot to prompt" timing line.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');
const { chromium } = require('playwright-core');

const dist = path.resolve(__dirname, '..', 'dist');
const screenshot = process.argv[2] || path.resolve(__dirname, '..', '..', 'build', 'browser.png');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
                '.wasm': 'application/wasm' };

function serve() {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dist, name === '/' ? 'index.html' : name);
    if (!file.startsWith(dist) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    const data = fs.readFileSync(file);
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                         'Content-Length': data.length });
    res.end(data);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const result = (name, ok, why) =>
  console.log(ok ? `ok browser/${name}` : `not ok browser/${name} ${why || ''}`);

async function screenText(page) {
  return page.evaluate(() => {
    const buf = window.wasmuTerminal.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i).translateToString(true));
    return lines.join('\n');
  });
}

async function waitForText(page, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await screenText(page);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen ends: ` +
                                               JSON.stringify(text.slice(-300)));
    await page.waitForTimeout(200);
  }
}

(async () => {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmu-chromium-'));
  // A fresh profile directory each run.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    viewport: { width: 1100, height: 700 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const start = Date.now();
    await page.goto(url);
    // Typing during boot: the keys reach the shell once it runs.
    await page.click('#terminal');
    await page.keyboard.type('echo typed-during-$((40+2))\n');
    await waitForText(page, /~ # $/m, 240000);
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
    const status = await page.textContent('#status');
    result('status-line', /guest MIPS/.test(status), JSON.stringify(status));
    await page.screenshot({ path: screenshot });
    result('screenshot', fs.existsSync(screenshot));
    // Reloading the page boots a fresh machine.
    await page.reload();
    await waitForText(page, /~ # $/m, 240000);
    await page.click('#terminal');
    await page.keyboard.type('uname -m\n');
    await waitForText(page, /uname -m\s*\nriscv64/, 60000);
    result('reload', true);
    result('no-page-errors', errors.length === 0, errors.join('; '));
  } catch (e) {
    result('session', false, String(e.message || e).replace(/\n/g, ' ').slice(0, 400));
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})();
