#!/usr/bin/env node
// A network for wasmu machines: one Ethernet segment that pages join by
// WebSocket (the page's ?net=ws://HOST:WS_PORT/, one frame per binary
// message) and native or Node wasmu, or QEMU, by TCP as QEMU's socket
// netdev (-netdev socket,id=n0,connect=HOST:TCP_PORT: each frame behind its
// length, 4 bytes big endian).  Every frame a machine sends goes to every
// other (a hub, not a switch).  There is no router or DHCP on it: pages
// give their guests an address on 10.0.2.0/24, the default guest takes one
// from its command line (wasmu.ip=10.0.2.2/24), others need one set by hand
// (ip addr add 10.0.2.1/24 dev eth0; ip link set eth0 up).
// Usage: node web/relay.js [WS_PORT [TCP_PORT]]   (8001 and 8002)
'use strict';
const crypto = require('crypto');
const http = require('http');
const net = require('net');
const { framed, readFrames } = require('../host/emscripten/net_stream');

const FRAME_MAX = 65536;
const peers = new Set();   // each { send(frame) }

function broadcast(from, frame) {
  for (const p of peers) if (p !== from) p.send(frame);
}

// ---- WebSocket (RFC 6455): binary messages, each one frame ----
function wsFrame(opcode, payload) {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n])
    : n < 65536 ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 255])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(n)]);
  return Buffer.concat([head, payload]);
}

function bigEndian64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

// The first WebSocket frame in buf: { opcode, payload, size }, null if it
// is not all there, or { bad: true }.
function parseWsFrame(buf) {
  if (buf.length < 2) return null;
  let len = buf[1] & 0x7f, at = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    const big = buf.readBigUInt64BE(2);
    if (big > BigInt(FRAME_MAX)) return { bad: true };
    len = Number(big);
    at = 10;
  }
  if (len > FRAME_MAX) return { bad: true };
  const masked = buf[1] & 0x80;
  const mask = masked ? buf.subarray(at, at + 4) : null;
  if (masked) at += 4;
  if (buf.length < at + len) return null;
  const payload = Buffer.from(buf.subarray(at, at + len));
  if (mask) for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
  return { opcode: buf[0] & 0x0f, payload, size: at + len };
}

function acceptWebSocket(req, sock) {
  const key = req.headers['sec-websocket-key'];
  if (!key) { sock.destroy(); return; }
  const accept = crypto.createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
             `Connection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const peer = { send: (frame) => sock.write(wsFrame(0x2, frame)) };
  peers.add(peer);
  let buf = Buffer.alloc(0);
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (let m; (m = parseWsFrame(buf));) {
      if (m.bad) { sock.destroy(); return; }
      buf = buf.subarray(m.size);
      if (m.opcode === 0x8) { sock.end(wsFrame(0x8, Buffer.alloc(0))); return; }
      if (m.opcode === 0x9) sock.write(wsFrame(0xa, m.payload));
      else if (m.opcode === 0x2) broadcast(peer, m.payload);
    }
  });
  sock.on('close', () => peers.delete(peer));
  sock.on('error', () => {});
}

// ---- TCP, as QEMU's socket netdev ----
function acceptTcp(sock) {
  const peer = { send: (frame) => sock.write(framed(frame)) };
  peers.add(peer);
  readFrames(sock, FRAME_MAX, (frame) => broadcast(peer, frame));
  sock.on('close', () => peers.delete(peer));
  sock.on('error', () => {});
}

function startRelay(wsPort, tcpPort, host = '0.0.0.0') {
  const web = http.createServer((req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain' });
    res.end('wasmu network relay: connect with a WebSocket\n');
  });
  web.on('upgrade', acceptWebSocket);
  const tcp = net.createServer(acceptTcp);
  return Promise.all([new Promise((ok) => web.listen(wsPort, host, () => ok(web.address().port))),
                      new Promise((ok) => tcp.listen(tcpPort, host, () => ok(tcp.address().port)))])
    .then(([ws, tcpBound]) => ({ wsPort: ws, tcpPort: tcpBound,
                                 close: () => { web.close(); tcp.close(); } }));
}

if (require.main === module) {
  const wsPort = Number(process.argv[2] || 8001), tcpPort = Number(process.argv[3] || 8002);
  startRelay(wsPort, tcpPort).then((r) => {
    console.log(`wasmu relay: pages ?net=ws://HOST:${r.wsPort}/, ` +
                `machines -netdev socket,id=n0,connect=HOST:${r.tcpPort}`);
  });
}

module.exports = { startRelay };
