// Bare-metal CPU benchmarks in headless Chromium: the page runs each ELF
// (?kernel=...) in its worker on the Wasm tier; prints guest MIPS per
// program, to set beside bench/baremetal.sh's native and Node figures.
// JIT=off in the environment runs the page's interpreter alone instead.
'use strict';
const fs = require('fs');
const { serve, launch } = require('../web/test/harness');

const benchDir = process.argv[2];

(async () => {
  const { server, url } = await serve({ bench: benchDir });
  const { browser, close } = await launch();
  console.log('program      insns(M)   chromium(s)  chromium MIPS  exit');
  for (const elf of fs.readdirSync(benchDir).filter((f) => f.endsWith('.elf')).sort()) {
    const page = await browser.newPage();
    const jit = process.env.JIT ? `&jit=${process.env.JIT}` : '';
    await page.goto(`${url}?kernel=bench/${elf}${jit}`);
    await page.waitForFunction(() => window.wasmuLastRun, null, { timeout: 300000 });
    const run = await page.evaluate(() => window.wasmuLastRun);
    console.log(`${elf.replace('.elf', '').padEnd(10)} ${(run.insns / 1e6).toFixed(1).padStart(10)} ` +
                `${run.seconds.toFixed(3).padStart(13)} ${(run.insns / run.seconds / 1e6).toFixed(1).padStart(14)}  ${run.code}`);
    await page.close();
  }
  await close();
  server.close();
})();
