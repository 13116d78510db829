// In-process companion of bench/bgp (no network, no root): the probe's own share of a
// full-table transfer. A table of COUNT IPv4 /32s in UPDATEs of 10 prefixes (AS path and
// community changing every UPDATE, as run.mjs's gobgpd table) is encoded once, cut into
// 64 KiB chunks as a socket delivers them, and fed to a BgpSession in Established state.
// Prints the CPU time per run and per prefix, and the heap held by the Adj-RIB-In.
//
//   node bench/bgp/ingest.mjs [COUNT] [RUNS]        PER=N: prefixes per UPDATE (default 10)
//
// The first run is the one that counts (the probe takes in one table, cold); later runs
// show the code once V8 has optimised it.
import '../../scripts/ts-sources.mjs';

const { encodeMessage } = await import(new URL('../../src/probes/bgp/codec.ts', import.meta.url).href);
const { BgpSession } = await import(new URL('../../src/probes/bgp/session.ts', import.meta.url).href);

const COUNT = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 5);
const CHUNK = 65_536;

function table() {
  const messages = [];
  const PER = Number(process.env.PER ?? 10);
  for (let i = 0; i < COUNT; i += PER) {
    const nlri = [];
    for (let k = i; k < Math.min(i + PER, COUNT); k++)
      nlri.push(`198.${18 + (k >>> 16)}.${(k >>> 8) & 0xff}.${k & 0xff}/32`);
    messages.push(
      encodeMessage({
        type: 'update',
        withdrawn: [],
        attributes: {
          origin: 'igp',
          asPath: [{ type: 'sequence', asns: [65001, 64600 + (i % 50)] }],
          nextHop: '192.0.2.1',
          communities: [(65001 << 16) | (i % 100)],
        },
        nlri,
      }),
    );
  }
  const stream = Buffer.concat(messages);
  const chunks = [];
  for (let o = 0; o < stream.length; o += CHUNK) chunks.push(stream.subarray(o, o + CHUNK));
  return chunks;
}

const timers = { now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => {} };
const open = encodeMessage({
  type: 'open',
  version: 4,
  myAs: 65001,
  holdTime: 0,
  bgpId: '192.0.2.1',
  capabilities: [
    { code: 65, kind: 'four-octet-as', asn: 65001 },
    { code: 1, kind: 'multiprotocol', afi: 1, safi: 1 },
  ],
});
const keepalive = encodeMessage({ type: 'keepalive' });

const chunks = table();
const results = [];
for (let run = 0; run < RUNS; run++) {
  let updates = 0;
  const session = new BgpSession({
    localAs: 64512,
    routerId: '192.0.2.2',
    peerAddress: '192.0.2.1',
    transport: { write() {}, close() {} },
    timers,
    onEvent: (e) => {
      if (e.type === 'update') updates++;
    },
  });
  session.accept();
  session.receive(open);
  session.receive(keepalive);
  if (session.state !== 'Established') throw new Error(`session is ${session.state}`);
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const c of chunks) session.receive(Buffer.from(c)); // a fresh Buffer per chunk, as a socket gives
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (session.routeCount !== COUNT) throw new Error(`the session holds ${session.routeCount} routes, not ${COUNT}`);
  globalThis.gc?.();
  const held = process.memoryUsage().heapUsed - heapBefore;
  results.push({ wall, cpu: (cpu.user + cpu.system) / 1000, held });
  console.log(
    `run ${run + 1}: ${updates} UPDATEs, ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${((wall * 1000) / COUNT).toFixed(2)} us per prefix, RIB ${(held / 2 ** 20).toFixed(1)} MiB${globalThis.gc ? '' : ' (run with --expose-gc for an exact figure)'}`,
  );
}
const sorted = results.map((r) => r.wall).sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms for ${COUNT} prefixes`);
