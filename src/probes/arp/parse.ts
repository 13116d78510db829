// Parsers for the text the probe reads: arping's reply lines (Thomas Habets' arping and
// iputils' arping), its error messages, and tcpdump's one-line ARP decodes. Pure.
import { normalizeMac } from './validate.js';

export type ArpingFlavor = 'habets' | 'iputils';

export interface ArpingReplyLine {
  mac: string;
  ip: string;
  /** Round-trip time arping measured, in milliseconds, when it printed one. */
  rttMs: number | null;
}

// Habets: `42 bytes from 8e:13:57:b7:9e:98 (198.51.100.10): index=0 time=18.435 usec`
const HABETS =
  /^\d+ bytes from ([0-9a-fA-F:]{11,17}) \((\d{1,3}(?:\.\d{1,3}){3})\): index=\d+(?: time=([\d.]+) (usec|msec|sec|nsec))?/;
// iputils: `Unicast reply from 198.51.100.10 [8E:13:57:B7:9E:98]  0.615ms` (also "Broadcast reply")
const IPUTILS =
  /^(?:Unicast|Broadcast) reply from (\d{1,3}(?:\.\d{1,3}){3}) \[([0-9a-fA-F:]{11,17})\]\s+(?:([\d.]+)ms)?/;

const UNIT_MS: Record<string, number> = { nsec: 1e-6, usec: 1e-3, msec: 1, sec: 1000 };

/** One reply line of either arping, or null for anything else (headers, "Timeout", statistics). */
export function parseArpingLine(line: string): ArpingReplyLine | null {
  const t = line.trim();
  let m = HABETS.exec(t);
  if (m) {
    const mac = normalizeMac(m[1]!);
    if (!mac) return null;
    return { mac, ip: m[2]!, rttMs: m[3] ? round3(Number(m[3]) * UNIT_MS[m[4]!]!) : null };
  }
  m = IPUTILS.exec(t);
  if (m) {
    const mac = normalizeMac(m[2]!);
    if (!mac) return null;
    return { mac, ip: m[1]!, rttMs: m[3] ? Number(m[3]) : null };
  }
  return null;
}

/** Every reply in a whole arping output, in order. */
export function parseArpingOutput(text: string): ArpingReplyLine[] {
  return text
    .split('\n')
    .map(parseArpingLine)
    .filter((r): r is ArpingReplyLine => r !== null);
}

/** Which arping `arping --help` (or its usage on stderr) describes. */
export function arpingFlavor(helpText: string): ArpingFlavor | null {
  if (/Thomas Habets/i.test(helpText) || /ARPing \d/.test(helpText)) return 'habets';
  if (/iputils/i.test(helpText) || /-I <?device>?/.test(helpText) || /\[-fqbDUAV\]/.test(helpText)) return 'iputils';
  return null;
}

export type ArpingFailure = 'permission' | 'no-such-interface' | 'no-such-netns' | null;

/** What arping's (or `ip netns exec`'s) stderr says went wrong, when it is one of the failures the probe names. */
export function classifyArpingError(stderr: string): ArpingFailure {
  if (/Cannot open network namespace|netns .*No such file|No such file or directory.*netns/i.test(stderr))
    return 'no-such-netns';
  if (
    /CAP_NET_RAW|Operation not permitted|Permission denied|you may need to run as root|You don't have permission/i.test(
      stderr,
    )
  )
    return 'permission';
  if (
    /No such device|Device .* not available|interface .* (?:not found|does not exist)|unknown iface|SIOCGIFINDEX/i.test(
      stderr,
    )
  )
    return 'no-such-interface';
  return null;
}

export interface ArpPacketLine {
  /** Capture time, milliseconds since the epoch (tcpdump -tt). */
  atMs: number;
  /** The sender: Ethernet source, lower-case. */
  mac: string;
  op: 'request' | 'reply';
  senderIp: string;
  targetIp: string;
}

// tcpdump -l -n -e -tt:
// `1795781441.993194 96:7e:d6:2a:f5:0b > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 58: Request who-has 198.51.100.10 (ff:ff:ff:ff:ff:ff) tell 198.51.100.10, length 44`
// `1795781442.379695 96:7e:d6:2a:f5:0b > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 58: Reply 198.51.100.10 is-at 96:7e:d6:2a:f5:0b, length 44`
const TCPDUMP =
  /^(\d+\.\d+) ([0-9a-fA-F:]{17}) > [0-9a-fA-F:]{17}, .*?ethertype ARP \(0x0806\), length \d+: (Request who-has (\S+)(?: \([0-9a-fA-F:]+\))? tell (\S+?)|Reply (\S+) is-at ([0-9a-fA-F:]{11,17}))(?:,|$)/;

/** One tcpdump ARP line, or null for anything else. For a reply, senderIp is the address announced and targetIp is unknown (''). */
export function parseTcpdumpArpLine(line: string): ArpPacketLine | null {
  const m = TCPDUMP.exec(line.trim());
  if (!m) return null;
  const atMs = Math.round(Number(m[1]) * 1000);
  if (m[4] !== undefined) return { atMs, mac: normalizeMac(m[2]!)!, op: 'request', senderIp: m[5]!, targetIp: m[4] };
  return { atMs, mac: normalizeMac(m[7]!) ?? normalizeMac(m[2]!)!, op: 'reply', senderIp: m[6]!, targetIp: '' };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
