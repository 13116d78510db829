// The Adj-RIB-In of one BGP session (RFC 4271 §3.2): what the peer's UPDATEs leave after
// withdrawals, treat-as-withdraw and replacements. Kept apart from the session's finite
// state machine (session.ts), as GoBGP keeps its FSM apart from its tables: the session
// decodes and validates, this turns each UPDATE into routes.
//
// One entry (next hops and attributes) is shared by the prefixes of one UPDATE, and IPv4
// prefixes are read by number from the message's fields (see PrefixMap), so taking in a
// full table builds no per-prefix strings or objects.
import { forEachIpv4Prefix } from './address.js';
import { formatAsPath, formatCommunity, formatLargeCommunity, mergeAsPath } from './codec.js';
import { type AddressFamily, AS_TRANS, type DecodedUpdate, familyOf } from './messages.js';
import { PrefixMap } from './prefix-map.js';
import type { BgpRoute } from './session.js';

/** What one UPDATE changed beyond its IPv4 fields: the multiprotocol prefixes, as text. */
export interface AppliedUpdate {
  /** The family of MP_REACH_NLRI, when the probe knows it. */
  mpFamily: AddressFamily | null;
  mpAnnounced: string[];
  mpWithdrawn: string[];
}

type SharedAttributes = Omit<BgpRoute, 'family' | 'prefix' | 'nextHop' | 'nextHopLinkLocal'>;

interface RibEntry {
  family: AddressFamily;
  nextHops: string[];
  attrs: SharedAttributes;
}

export class AdjRibIn {
  private readonly table = new PrefixMap<RibEntry>();

  get size(): number {
    return this.table.size;
  }

  clear(): void {
    this.table.clear();
  }

  /**
   * Applies one UPDATE received at `at`: withdrawals first, then the announced prefixes
   * (or their withdrawal when RFC 7606 says treat-as-withdraw). `fourOctetAs`: the session
   * negotiated 4-octet AS numbers, else AS4_PATH and AS4_AGGREGATOR are merged (RFC 6793).
   */
  apply(u: DecodedUpdate, fourOctetAs: boolean, at: string): AppliedUpdate {
    const a = u.attributes;
    const mpFamily = a.mpReach ? familyOf(a.mpReach.afi, a.mpReach.safi) : null;
    const mpAnnounced = a.mpReach && mpFamily ? a.mpReach.nlri : [];
    const mpWithdrawn = a.mpUnreach && familyOf(a.mpUnreach.afi, a.mpUnreach.safi) ? a.mpUnreach.withdrawn : [];
    const table = this.table;
    forEachIpv4Prefix(u.withdrawnField, (address, length) => table.deleteIpv4(address, length));
    for (const p of mpWithdrawn) table.delete(p);

    if (u.treatAsWithdraw) {
      forEachIpv4Prefix(u.nlriField, (address, length) => table.deleteIpv4(address, length));
      for (const p of mpAnnounced) table.delete(p);
    } else if (u.nlriField.length > 0 || mpAnnounced.length > 0) {
      const shared = sharedAttributes(u, fourOctetAs, at);
      // One entry object per family and UPDATE, shared by its prefixes.
      if (u.nlriField.length > 0) {
        const entry: RibEntry = { family: 'ipv4', nextHops: a.nextHop ? [a.nextHop] : [], attrs: shared };
        forEachIpv4Prefix(u.nlriField, (address, length) => table.setIpv4(address, length, entry));
      }
      if (mpAnnounced.length > 0) {
        const entry: RibEntry = { family: mpFamily!, nextHops: a.mpReach!.nextHops, attrs: shared };
        for (const p of mpAnnounced) table.set(p, entry);
      }
    }
    return { mpFamily, mpAnnounced, mpWithdrawn };
  }

  /** Every route, sorted by family and prefix; a copy the caller may keep. */
  routes(): BgpRoute[] {
    // Routes of one UPDATE share one copy of its attribute arrays (fresh for this call).
    const copies = new Map<SharedAttributes, SharedAttributes>();
    return Array.from(this.table.entries(), ([prefix, e]) => {
      let attrs = copies.get(e.attrs);
      if (!attrs) copies.set(e.attrs, (attrs = copyAttributes(e.attrs)));
      return toRoute(prefix, e, attrs);
    }).sort(compareRoutes);
  }
}

function sharedAttributes(u: DecodedUpdate, fourOctetAs: boolean, at: string): SharedAttributes {
  const a = u.attributes;
  const segments = fourOctetAs ? (a.asPath ?? []) : mergeAsPath(a.asPath ?? [], a.as4Path);
  const aggregator = !fourOctetAs && a.as4Aggregator && a.aggregator?.asn === AS_TRANS ? a.as4Aggregator : a.aggregator;
  const shared: SharedAttributes = {
    asPath: formatAsPath(segments),
    asPathSegments: segments,
    communities: (a.communities ?? []).map(formatCommunity),
    largeCommunities: (a.largeCommunities ?? []).map(formatLargeCommunity),
    receivedAt: at,
  };
  if (a.origin !== undefined) shared.origin = a.origin;
  if (a.med !== undefined) shared.med = a.med;
  if (a.localPref !== undefined) shared.localPref = a.localPref;
  if (a.atomicAggregate) shared.atomicAggregate = true;
  if (aggregator) shared.aggregator = { ...aggregator };
  if (a.unknown?.length)
    shared.unknownAttributes = a.unknown.map((x) => ({ flags: x.flags, type: x.type, value: hex(x.value) }));
  return shared;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function copyAttributes(a: SharedAttributes): SharedAttributes {
  const c: SharedAttributes = {
    asPath: a.asPath,
    asPathSegments: a.asPathSegments.map((s) => ({ type: s.type, asns: [...s.asns] })),
    communities: [...a.communities],
    largeCommunities: [...a.largeCommunities],
    receivedAt: a.receivedAt,
  };
  if (a.origin !== undefined) c.origin = a.origin;
  if (a.med !== undefined) c.med = a.med;
  if (a.localPref !== undefined) c.localPref = a.localPref;
  if (a.atomicAggregate) c.atomicAggregate = true;
  if (a.aggregator) c.aggregator = { ...a.aggregator };
  if (a.unknownAttributes) c.unknownAttributes = a.unknownAttributes.map((x) => ({ ...x }));
  return c;
}

/** The route of an entry, with attributes copied from the table's (see routes()). */
function toRoute(prefix: string, e: RibEntry, a: SharedAttributes): BgpRoute {
  const r: BgpRoute = { family: e.family, prefix, nextHop: e.nextHops[0] ?? '', ...a };
  if (e.nextHops[1] !== undefined) r.nextHopLinkLocal = e.nextHops[1];
  return r;
}

function compareRoutes(a: BgpRoute, b: BgpRoute): number {
  if (a.family !== b.family) return a.family < b.family ? -1 : 1;
  return a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0;
}
