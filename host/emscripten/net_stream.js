// QEMU's socket netdev on a TCP stream: each Ethernet frame behind its
// length, 4 bytes big endian.  Used by the Node front door (wasmu-node.js)
// and the network relay (web/relay.js).
'use strict';

// A frame as it goes on the stream.
function framed(frame) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(frame.length, 0);
  return Buffer.concat([head, frame]);
}

// Call deliver(frame) for each frame socket receives; a length past max
// ends the connection (the peer does not speak this, or is hostile).
function readFrames(socket, max, deliver) {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const len = pending.readUInt32BE(0);
      if (len > max) { socket.destroy(); return; }
      if (pending.length < 4 + len) break;
      deliver(pending.subarray(4, 4 + len));
      pending = pending.subarray(4 + len);
    }
  });
}

module.exports = { framed, readFrames };
