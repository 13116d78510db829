// `probe arp --watch`: keeps asking (one arping round per interval) and, where tcpdump
// is installed, listens for gratuitous ARP for the address. A pure tracker turns rounds
// and packets into events: who answers now, each change of the answering MAC with the
// failover time (last reply of the old holder to the first reply of the new one), each
// gratuitous ARP, and silences. Facts only; the command prints them.
import { execa } from 'execa';
import ipaddr from 'ipaddr.js';
import { ArpProbeError } from './errors.js';
import { parseArpingLine, parseTcpdumpArpLine } from './parse.js';
import { arpingCommand, arpingFailure, detectArping } from './run.js';
import { validateInterface, validateIPv4, validateNetns } from './validate.js';

/** One request and the replies to it, with wall-clock times (ms since the epoch). */
export interface ArpRound {
  sentAt: number;
  replies: Array<{ mac: string; at: number }>;
}

export type ArpWatchEvent =
  /** The answering MAC(s) changed; `from` is empty for the first answer and after a silence. */
  | ({ type: 'holder'; at: string } & ArpFailover)
  /** A round without any reply after one with replies. */
  | { type: 'no-reply'; at: string; from: string[]; lastReplyAt: string | null }
  /** A gratuitous ARP for the address (sender and target address both the address). */
  | { type: 'gratuitous'; at: string; mac: string; op: 'request' | 'reply' };

export interface ArpFailover {
  from: string[];
  to: string[];
  lastFromAt: string | null;
  firstToAt: string;
  failoverMs: number | null;
  gratuitousAt: string | null;
}

export interface ArpWatchSummary {
  ip: string;
  interface: string;
  startedAt: string;
  endedAt: string;
  rounds: number;
  answeredRounds: number;
  /** Every MAC seen answering, with reply counts. */
  macs: Array<{ mac: string; replies: number; firstAt: string; lastAt: string }>;
  /** The MAC(s) answering in the last round with replies. */
  holders: string[];
  failovers: ArpFailover[];
  gratuitous: Array<{ at: string; mac: string; op: 'request' | 'reply' }>;
  /** Whether gratuitous ARP was listened for (needs tcpdump). */
  gratuitousListened: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Pure state machine over rounds and gratuitous packets. */
export class ArpWatchTracker {
  private holders: string[] = [];
  /** Holders before the current silence, for the failover after it. */
  private lastHolders: string[] = [];
  private lastReplyOf = new Map<string, number>();
  private macStats = new Map<string, { replies: number; first: number; last: number }>();
  private garps: Array<{ at: number; mac: string; op: 'request' | 'reply' }> = [];
  private failovers: ArpFailover[] = [];
  private silent = false;
  rounds = 0;
  answeredRounds = 0;

  round(r: ArpRound): ArpWatchEvent[] {
    this.rounds += 1;
    const out: ArpWatchEvent[] = [];
    const macs = [...new Set(r.replies.map((x) => x.mac))].sort();
    if (macs.length === 0) {
      if (!this.silent && this.holders.length > 0) {
        out.push({
          type: 'no-reply',
          at: iso(r.sentAt),
          from: this.holders,
          lastReplyAt: this.lastReplyAt(this.holders),
        });
        this.lastHolders = this.holders;
        this.holders = [];
        this.silent = true;
      }
      return out;
    }
    this.answeredRounds += 1;
    const firstOf = (m: string) => Math.min(...r.replies.filter((x) => x.mac === m).map((x) => x.at));
    const previous = this.holders.length > 0 ? this.holders : this.lastHolders;
    if (!same(macs, this.holders)) {
      const fresh = macs.filter((m) => !previous.includes(m));
      const gone = previous.filter((m) => !macs.includes(m));
      const lastFrom =
        gone.length > 0 ? this.lastReplyAtMs(gone) : previous.length > 0 ? this.lastReplyAtMs(previous) : null;
      const firstTo = fresh.length > 0 ? Math.min(...fresh.map(firstOf)) : Math.min(...macs.map(firstOf));
      const garp = this.garps.find((g) => macs.includes(g.mac) && (lastFrom === null || g.at >= lastFrom));
      const ev = {
        type: 'holder' as const,
        at: iso(firstTo),
        from: previous,
        to: macs,
        lastFromAt: lastFrom !== null ? iso(lastFrom) : null,
        firstToAt: iso(firstTo),
        failoverMs:
          lastFrom !== null && previous.length > 0 && !same(previous, macs) ? Math.max(0, firstTo - lastFrom) : null,
        gratuitousAt: garp ? iso(garp.at) : null,
      };
      out.push(ev);
      if (ev.failoverMs !== null) {
        const { type: _t, at: _a, ...f } = ev;
        this.failovers.push(f);
      }
    }
    for (const x of r.replies) {
      this.lastReplyOf.set(x.mac, Math.max(this.lastReplyOf.get(x.mac) ?? 0, x.at));
      const s = this.macStats.get(x.mac);
      if (s) {
        s.replies += 1;
        s.last = Math.max(s.last, x.at);
      } else this.macStats.set(x.mac, { replies: 1, first: x.at, last: x.at });
    }
    this.holders = macs;
    this.lastHolders = macs;
    this.silent = false;
    return out;
  }

  gratuitous(g: { at: number; mac: string; op: 'request' | 'reply' }): ArpWatchEvent[] {
    this.garps.push(g);
    return [{ type: 'gratuitous', at: iso(g.at), mac: g.mac, op: g.op }];
  }

  summary(base: {
    ip: string;
    interface: string;
    startedAt: number;
    endedAt: number;
    gratuitousListened: boolean;
  }): ArpWatchSummary {
    return {
      ip: base.ip,
      interface: base.interface,
      startedAt: iso(base.startedAt),
      endedAt: iso(base.endedAt),
      rounds: this.rounds,
      answeredRounds: this.answeredRounds,
      macs: [...this.macStats.entries()].map(([mac, s]) => ({
        mac,
        replies: s.replies,
        firstAt: iso(s.first),
        lastAt: iso(s.last),
      })),
      holders: this.lastHolders,
      failovers: this.failovers,
      gratuitous: this.garps.map((g) => ({ at: iso(g.at), mac: g.mac, op: g.op })),
      gratuitousListened: base.gratuitousListened,
    };
  }

  private lastReplyAtMs(macs: readonly string[]): number | null {
    const ts = macs.map((m) => this.lastReplyOf.get(m)).filter((t): t is number => t !== undefined);
    return ts.length > 0 ? Math.max(...ts) : null;
  }

  private lastReplyAt(macs: readonly string[]): string | null {
    const t = this.lastReplyAtMs(macs);
    return t !== null ? iso(t) : null;
  }
}

export interface ArpWatchOptions {
  ip: string;
  interface: string;
  /** Time between requests (each round listens this long). Default 500 ms. */
  intervalMs?: number;
  /** Stop after this long; default: until the signal aborts. */
  durationMs?: number;
  netns?: string;
  signal?: AbortSignal;
  onEvent?: (e: ArpWatchEvent) => void;
  /** Called once when listening starts, with whether gratuitous ARP is being listened for. */
  onStart?: (info: { gratuitousListened: boolean; reason?: string }) => void;
}

/** The tcpdump filter for gratuitous ARP about one address: sender and target protocol address both the address. */
export function gratuitousFilter(ip: string): string {
  const hex = `0x${ipaddr.IPv4.parse(ip)
    .toByteArray()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')}`;
  return `arp and arp[14:4] = ${hex} and arp[24:4] = ${hex}`;
}

/** Runs the watch until durationMs or the signal, then returns the summary. */
export async function watchArp(opts: ArpWatchOptions): Promise<ArpWatchSummary> {
  const ip = validateIPv4(opts.ip);
  const iface = validateInterface(opts.interface);
  const netns = opts.netns !== undefined ? validateNetns(opts.netns) : undefined;
  const intervalMs = opts.intervalMs ?? 500;
  if (!Number.isFinite(intervalMs) || intervalMs < 50 || intervalMs > 60_000)
    throw new ArpProbeError('invalid-input', `invalid interval ${intervalMs} ms: 50 ms to 60 s`);
  const flavor = await detectArping();
  const tracker = new ArpWatchTracker();
  const emit = (events: ArpWatchEvent[]) => {
    for (const e of events) opts.onEvent?.(e);
  };
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const timer = opts.durationMs !== undefined ? setTimeout(() => stop.abort(), opts.durationMs) : undefined;
  const startedAt = Date.now();

  // Gratuitous ARP: tcpdump, line-buffered, with kernel timestamps.
  let sniffer: ReturnType<typeof execa> | undefined;
  let gratuitousListened = false;
  let reason: string | undefined;
  // -Q in: only frames that arrive, never this host's own requests.
  const tcpArgs = ['-l', '-n', '-e', '-tt', '-p', '-Q', 'in', '-i', iface, gratuitousFilter(ip)];
  const [tcpFile, tcpFull] = netns ? ['ip', ['netns', 'exec', netns, 'tcpdump', ...tcpArgs]] : ['tcpdump', tcpArgs];
  const probe = await execa('tcpdump', ['--version'], { reject: false, stdin: 'ignore', timeout: 5000 });
  if (probe.failed && probe.exitCode === undefined) {
    reason =
      'tcpdump is not installed: gratuitous ARP is not recorded (apt-get install tcpdump); answer changes still are';
  } else {
    const started = new Promise<void>((resolve) => {
      // cleanup: false: execa's exit hook (signal-exit) would count its own SIGINT handlers
      // and re-raise Ctrl-C past the command's handler; the abort signal stops them instead.
      sniffer = execa(tcpFile, tcpFull as string[], {
        reject: false,
        stdin: 'ignore',
        buffer: false,
        cancelSignal: stop.signal,
        forceKillAfterDelay: 1000,
        cleanup: false,
      });
      let rest = '';
      let errText = '';
      sniffer.stdout?.setEncoding('utf8');
      sniffer.stdout?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          const p = parseTcpdumpArpLine(line);
          if (p && p.senderIp === ip) emit(tracker.gratuitous({ at: p.atMs, mac: p.mac, op: p.op }));
        }
      });
      sniffer.stderr?.setEncoding('utf8');
      sniffer.stderr?.on('data', (chunk: string) => {
        errText += chunk;
        if (/listening on/.test(errText)) {
          gratuitousListened = true;
          resolve();
        }
      });
      void Promise.resolve(sniffer).then(() => {
        if (!gratuitousListened)
          reason = `tcpdump could not listen on ${iface}: ${errText.trim().split('\n').at(-1) ?? 'no output'}; gratuitous ARP is not recorded`;
        resolve();
      });
      setTimeout(resolve, 3000).unref();
    });
    await started;
  }
  opts.onStart?.({ gratuitousListened, ...(reason ? { reason } : {}) });

  try {
    while (!stop.signal.aborted) {
      const sentAt = Date.now();
      const [file, args] = arpingCommand(flavor, {
        ip,
        interface: iface,
        count: 1,
        timeoutMs: intervalMs,
        ...(netns ? { netns } : {}),
      });
      const sub = execa(file, args, {
        reject: false,
        stdin: 'ignore',
        buffer: { stdout: false, stderr: true },
        cancelSignal: stop.signal,
        forceKillAfterDelay: 500,
        timeout: intervalMs * 3 + 2000,
        cleanup: false,
      });
      const replies: ArpRound['replies'] = [];
      let rest = '';
      // arping prints its header just before sending and flushes it; the reply time is
      // then the send time plus the RTT arping measured from the packet's kernel
      // timestamp (lines can reach us late: libpcap hands packets over in blocks).
      let sendAt: number | null = null;
      const onLine = (line: string) => {
        if (sendAt === null && /^ARPING /.test(line)) {
          sendAt = Date.now();
          return;
        }
        const r = parseArpingLine(line);
        if (r && r.ip === ip)
          replies.push({
            mac: r.mac,
            at: sendAt !== null && r.rttMs !== null ? Math.min(Date.now(), Math.round(sendAt + r.rttMs)) : Date.now(),
          });
      };
      sub.stdout?.setEncoding('utf8');
      sub.stdout?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach(onLine);
      });
      const res = await sub;
      if (rest) onLine(rest);
      if (res.isCanceled) {
        if (replies.length > 0) emit(tracker.round({ sentAt: sendAt ?? sentAt, replies }));
        break;
      }
      if (replies.length === 0 && (res.exitCode ?? 0) !== 0) {
        const err = arpingFailure(String(res.stderr ?? ''), { interface: iface, ...(netns ? { netns } : {}) });
        if (err) throw err;
      }
      emit(tracker.round({ sentAt: sendAt ?? sentAt, replies }));
      // Keep the cadence when arping returned early (iputils stops after the reply).
      const left = sentAt + intervalMs - Date.now();
      if (left > 0 && !stop.signal.aborted)
        await new Promise((r) => {
          const t = setTimeout(r, left);
          stop.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              r(undefined);
            },
            { once: true },
          );
        });
    }
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    stop.abort();
    if (sniffer) await Promise.resolve(sniffer).catch(() => undefined);
  }
  return tracker.summary({ ip, interface: iface, startedAt, endedAt: Date.now(), gratuitousListened });
}
