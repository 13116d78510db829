// Real BGP speakers for the lab: gobgpd (GoBGP) and BIRD 2, configured to peer with the
// probe on a non-privileged port, plus parsers for what they say they send.
import type { ChildProcess } from 'node:child_process';
import { goBgpConfig } from '../../helpers/gobgp-config.js';
import type { Host, Lab } from './lab.js';
import { sbinEnv, waitUntil } from './lab.js';

export interface SentRoute {
  prefix: string;
  nextHop?: string;
  asPath?: string;
  communities: string[];
  largeCommunities: string[];
  med?: number;
}

// ---------------------------------------------------------------------------------------
// GoBGP

export class GoBgp {
  process!: ChildProcess;
  constructor(
    readonly lab: Lab,
    readonly host: Host,
    readonly asn: number,
    readonly probe: { address: string; port: number },
    /** Seconds GoBGP waits in Idle after a session reset before it connects again (its default is 30). */
    readonly idleHoldTimeAfterReset?: number,
  ) {}

  async start(): Promise<void> {
    const conf = this.lab.file(
      `gobgpd-${this.host.ns}.toml`,
      goBgpConfig({
        asn: this.asn,
        routerId: this.host.v4,
        neighbors: [
          {
            address: this.probe.address,
            peerAs: 64512,
            remotePort: this.probe.port,
            localAddress: this.host.v4,
            holdTime: 9,
            keepaliveInterval: 3,
            idleHoldTimeAfterReset: this.idleHoldTimeAfterReset,
            afiSafis: ['ipv4-unicast', 'ipv6-unicast'],
          },
        ],
      }),
    );
    this.process = this.lab.spawn(
      this.host.ns,
      'gobgpd',
      ['-f', conf, '-t', 'toml', '--api-hosts', '127.0.0.1:50051', '--pprof-disable', '-l', 'debug'],
      'gobgpd.log',
    );
    // Ready when its API answers.
    await waitUntil(async () => (await this.cli(['global'])).includes(String(this.asn)), 'gobgpd API', 20_000);
  }

  cli(args: string[]): Promise<string> {
    return this.lab.exec(this.host.ns, 'gobgp', ['-u', '127.0.0.1', '-p', '50051', ...args]);
  }

  async add(family: 'ipv4' | 'ipv6', prefix: string, nextHop: string, attrs: string[]): Promise<void> {
    await this.cli(['global', 'rib', 'add', '-a', family, prefix, 'nexthop', nextHop, ...attrs]);
  }

  async del(family: 'ipv4' | 'ipv6', prefix: string): Promise<void> {
    await this.cli(['global', 'rib', 'del', '-a', family, prefix]);
  }

  /** What gobgpd advertises to the probe: `gobgp neighbor ADDR adj-out -a FAMILY -j`. */
  async adjOut(family: 'ipv4' | 'ipv6'): Promise<SentRoute[]> {
    return parseGobgpRib(await this.cli(['neighbor', this.probe.address, 'adj-out', '-a', family, '-j']));
  }

  /** Its local RIB: `gobgp global rib -a FAMILY -j`. */
  async rib(family: 'ipv4' | 'ipv6'): Promise<SentRoute[]> {
    return parseGobgpRib(await this.cli(['global', 'rib', '-a', family, '-j']));
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}

interface GobgpPath {
  nlri: { prefix: string };
  attrs: Array<{
    type: number;
    nexthop?: string;
    communities?: number[];
    value?: unknown;
    metric?: number;
    as_paths?: Array<{ segment_type: number; asns: number[] }>;
  }>;
}

export function parseGobgpRib(json: string): SentRoute[] {
  const text = json.trim();
  if (!text || text === 'null') return [];
  const data = JSON.parse(text) as Record<string, GobgpPath[]> | GobgpPath[];
  const paths: GobgpPath[] = Array.isArray(data) ? data : Object.values(data).flat();
  return paths
    .map((p) => {
      const r: SentRoute = { prefix: p.nlri.prefix, communities: [], largeCommunities: [] };
      for (const a of p.attrs) {
        if ((a.type === 3 || a.type === 14) && a.nexthop) r.nextHop = a.nexthop;
        if (a.type === 4 && a.metric !== undefined) r.med = a.metric;
        if (a.type === 2)
          r.asPath = (a.as_paths ?? [])
            .map((seg) => (seg.segment_type === 1 ? `{${seg.asns.join(',')}}` : seg.asns.join(' ')))
            .join(' ');
        if (a.type === 8) r.communities = (a.communities ?? []).map((c) => `${c >>> 16}:${c & 0xffff}`);
        if (a.type === 32) {
          r.largeCommunities = ((a.value as Array<{ ASN: number; LocalData1: number; LocalData2: number }>) ?? []).map(
            (c) => `${c.ASN}:${c.LocalData1}:${c.LocalData2}`,
          );
        }
      }
      return r;
    })
    .sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
}

// ---------------------------------------------------------------------------------------
// BIRD 2

export interface BirdRouteSpec {
  prefix: string;
  med?: number;
}

export class Bird {
  process!: ChildProcess;
  readonly socket: string;
  constructor(
    readonly lab: Lab,
    readonly host: Host,
    readonly asn: number,
    readonly probe: { v4: string; v6: string; port: number },
    readonly routes: { v4: BirdRouteSpec[]; v6: BirdRouteSpec[] },
    readonly community: [number, number],
    readonly largeCommunity: [number, number, number],
  ) {
    this.socket = lab.logPath('bird.ctl');
  }

  async start(): Promise<void> {
    const statics = (list: BirdRouteSpec[]) => list.map((r) => `  route ${r.prefix} blackhole;`).join('\n');
    const meds = (list: BirdRouteSpec[]) =>
      list
        .filter((r) => r.med !== undefined)
        .map((r) => `  if net = ${r.prefix} then bgp_med = ${r.med};`)
        .join('\n');
    const [ca, cv] = this.community;
    const [lg, l1, l2] = this.largeCommunity;
    const conf = this.lab.file(
      'bird.conf',
      `log "${this.lab.logPath('bird.log')}" all;
router id ${this.host.v4};
protocol device { }
protocol static static4 {
  ipv4;
${statics(this.routes.v4)}
}
protocol static static6 {
  ipv6;
${statics(this.routes.v6)}
}
filter to_probe4 {
  if proto != "static4" then reject;
  bgp_community.add((${ca}, ${cv}));
  bgp_large_community.add((${lg}, ${l1}, ${l2}));
${meds(this.routes.v4)}
  accept;
}
filter to_probe6 {
  if proto != "static6" then reject;
  bgp_community.add((${ca}, ${cv}));
  bgp_large_community.add((${lg}, ${l1}, ${l2}));
${meds(this.routes.v6)}
  accept;
}
protocol bgp probe4 {
  local ${this.host.v4} as ${this.asn};
  neighbor ${this.probe.v4} port ${this.probe.port} as 64512;
  hold time 9;
  connect delay time 1;
  connect retry time 1;
  error wait time 1, 5;
  ipv4 { import none; export filter to_probe4; };
}
protocol bgp probe6 {
  local ${this.host.v6} as ${this.asn};
  neighbor ${this.probe.v6} port ${this.probe.port} as 64512;
  hold time 9;
  connect delay time 1;
  connect retry time 1;
  error wait time 1, 5;
  ipv6 { import none; export filter to_probe6; };
}
`,
    );
    this.process = this.lab.spawn(
      this.host.ns,
      'bird',
      ['-f', '-c', conf, '-s', this.socket, '-P', this.lab.logPath('bird.pid')],
      'bird.out',
    );
    await waitUntil(
      async () => (await this.cli(['show', 'status'])).includes('Daemon is up and running'),
      'BIRD control socket',
      20_000,
    );
  }

  cli(args: string[]): Promise<string> {
    return this.lab.exec(this.host.ns, 'birdc', ['-s', this.socket, ...args]);
  }

  /** What BIRD exports to a protocol: `birdc show route export PROTO all`. */
  async exported(protocol: 'probe4' | 'probe6'): Promise<SentRoute[]> {
    return parseBirdRoutes(await this.cli(['show', 'route', 'export', protocol, 'all']));
  }

  kill(): void {
    this.process.kill('SIGKILL');
  }
}

/** Another BIRD instance in its own namespace, from a configuration given whole (log and control socket added). */
export async function startBird(
  lab: Lab,
  host: Host,
  name: string,
  body: string,
): Promise<{ cli(args: string[]): Promise<string> }> {
  const socket = lab.logPath(`${name}.ctl`);
  const conf = lab.file(
    `${name}.conf`,
    `log "${lab.logPath(`${name}.log`)}" all;\nrouter id ${host.v4};\nprotocol device { }\n${body}\n`,
  );
  lab.spawn(host.ns, 'bird', ['-f', '-c', conf, '-s', socket, '-P', lab.logPath(`${name}.pid`)], `${name}.out`);
  const cli = (args: string[]) => lab.exec(host.ns, 'birdc', ['-s', socket, ...args]);
  await waitUntil(
    async () => (await cli(['show', 'status'])).includes('Daemon is up and running'),
    `BIRD ${name}`,
    20_000,
  );
  return { cli };
}

/**
 * Parses `birdc show route ... all`: a route starts with its prefix at the start of a line
 * (continuation routes of the same prefix are indented), attributes follow, tab-indented,
 * as `BGP.community: (65002,200)`, `BGP.large_community: (65002, 10, 20)`, `BGP.med: 20`.
 */
export function parseBirdRoutes(text: string): SentRoute[] {
  const routes: SentRoute[] = [];
  let current: SentRoute | null = null;
  for (const line of text.split('\n')) {
    const start = /^([0-9a-fA-F:.]+\/\d+)\s/.exec(line);
    if (start?.[1]) {
      current = { prefix: start[1], communities: [], largeCommunities: [] };
      routes.push(current);
      continue;
    }
    if (!current) continue;
    const attr = /^\s+BGP\.(\w+):\s*(.*)$/.exec(line);
    if (!attr) continue;
    const [, name, value] = attr;
    if (name === 'community')
      current.communities = [...value!.matchAll(/\((\d+),\s*(\d+)\)/g)].map((m) => `${m[1]}:${m[2]}`);
    if (name === 'large_community')
      current.largeCommunities = [...value!.matchAll(/\((\d+),\s*(\d+),\s*(\d+)\)/g)].map(
        (m) => `${m[1]}:${m[2]}:${m[3]}`,
      );
    if (name === 'med') current.med = Number(value);
    if (name === 'next_hop') current.nextHop = value!.trim().split(/\s+/)[0]!;
  }
  return routes.sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
}

// ---------------------------------------------------------------------------------------
// A raw TCP peer that sends whatever octets it is given (fixtures/raw-peer.mjs)

export interface RawMessage {
  msgType: number;
  code?: number;
  subcode?: number;
  hex: string;
}

export class RawPeer {
  readonly received: RawMessage[] = [];
  connected = false;
  closed = false;
  private child!: ChildProcess;

  constructor(
    readonly lab: Lab,
    readonly host: Host,
  ) {}

  async connect(probe: { address: string; port: number }): Promise<void> {
    const { spawn } = await import('node:child_process');
    const { createInterface } = await import('node:readline');
    const script = new URL('./fixtures/raw-peer.mjs', import.meta.url).pathname;
    this.child = spawn(
      'ip',
      ['netns', 'exec', this.host.ns, process.execPath, script, probe.address, String(probe.port), this.host.v4],
      { stdio: ['pipe', 'pipe', 'inherit'], env: sbinEnv() },
    );
    this.lab.track(this.child);
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { type: string } & RawMessage;
      if (m.type === 'connected') this.connected = true;
      if (m.type === 'closed') this.closed = true;
      if (m.type === 'message')
        this.received.push({ msgType: m.msgType, code: m.code, subcode: m.subcode, hex: m.hex } as RawMessage);
    });
    await waitUntil(async () => this.connected, 'the raw peer to connect', 10_000);
  }

  send(bytes: Uint8Array | string): void {
    const hex = typeof bytes === 'string' ? bytes.replace(/\s/g, '') : Buffer.from(bytes).toString('hex');
    this.child.stdin!.write(`${JSON.stringify({ send: hex })}\n`);
  }
}
