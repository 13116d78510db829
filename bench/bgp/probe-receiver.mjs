// The probe side of the BGP benchmark, run inside the probe's namespace: a collector that
// reports when it holds `count` prefixes. argv[2]: collector options (JSON), argv[3]: count.
// Prints one JSON line per milestone: ready, established, done, final.
import '../../scripts/ts-sources.mjs';

const { startBgpCollector } = await import(new URL('../../src/probes/bgp/collector.ts', import.meta.url).href);
let profiler;
if (process.env.BGP_BENCH_PROFILE) {
  const { Session } = await import('node:inspector/promises');
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const options = JSON.parse(process.argv[2]);
const count = Number(process.argv[3]);
// Routes held, as the session counts them (the update event's prefix lists are text made
// on demand: reading them here would add work the probe itself does not do).
let held = 0;
const cpuMs = () => {
  const cpu = process.cpuUsage();
  return Math.round((cpu.user + cpu.system) / 1000);
};
let done = false;
const collector = await startBgpCollector({
  ...options,
  onEvent: (e) => {
    if (e.type === 'state' && e.to === 'Established') out({ type: 'established', at: Date.now(), cpuMs: cpuMs() });
    if (e.type === 'update' && held === 0) out({ type: 'first-update', at: Date.now(), cpuMs: cpuMs() });
    if (e.type === 'update' && !done) {
      const before = held;
      held = e.routes;
      if (Math.floor(held / 10_000) > Math.floor(before / 10_000))
        out({ type: 'progress', at: Date.now(), prefixes: held });
      if (held >= count) {
        done = true;
        out({
          type: 'done',
          at: Date.now(),
          prefixes: held,
          cpuMs: cpuMs(),
          maxRssKiB: process.resourceUsage().maxRSS,
          heapUsedMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        });
        setImmediate(async () => {
          if (profiler) {
            const { profile } = await profiler.post('Profiler.stop');
            (await import('node:fs')).writeFileSync(process.env.BGP_BENCH_PROFILE, JSON.stringify(profile));
          }
          const t = Date.now();
          const snap = collector.snapshot();
          const routes = snap.peers.reduce((n, p) => n + p.routes.length, 0);
          out({ type: 'final', routes, snapshotMs: Date.now() - t, maxRssKiB: process.resourceUsage().maxRSS });
        });
      }
    }
  },
});
out({ type: 'ready', port: collector.port });
process.stdin.on('data', async () => {
  await collector.stop();
  process.exit(0);
});
