// BGP benchmark (not a timed test): one GoBGP speaker advertises COUNT IPv4 prefixes
// (default 100,000 /32s from 198.18.0.0/15, the RFC 2544 benchmarking range; routes are
// data only, no packet is sent to them) to the probe's collector and to BIRD 2 at the
// same moment; reports the time each needs to hold the whole table, and peak memory.
//
//   sudo node bench/bgp/run.mjs [COUNT]      (root; iproute2, gobgpd, bird2)
//
// Everything runs in network namespaces xctl-bgp-<random>-*, removed at the end.
import '../../scripts/ts-sources.mjs';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const { Lab, requireTools, waitUntil, sbinEnv } = await import(
  new URL('../../test/network/bgp/lab.ts', import.meta.url).href
);
const { encodeMessage } = await import(new URL('../../src/probes/bgp/codec.ts', import.meta.url).href);
const { goBgpConfig } = await import(new URL('../../test/helpers/gobgp-config.ts', import.meta.url).href);
const { mrt } = await import(new URL('./mrt.mjs', import.meta.url).href);
const { birdControl } = await import(new URL('./birdctl.mjs', import.meta.url).href);

const COUNT = Number(process.argv[2] ?? 100_000);
const SPEAKER_AS = 65001;
const PROBE_AS = 64512;
const BIRD_AS = 64513;
const PORT = 17900;

/** CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function vmHwmKiB(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : null;
}

await requireTools(['ip', 'gobgpd', 'gobgp', 'bird', 'birdc']);
const lab = new Lab();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    lab.destroy().finally(() => process.exit(130));
  });
}
try {
  await lab.create();
  const speaker = await lab.addHost('speaker', 2);
  const birdHost = await lab.addHost('bird', 3);

  // `gobgp mrt inject` (3.x) loses the last batches of a file: pad the dump and use
  // however many prefixes gobgpd ends up holding (at least COUNT).
  lab.file('table.mrt', mrt(COUNT + 5_000, speaker.v4, SPEAKER_AS, encodeMessage));
  const gobgpConf = lab.file(
    'gobgpd.toml',
    goBgpConfig({
      asn: SPEAKER_AS,
      routerId: speaker.v4,
      neighbors: [lab.probe.v4, birdHost.v4].map((address, i) => ({
        address,
        peerAs: i === 0 ? PROBE_AS : BIRD_AS,
        adminDown: true,
        remotePort: PORT,
        localAddress: speaker.v4,
      })),
    }),
  );
  const birdConf = lab.file(
    'bird.conf',
    `log "${lab.logPath('bird.log')}" { info, warning, error, fatal };
router id ${birdHost.v4};
protocol device { }
protocol bgp speaker {
  local ${birdHost.v4} port ${PORT} as ${BIRD_AS};
  neighbor ${speaker.v4} as ${SPEAKER_AS};
  passive on;
  ipv4 { import all; export none; };
}
`,
  );
  const gobgp = (args) => lab.exec(speaker.ns, 'gobgp', ['-u', '127.0.0.1', '-p', '50051', ...args], 600_000);
  const birdc = (args) => lab.exec(birdHost.ns, 'birdc', ['-s', lab.logPath('bird.ctl'), ...args]);

  lab.spawn(
    speaker.ns,
    'gobgpd',
    ['-f', gobgpConf, '-t', 'toml', '--api-hosts', '127.0.0.1:50051', '--pprof-disable'],
    'gobgpd.log',
  );
  const bird = lab.spawn(
    birdHost.ns,
    'bird',
    ['-f', '-c', birdConf, '-s', lab.logPath('bird.ctl'), '-P', lab.logPath('bird.pid')],
    'bird.out',
  );
  await waitUntil(async () => (await gobgp(['global'])).includes(String(SPEAKER_AS)), 'gobgpd', 20_000);
  await waitUntil(async () => (await birdc(['show', 'status'])).includes('running'), 'BIRD', 20_000);

  const tInject = Date.now();
  await gobgp(['mrt', 'inject', 'global', lab.logPath('table.mrt')]);
  // The injection returns before gobgpd has processed every path.
  let held = 0;
  let stable = 0;
  await waitUntil(
    async () => {
      const m = /Destination: (\d+),/.exec(await gobgp(['global', 'rib', 'summary', '-a', 'ipv4']));
      const n = Number(m?.[1] ?? 0);
      stable = n === held ? stable + 1 : 0;
      held = n;
      return stable >= 8 && n >= COUNT;
    },
    `gobgpd to hold at least ${COUNT} prefixes`,
    120_000,
  );
  const TABLE = held;
  console.error(`speaker holds ${TABLE} prefixes (${Date.now() - tInject} ms to load)`);

  const probe = spawn(
    'ip',
    [
      'netns',
      'exec',
      lab.probe.ns,
      process.execPath,
      new URL('./probe-receiver.mjs', import.meta.url).pathname,
      JSON.stringify({ listen: lab.probe.v4, port: PORT, localAs: PROBE_AS, routerId: lab.probe.v4 }),
      String(TABLE),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'], env: sbinEnv() },
  );
  lab.track(probe);
  const probeEvents = [];
  createInterface({ input: probe.stdout }).on('line', (l) => probeEvents.push(JSON.parse(l)));
  await waitUntil(async () => probeEvents.some((e) => e.type === 'ready'), 'the probe', 20_000);

  const t0 = Date.now();
  await Promise.all([gobgp(['neighbor', lab.probe.v4, 'enable']), gobgp(['neighbor', birdHost.v4, 'enable'])]);

  let birdDone = null;
  let birdCpuMs = null;
  let birdFirst = null;
  let birdEstablished = null;
  let birdLast = 0;
  const birdProgress = [];
  const control = await birdControl(lab.logPath('bird.ctl'));
  const birdWatch = (async () => {
    for (;;) {
      const s = await control.command('show protocols all speaker');
      if (!birdEstablished && /Established/.test(s)) birdEstablished = Date.now();
      const m = /Routes:\s+(\d+) imported/.exec(s);
      if (m && Math.floor(Number(m[1]) / 10_000) > Math.floor(birdLast / 10_000))
        birdProgress.push({ at: Date.now() - t0, prefixes: Number(m[1]) });
      if (m) birdLast = Number(m[1]);
      if (!birdFirst && m && Number(m[1]) > 0) birdFirst = Date.now();
      if (m && Number(m[1]) >= TABLE) {
        birdDone = Date.now();
        birdCpuMs = cpuMs(Number(readFileSync(lab.logPath('bird.pid'), 'utf8').trim()));
        control.close();
        return;
      }
      if (Date.now() - t0 > 300_000) throw new Error('BIRD did not get the table in 5 minutes');
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await waitUntil(async () => probeEvents.some((e) => e.type === 'final'), 'the probe to hold the table', 300_000);
  await birdWatch;

  const done = probeEvents.find((e) => e.type === 'done');
  const final = probeEvents.find((e) => e.type === 'final');
  const established = probeEvents.find((e) => e.type === 'established');
  const first = probeEvents.find((e) => e.type === 'first-update');
  const birdPid = Number(readFileSync(lab.logPath('bird.pid'), 'utf8').trim());
  const result = {
    prefixes: TABLE,
    probe: {
      establishedMs: established ? established.at - t0 : null,
      tableMs: done.at - t0,
      afterEstablishedMs: established ? done.at - established.at : null,
      routesInSnapshot: final.routes,
      snapshotMs: final.snapshotMs,
      cpuMs: done.cpuMs,
      peakRssAtTableMiB: Math.round(done.maxRssKiB / 1024),
      cpuAfterEstablishedMs: established ? done.cpuMs - established.cpuMs : null,
      firstRouteAfterEstablishedMs: first && established ? first.at - established.at : null,
      firstRouteToTableMs: first ? done.at - first.at : null,
      peakRssMiB: Math.round(final.maxRssKiB / 1024),
    },
    bird: {
      establishedMs: birdEstablished ? birdEstablished - t0 : null,
      tableMs: birdDone - t0,
      afterEstablishedMs: birdEstablished ? birdDone - birdEstablished : null,
      firstRouteAfterEstablishedMs: birdFirst && birdEstablished ? birdFirst - birdEstablished : null,
      firstRouteToTableMs: birdFirst ? birdDone - birdFirst : null,
      cpuMs: birdCpuMs,
      peakRssMiB: Math.round((vmHwmKiB(birdPid) ?? 0) / 1024),
    },
  };
  if (final.routes !== TABLE)
    throw new Error(`the probe counted ${done.prefixes} prefixes but its snapshot holds ${final.routes}, not ${TABLE}`);
  result.progress = {
    probe: probeEvents.filter((e) => e.type === 'progress').map((e) => [e.at - t0, e.prefixes]),
    bird: birdProgress.map((e) => [e.at, e.prefixes]),
  };
  result.ratioProbeToBird = Number((result.probe.tableMs / result.bird.tableMs).toFixed(2));
  result.loadAverage = (await import('node:os')).loadavg().map((x) => Number(x.toFixed(1)));
  console.log(JSON.stringify(result, null, 2));
  probe.stdin.write('stop\n');
  bird.kill('SIGTERM');
} finally {
  await lab.destroy();
}
