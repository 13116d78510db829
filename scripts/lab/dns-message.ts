// The lab's cluster DNS, as messages: the answer to one query (RFC 1035) for the Services'
// names. A records only; a known name asked for another type gets an empty NOERROR answer,
// an unknown one NXDOMAIN. Pure.

const TYPE_A = 1;
const CLASS_IN = 1;

/** The question of a DNS query: its name (lower case, no trailing dot), type and where it ends. */
export function parseQuestion(msg: Buffer): { name: string; type: number; end: number } | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length) {
    const len = msg[i]!;
    if (len === 0) break;
    if (len > 63 || i + 1 + len > msg.length) return undefined;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  if (i + 5 > msg.length) return undefined;
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

/**
 * The answer to a query, given the addresses of a name (undefined: not a name the lab knows;
 * several: a headless Service's ready Pods, one A record each).
 */
export function dnsAnswer(query: Buffer, lookup: (name: string) => string[] | undefined): Buffer | undefined {
  const q = parseQuestion(query);
  if (!q) return undefined;
  const addresses = lookup(q.name);
  const address = addresses?.[0];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8080 | rd | (address === undefined ? 3 : 0), 2); // QR, RA, RD as asked; NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  const answers = address !== undefined && q.type === TYPE_A ? addresses! : [];
  header.writeUInt16BE(answers.length, 6);
  const question = query.subarray(12, q.end);
  const records = answers.map((a) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(TYPE_A, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(5, 6); // TTL 5 s: Services come and go in tests
    rr.writeUInt16BE(4, 10);
    for (const [k, o] of a.split('.').entries()) rr.writeUInt8(Number(o), 12 + k);
    return rr;
  });
  return Buffer.concat([header, question, ...records]);
}

/** Names to addresses from hosts-file text ("ADDRESS NAME..."; a name on several lines has several addresses). */
export function parseHosts(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (!addr || !/^[0-9.]+$/.test(addr)) continue;
    for (const n of names) {
      const key = n.toLowerCase().replace(/\.$/, '');
      m.set(key, [...(m.get(key) ?? []), addr]);
    }
  }
  return m;
}
