// Input checks that run before anything is executed: an interface name as the kernel
// accepts it (IFNAMSIZ 16, no slash or space), one IPv4 address, a netns name.
import ipaddr from 'ipaddr.js';
import { ArpProbeError } from './errors.js';

const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const NETNS = /^[A-Za-z0-9_.-]{1,64}$/;

/** The interface name, unchanged; ArpProbeError(invalid-input) otherwise. */
export function validateInterface(name: string): string {
  if (!IFNAME.test(name) || name === '.' || name === '..' || name.startsWith('-')) {
    throw new ArpProbeError(
      'invalid-input',
      `invalid interface name ${JSON.stringify(name)}: 1 to 15 characters out of letters, digits, "_", ".", ":" and "-", not starting with "-"`,
      'list the interfaces with `ip -br link`',
    );
  }
  return name;
}

/** The IPv4 address in dotted-quad form; ArpProbeError(invalid-input) for anything else (IPv6 has no ARP: NDP). */
export function validateIPv4(text: string): string {
  const t = text.trim();
  if (ipaddr.IPv6.isValid(t) && !ipaddr.IPv4.isValid(t)) {
    throw new ArpProbeError(
      'invalid-input',
      `${t} is an IPv6 address: ARP is IPv4 only (IPv6 neighbours answer NDP)`,
      'probe an IPv4 address, or check IPv6 neighbours with `ip -6 neigh` / `ndisc6`',
    );
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(t)) {
    throw new ArpProbeError(
      'invalid-input',
      `invalid IPv4 address ${JSON.stringify(text)}`,
      'give four decimal octets, e.g. 198.51.100.10',
    );
  }
  const addr = ipaddr.IPv4.parse(t);
  const range = addr.range();
  if (range === 'unspecified' || range === 'broadcast' || range === 'multicast') {
    throw new ArpProbeError('invalid-input', `${t} is a ${range} address: nobody answers ARP for it`);
  }
  return addr.toString();
}

/** A network namespace name as `ip netns` creates it. */
export function validateNetns(name: string): string {
  if (!NETNS.test(name) || name === '.' || name === '..') {
    throw new ArpProbeError(
      'invalid-input',
      `invalid network namespace name ${JSON.stringify(name)}`,
      'list them with `ip netns list`',
    );
  }
  return name;
}

/** A lower-case, colon-separated, zero-padded MAC (`aa:bb:cc:dd:ee:ff`), or null when the text is not one. */
export function normalizeMac(text: string): string | null {
  const parts = text.trim().split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}
