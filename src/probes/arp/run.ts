// Runs arping (through execa, arguments as an array, after validating every input) and
// gathers every MAC that answers for an IPv4 address. Facts only: no judgement, no printing.
//
// Thomas Habets' arping (Debian package arping) listens for the whole interval after each
// request and prints every reply, so several answering hosts all show up; iputils'
// arping is driven without -f for the same reason. Each reply line is timestamped as it
// arrives (both flush their output per line).
import { execa } from 'execa';
import { ArpProbeError } from './errors.js';
import { type ArpingFlavor, arpingFlavor, classifyArpingError, parseArpingLine } from './parse.js';
import { validateInterface, validateIPv4, validateNetns } from './validate.js';

export interface ArpProbeOptions {
  ip: string;
  interface: string;
  /** Requests to send (one per timeout interval). Default 3. */
  count?: number;
  /** How long to listen after each request, in milliseconds. Default 1000. */
  timeoutMs?: number;
  /** Run arping inside this network namespace (`ip netns exec NS arping ...`). */
  netns?: string;
  /** The arping binary (default: `arping` on PATH). */
  arping?: string;
  signal?: AbortSignal;
}

export interface ArpReply {
  /** Lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  /** Replies received from this MAC. */
  count: number;
  /**
   * Milliseconds from the start of the probe to the first and the last reply from this
   * MAC: the request's send time plus the RTT arping measured (Habets' arping; with
   * iputils' arping, when the reply line was read).
   */
  firstMs: number;
  lastMs: number;
}

export interface ArpProbeResult {
  ip: string;
  interface: string;
  netns?: string;
  /** Every MAC that answered, in order of first reply. Empty: nobody answered. */
  replies: ArpReply[];
  requests: number;
  timeoutMs: number;
  durationMs: number;
  /** When the probe started (ISO 8601). */
  startedAt: string;
  tool: string;
}

export const DEFAULT_COUNT = 3;
export const DEFAULT_TIMEOUT_MS = 1000;

/** The command line for one arping run: [file, ...args], wrapped in `ip netns exec` when asked. */
export function arpingCommand(
  flavor: ArpingFlavor,
  o: { ip: string; interface: string; count: number; timeoutMs: number; netns?: string; arping?: string },
): [string, string[]] {
  const bin = o.arping ?? 'arping';
  const secs = (ms: number) => String(Math.max(ms, 1) / 1000);
  const args =
    flavor === 'habets'
      ? // -W: listen this long after each request; -w: overall deadline (one spare interval).
        [
          '-i',
          o.interface,
          '-c',
          String(o.count),
          '-W',
          secs(o.timeoutMs),
          '-w',
          secs(o.timeoutMs * (o.count + 1)),
          o.ip,
        ]
      : // iputils: one request per second until the deadline (-w, whole seconds); no -c, which
        // would stop it after that many replies from any host.
        ['-I', o.interface, '-w', String(Math.max(1, Math.ceil((o.count * o.timeoutMs) / 1000))), o.ip];
  return o.netns ? ['ip', ['netns', 'exec', o.netns, bin, ...args]] : [bin, args];
}

const flavors = new Map<string, Promise<ArpingFlavor>>();

/** Which arping is installed (cached per binary); ArpProbeError(missing-binary) when there is none. */
export function detectArping(bin = 'arping'): Promise<ArpingFlavor> {
  let p = flavors.get(bin);
  if (!p) {
    p = (async () => {
      const r = await execa(bin, ['--help'], { reject: false, timeout: 5000, all: true, stdin: 'ignore' });
      if ((r as { code?: string }).code === 'ENOENT' || (r.failed && /ENOENT/.test(String(r.message))))
        throw missingArping(bin);
      // Habets' arping prints its help and exits 0; iputils prints usage and exits 2.
      return arpingFlavor(String(r.all ?? '')) ?? 'habets';
    })();
    flavors.set(bin, p);
    p.catch(() => flavors.delete(bin));
  }
  return p;
}

export function missingArping(bin = 'arping'): ArpProbeError {
  return new ArpProbeError(
    'missing-binary',
    `${bin} is not installed (or not on PATH): the ARP probe sends its requests with it`,
    'install it: apt-get install arping (Debian/Ubuntu), dnf install arping (Fedora), or use iputils-arping',
  );
}

function permission(netns?: string): ArpProbeError {
  return new ArpProbeError(
    'permission',
    netns
      ? `no privilege to enter network namespace ${netns} and send ARP requests`
      : 'no privilege to send ARP requests: raw sockets need root or CAP_NET_RAW',
    'run as root (sudo exposectl ...), or grant the capability once: sudo setcap cap_net_raw+ep "$(command -v arping)"',
  );
}

/**
 * The error arping's stderr describes, or null when it says nothing (arping exits 1 when
 * nobody answered: that is a fact, not a failure).
 */
export function arpingFailure(
  stderr: string,
  o: { interface: string; netns?: string; arping?: string },
): ArpProbeError | null {
  const failure = classifyArpingError(stderr);
  if (failure === 'permission') return permission(o.netns);
  if (failure === 'no-such-interface') {
    return new ArpProbeError(
      'no-such-interface',
      `interface ${o.interface} does not exist${o.netns ? ` in network namespace ${o.netns}` : ''}`,
      'list the interfaces with `ip -br link`; give the one on the segment where the address is announced',
    );
  }
  if (failure === 'no-such-netns')
    return new ArpProbeError(
      'no-such-netns',
      `network namespace ${o.netns} does not exist`,
      'list them with `ip netns list`',
    );
  if (/command not found|No such file or directory/.test(stderr) && o.netns) return missingArping(o.arping);
  if (stderr.trim() !== '') return new ArpProbeError('failed', `arping failed: ${stderr.trim().split('\n').at(-1)}`);
  return null;
}

/** Sends `count` ARP requests for `ip` out of `interface` and reports every MAC that answered. */
export async function probeArp(opts: ArpProbeOptions): Promise<ArpProbeResult> {
  const ip = validateIPv4(opts.ip);
  const iface = validateInterface(opts.interface);
  const netns = opts.netns !== undefined ? validateNetns(opts.netns) : undefined;
  const count = opts.count ?? DEFAULT_COUNT;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new ArpProbeError('invalid-input', `invalid count ${count}: 1 to 1000 requests`);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 10 || timeoutMs > 60_000)
    throw new ArpProbeError('invalid-input', `invalid timeout ${timeoutMs} ms: 10 ms to 60 s`);
  const flavor = await detectArping(opts.arping);

  const startedAt = new Date();
  const t0 = performance.now();
  const byMac = new Map<string, ArpReply>();
  const record = (mac: string, at: number) => {
    const seen = byMac.get(mac);
    if (seen) {
      seen.count += 1;
      seen.firstMs = Math.min(seen.firstMs, at);
      seen.lastMs = Math.max(seen.lastMs, at);
    } else byMac.set(mac, { mac, count: 1, firstMs: at, lastMs: at });
  };
  // Habets: one arping run per request, so that every reply is timed from its own
  // request (send time + the RTT arping measured from the packet's kernel timestamp).
  // iputils: one run that sends a request a second until the deadline.
  const runs = flavor === 'habets' ? count : 1;
  for (let k = 0; k < runs; k++) {
    const [file, args] = arpingCommand(flavor, {
      ip,
      interface: iface,
      count: flavor === 'habets' ? 1 : count,
      timeoutMs,
      ...(netns ? { netns } : {}),
      ...(opts.arping ? { arping: opts.arping } : {}),
    });
    const sub = execa(file, args, {
      reject: false,
      stdin: 'ignore',
      buffer: { stdout: false, stderr: true },
      timeout: timeoutMs * (runs === 1 ? count + 2 : 3) + 5000,
      forceKillAfterDelay: 1000,
      ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    });
    let rest = '';
    let sendAt: number | null = null;
    let repliesThisRun = 0;
    const onLine = (line: string) => {
      if (sendAt === null && /^ARPING /.test(line)) {
        sendAt = performance.now();
        return;
      }
      const r = parseArpingLine(line);
      if (!r || r.ip !== ip) return;
      repliesThisRun += 1;
      const now = performance.now();
      const at = runs > 1 && sendAt !== null && r.rttMs !== null ? Math.min(now, sendAt + r.rttMs) : now;
      record(r.mac, Math.round(at - t0));
    };
    sub.stdout?.setEncoding('utf8');
    sub.stdout?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    const result = await sub;
    if (rest) onLine(rest);
    const stderr = String(result.stderr ?? '');
    if (
      (result as { code?: string }).code === 'ENOENT' ||
      (/ENOENT/.test(String(result.message ?? '')) && result.exitCode === undefined)
    ) {
      throw netns
        ? new ArpProbeError(
            'missing-binary',
            'ip (iproute2) is not installed: --netns runs arping through `ip netns exec`',
            'apt-get install iproute2',
          )
        : missingArping(opts.arping);
    }
    if (result.isCanceled) throw new ArpProbeError('failed', 'the ARP probe was cancelled');
    if (repliesThisRun === 0 && (result.exitCode ?? 0) !== 0) {
      const err = arpingFailure(stderr, {
        interface: iface,
        ...(netns ? { netns } : {}),
        ...(opts.arping ? { arping: opts.arping } : {}),
      });
      // Exit 1 with no reply and no error text is arping's "nobody answered": a fact, not a failure.
      if (err && result.timedOut !== true) throw err;
    }
  }
  return {
    ip,
    interface: iface,
    ...(netns ? { netns } : {}),
    replies: [...byMac.values()].sort((a, b) => a.firstMs - b.firstMs),
    requests: count,
    timeoutMs,
    durationMs: Math.round(performance.now() - t0),
    startedAt: startedAt.toISOString(),
    tool: flavor === 'habets' ? 'arping (Thomas Habets)' : 'arping (iputils)',
  };
}

/**
 * The MACs of the nodes' addresses, asked one ARP request each (`concurrency` at a time).
 * Stops asking once every MAC in `wanted` belongs to a node (nodes listed first are asked
 * first: put the expected holder there). Addresses nobody answers for get no MAC.
 */
export async function resolveNodeMacs(
  targets: ReadonlyArray<{ node: string; address: string }>,
  o: {
    interface: string;
    netns?: string;
    timeoutMs?: number;
    concurrency?: number;
    wanted?: ReadonlySet<string>;
    signal?: AbortSignal;
  },
): Promise<Array<{ node: string; address: string; macs: string[] }>> {
  const out: Array<{ node: string; address: string; macs: string[] }> = [];
  const found = new Set<string>();
  const done = () => o.wanted !== undefined && [...o.wanted].every((m) => found.has(m));
  let next = 0;
  const worker = async () => {
    while (next < targets.length && !done() && !o.signal?.aborted) {
      const t = targets[next++]!;
      const r = await probeArp({
        ip: t.address,
        interface: o.interface,
        count: 1,
        timeoutMs: o.timeoutMs ?? 300,
        ...(o.netns ? { netns: o.netns } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
      });
      const macs = r.replies.map((x) => x.mac);
      for (const m of macs) found.add(m);
      out.push({ node: t.node, address: t.address, macs });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 8, targets.length)) }, worker));
  const order = new Map(targets.map((t, i) => [`${t.node}|${t.address}`, i]));
  return out.sort((a, b) => order.get(`${a.node}|${a.address}`)! - order.get(`${b.node}|${b.address}`)!);
}
