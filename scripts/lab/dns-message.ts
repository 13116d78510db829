// The lab's cluster DNS, as messages: the answer to one query (RFC 1035; SRV: RFC 2782) from
// the zone of scripts/lab/dns-zone.ts. A and SRV records (an SRV answer carries its targets'
// A records in the additional section, as CoreDNS does, so HAProxy needs no second query);
// a known name asked for another type gets an empty NOERROR answer, an unknown one NXDOMAIN.
// Pure.
import type { Zone } from './dns-zone.ts';

const TYPE_A = 1;
const TYPE_SRV = 33;
const CLASS_IN = 1;
/** TTL 5 s: Services and endpoints come and go in tests. */
const TTL = 5;

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

/** A name in wire format, uncompressed. */
function wireName(name: string): Buffer {
  return Buffer.concat([
    ...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
}

/** One resource record; `name` is a pointer to the question's name (0xc00c) or a name in wire format. */
function record(name: Buffer, type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(TTL, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([name, fixed, rdata]);
}

const aData = (address: string) => Buffer.from(address.split('.').map(Number));
const QUESTION_NAME = Buffer.from([0xc0, 0x0c]);

/** The answer to a query from the zone; undefined for a message that is not a query we can read. */
export function dnsAnswer(query: Buffer, zone: Zone): Buffer | undefined {
  const q = parseQuestion(query);
  if (!q) return undefined;
  const addresses = zone.a[q.name];
  const srv = zone.srv[q.name];
  const known = addresses !== undefined || srv !== undefined;
  const answers: Buffer[] = [];
  const additional: Buffer[] = [];
  if (q.type === TYPE_A) for (const a of addresses ?? []) answers.push(record(QUESTION_NAME, TYPE_A, aData(a)));
  if (q.type === TYPE_SRV)
    for (const r of srv ?? []) {
      const rdata = Buffer.alloc(6);
      rdata.writeUInt16BE(r.priority, 0);
      rdata.writeUInt16BE(r.weight, 2);
      rdata.writeUInt16BE(r.port, 4);
      answers.push(record(QUESTION_NAME, TYPE_SRV, Buffer.concat([rdata, wireName(r.target)])));
      for (const a of zone.a[r.target] ?? []) additional.push(record(wireName(r.target), TYPE_A, aData(a)));
    }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  const rd = query.readUInt16BE(2) & 0x0100;
  header.writeUInt16BE(0x8480 | rd | (known ? 0 : 3), 2); // QR, AA, RA, RD as asked; NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(additional.length, 10);
  return Buffer.concat([header, query.subarray(12, q.end), ...answers, ...additional]);
}

/** The zone from the file the lab kubelet writes (JSON); an unreadable one is empty. */
export function parseZone(text: string): Zone {
  try {
    const z = JSON.parse(text) as Partial<Zone>;
    return { a: z.a ?? {}, srv: z.srv ?? {} };
  } catch {
    return { a: {}, srv: {} };
  }
}
