// A static file server for the page: web/dist (or any folder) at /, extra
// folders at /<prefix>/, with byte ranges (Range: bytes=A-B) as static hosts
// do, so that ?drive=...&lazy=on reads a big image in pieces.
//   node web/serve.js [DIR] [PORT]      serves DIR (default web/dist)
// server.bytesSent[path] counts the body bytes sent (the tests read it).
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css',
                '.wasm': 'application/wasm' };

// The file a request path names, or null if none (or outside the folders).
function resolve(root, mounts, name) {
  const prefix = name.split('/')[1];
  const base = path.resolve(mounts[prefix] || root);
  const rest = mounts[prefix] ? name.slice(prefix.length + 1) : name;
  const file = path.join(base, rest === '/' ? 'index.html' : rest);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  try {
    return fs.statSync(file).isFile() ? file : null;
  } catch (e) {
    return null;
  }
}

// Resolves to { server, url }.
function serve(root, mounts = {}, port = 0, host = '127.0.0.1') {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolve(root, mounts, name);
    if (!file) {
      res.writeHead(404);
      res.end();
      return;
    }
    const size = fs.statSync(file).size;
    const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream',
                      'Accept-Ranges': 'bytes' };
    let first = 0, last = size - 1, status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
    if (range) {
      first = Number(range[1]);
      last = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
      if (first > last) {
        res.writeHead(416, { 'Content-Range': `bytes */${size}` });
        res.end();
        return;
      }
      headers['Content-Range'] = `bytes ${first}-${last}/${size}`;
      status = 206;
    }
    headers['Content-Length'] = last - first + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file, { start: first, end: last });
    stream.on('data', (chunk) => {
      server.bytesSent[name] = (server.bytesSent[name] || 0) + chunk.length;
    });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  server.bytesSent = {};
  return new Promise((done) => server.listen(port, host, () =>
    done({ server, url: `http://${host}:${server.address().port}/` })));
}

module.exports = { serve };

if (require.main === module) {
  const root = process.argv[2] || path.join(__dirname, 'dist');
  serve(root, {}, Number(process.argv[3] || 8000)).then(({ url }) =>
    console.log(`wasmu: open ${url} (Ctrl-C stops the server)`));
}
