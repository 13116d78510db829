// A TABLE_DUMP_V2 MRT dump (RFC 6396) of many IPv4 /32s for `gobgp mrt inject`.
/** A TABLE_DUMP_V2 MRT file (RFC 6396) with COUNT /32s; attributes change every 10 prefixes. */
export function mrt(count, nextHop, speakerAs, encodeMessage) {
  const chunks = [];
  const record = (subtype, body) => {
    const h = Buffer.alloc(12);
    h.writeUInt32BE(1_700_000_000, 0);
    h.writeUInt16BE(13, 4); // TABLE_DUMP_V2
    h.writeUInt16BE(subtype, 6);
    h.writeUInt32BE(body.length, 8);
    chunks.push(h, body);
  };
  const ip = (s) => Buffer.from(s.split('.').map(Number));
  // PEER_INDEX_TABLE: collector id, empty view name, one peer (IPv4, 4-octet AS).
  const peer = Buffer.concat([
    Buffer.from([0x02]),
    ip(nextHop),
    ip(nextHop),
    (() => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(speakerAs);
      return b;
    })(),
  ]);
  record(1, Buffer.concat([ip(nextHop), Buffer.from([0, 0, 0, 1]), peer]));
  let attrs = null;
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) {
      const group = i / 10;
      const u = encodeMessage({
        type: 'update',
        withdrawn: [],
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [64600 + (group % 900)] }],
          nextHop,
          communities: [speakerAs * 65536 + (group % 65536)],
        },
        nlri: [],
      });
      const attrLen = (u[21] << 8) | u[22];
      attrs = Buffer.from(u.subarray(23, 23 + attrLen));
    }
    const a = 198 * 2 ** 24 + 18 * 2 ** 16 + i; // 198.18.0.0 + i
    const body = Buffer.alloc(4 + 1 + 4 + 2 + 2 + 4 + 2);
    let o = 0;
    o = body.writeUInt32BE(i, o);
    o = body.writeUInt8(32, o);
    o = body.writeUInt32BE(a >>> 0, o);
    o = body.writeUInt16BE(1, o); // one entry
    o = body.writeUInt16BE(0, o); // peer index
    o = body.writeUInt32BE(1_700_000_000, o);
    body.writeUInt16BE(attrs.length, o);
    record(2, Buffer.concat([body, attrs]));
  }
  return Buffer.concat(chunks);
}
