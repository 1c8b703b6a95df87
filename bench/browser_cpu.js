// Bare-metal CPU benchmarks in headless Chromium: the page runs each ELF
// (?kernel=...) in its worker on the Wasm tier; prints guest MIPS per
// program, to set beside bench/baremetal.sh's native and Node figures.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');
const { chromium } = require(path.resolve(__dirname, '../web/node_modules/playwright-core'));

const dist = path.resolve(__dirname, '../web/dist');
const benchDir = process.argv[2];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
                '.wasm': 'application/wasm' };

const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const base = name.startsWith('/bench/') ? benchDir : dist;
  const file = path.join(base, name.startsWith('/bench/') ? name.slice(7) : (name === '/' ? 'index.html' : name));
  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  const data = fs.readFileSync(file);
  res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                       'Content-Length': data.length });
  res.end(data);
});

server.listen(0, '127.0.0.1', async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmu-bench-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'] });
  console.log('program      insns(M)   chromium(s)  chromium MIPS  exit');
  for (const elf of fs.readdirSync(benchDir).filter((f) => f.endsWith('.elf')).sort()) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/?kernel=bench/${elf}`);
    await page.waitForFunction(() => window.wasmuLastRun, null, { timeout: 300000 });
    const run = await page.evaluate(() => window.wasmuLastRun);
    console.log(`${elf.replace('.elf', '').padEnd(10)} ${(run.insns / 1e6).toFixed(1).padStart(10)} ` +
                `${run.seconds.toFixed(3).padStart(13)} ${(run.insns / run.seconds / 1e6).toFixed(1).padStart(14)}  ${run.code}`);
    await page.close();
  }
  await browser.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
});
