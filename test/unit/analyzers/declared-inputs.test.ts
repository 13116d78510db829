// istio's CheckMetadataInputs, for exposectl: every analyzer runs alone over a broad set of
// snapshots (the real-world set in test/realworld, every file of the shared corpus, the example
// of every code in the catalogue's explanations, and fixtures/declared-inputs); the kinds it reads must be exactly
// the kinds it declares (src/analyzers/catalogue/metadata.ts), every code it reports must be
// one it declares, and every code it declares must be reported on at least one of those
// snapshots, or be listed below with the reason it cannot be provoked offline.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { EXPLANATIONS, type Explanation } from '../../../src/analyzers/catalogue/explanations.js';
import { ANALYZER_KINDS } from '../../../src/analyzers/catalogue/metadata.js';
import type { Code } from '../../../src/analyzers/codes.js';
import { ANALYZERS } from '../../../src/analyzers/registry.js';
import { arr, nameOf, nsOf, rec, statusOf, str } from '../../../src/discover/context.js';
import type { ProbeFacts } from '../../../src/model/probe-facts.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { readManifests } from '../../../src/sources/files.js';
import { CORPUS, REPO_ROOT } from '../../helpers/cli.js';
import { runRecorded } from './access-recorder.js';
import { snapshotFromText } from './catalogue-helpers.js';
import { clock } from './helpers.js';

/**
 * Declared codes no snapshot here provokes, by analyzer, with the reason. The probe analyzers run
 * on every snapshot with the plainest probe facts (probeFactsFor: nobody answers ARP, no BGP
 * peer connects, the echo saw a Pod-network address); what needs a particular observation is here.
 */
const NOT_OFFLINE: Record<string, Partial<Record<Code, string>>> = {
  'arp-replies': {
    'arp/multiple-replies':
      'needs two MACs answering ARP for one address: a probe observation of a real segment (codes-table.test.ts feeds a recorded one)',
    'arp/holder-mismatch':
      'needs an ARP answer from another node than the announcer: a probe observation of a real segment (codes-table.test.ts feeds a recorded one)',
  },
  'reach-probe': Object.fromEntries(
    [
      'reach/refused',
      'reach/timed-out',
      'reach/reset',
      'reach/unreachable',
      'reach/no-answer',
      'reach/intermittent',
      'reach/tls-name-mismatch',
      'reach/tls-expired',
      'reach/tls-untrusted',
      'reach/http-error',
      'reach/not-sticky',
    ].map((c) => [
      c,
      'judges what probe reach saw on the network, not a snapshot (codes-table.test.ts feeds recorded tries, test/unit/probes/reach.test.ts real loopback servers)',
    ]),
  ),
  'bgp-routes': {
    'bgp/nexthop-without-endpoints':
      'needs a route received from a speaker with a next hop: a BGP session (codes-table.test.ts and test/network/bgp run real ones)',
  },
};

const REALWORLD = join(REPO_ROOT, 'test/realworld/cases');
const FIXTURES = join(REPO_ROOT, 'test/unit/analyzers/fixtures/declared-inputs');
const EXAMPLES = join(REPO_ROOT, 'examples');
const corpusFiles = readdirSync(CORPUS)
  .filter((d) => d.includes('__'))
  .sort()
  .flatMap((repo) =>
    readdirSync(join(CORPUS, repo))
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(CORPUS, repo, f)),
  );

/** The plainest probe facts for a snapshot: nobody answers ARP for any LoadBalancer address, the expected BGP peer never connects, and the echo behind every exposed Service saw a Pod-network address. */
function probeFactsFor(snapshot: Snapshot): ProbeFacts {
  const at = '2026-12-07T12:00:00Z';
  const exposed = snapshot.services.filter((s) => ['LoadBalancer', 'NodePort'].includes(str(rec(s.spec).type) ?? ''));
  const service = (s: (typeof exposed)[number]) => ({ namespace: nsOf(s), name: nameOf(s) });
  return {
    arp: exposed.flatMap((s) =>
      arr(rec(statusOf(s).loadBalancer).ingress)
        .map(rec)
        .map((i) => str(i.ip))
        .filter((ip): ip is string => !!ip)
        .map((ip) => ({
          ip,
          interface: 'eth0',
          service: service(s),
          macs: [],
          nodeOfMac: {},
          requests: 3,
          durationMs: 3000,
          at,
        })),
    ),
    bgp: {
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'BgpObservation',
      listen: { address: '0.0.0.0', port: 1179 },
      localAs: 64500,
      routerId: '192.0.2.254',
      startedAt: at,
      capturedAt: at,
      peers: [],
      rejected: [],
    },
    bgpExpectedPeers: ['192.0.2.253'],
    sourceIpProbe: exposed.map((s) => ({
      service: service(s),
      target: '192.0.2.1:80',
      clientAddress: '203.0.113.9',
      seenAddress: '10.244.0.1',
      at,
    })),
  };
}

const read = new Map<string, Set<string>>();
const emitted = new Map<string, Set<string>>();
const undeclared: string[] = [];

beforeAll(async () => {
  const snapshots: Array<[string, Snapshot]> = [];
  for (const id of readdirSync(REALWORLD).sort())
    snapshots.push([`realworld ${id}`, await readManifests([join(REALWORLD, id)])]);
  for (const file of readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.yaml'))
    .sort())
    snapshots.push([`fixture ${file}`, await readManifests([join(FIXTURES, file)])]);
  for (const dir of readdirSync(EXAMPLES).sort())
    snapshots.push([`example ${dir}`, await readManifests([join(EXAMPLES, dir)])]);
  for (const dir of readdirSync(EXAMPLES).sort())
    snapshots.push([`example ${dir}`, await readManifests([join(EXAMPLES, dir)])]);
  for (const file of corpusFiles)
    snapshots.push([`corpus ${file.slice(CORPUS.length + 1)}`, await readManifests([file])]);
  for (const [code, e] of Object.entries(EXPLANATIONS as Record<string, Explanation>))
    if (e.example.manifest)
      snapshots.push([`example ${code}`, await snapshotFromText(e.example.manifest, e.example.cluster)]);
  for (const a of ANALYZERS) {
    read.set(a.name, new Set());
    emitted.set(a.name, new Set());
  }
  for (const [label, snapshot] of snapshots) {
    for (const a of ANALYZERS) {
      const run = runRecorded(a, snapshot, clock, { probes: probeFactsFor(snapshot) });
      for (const k of run.kinds) read.get(a.name)!.add(k);
      for (const f of run.findings) {
        emitted.get(a.name)!.add(f.code);
        if (!(a.codes as string[]).includes(f.code))
          undeclared.push(`${a.name} reported ${f.code} on ${label}, not among its codes`);
      }
    }
  }
}, 120_000);

describe('analyzers read the kinds they declare and report the codes they declare (istio style)', () => {
  test('every analyzer has declared kinds, and only registered analyzers do', () => {
    expect(Object.keys(ANALYZER_KINDS).sort()).toEqual(ANALYZERS.map((a) => a.name).sort());
  });

  test.each(ANALYZERS.map((a) => [a.name]))('%s reads exactly the kinds it declares', (name) => {
    expect(
      [...read.get(name)!].sort(),
      'Either the declaration in src/analyzers/catalogue/metadata.ts is wrong or the snapshots do not exercise the analyzer',
    ).toEqual([...ANALYZER_KINDS[name]!].sort());
  });

  test('no analyzer reports a code it does not declare', () => {
    expect(undeclared).toEqual([]);
  });

  test('every declared code is reported on some snapshot, or cannot be provoked offline (with the reason)', () => {
    const missing: string[] = [];
    for (const a of ANALYZERS) {
      for (const code of a.codes) {
        if (NOT_OFFLINE[a.name]?.[code]) continue;
        if (!emitted.get(a.name)!.has(code)) missing.push(`${a.name}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
    // The list holds only codes the analyzer declares and that really are not provoked here.
    for (const [name, codes] of Object.entries(NOT_OFFLINE)) {
      for (const code of Object.keys(codes)) {
        expect(ANALYZERS.find((a) => a.name === name)?.codes, `${name} declares ${code}`).toContain(code);
        expect(emitted.get(name)!.has(code), `${name} now reports ${code}: remove it from NOT_OFFLINE`).toBe(false);
      }
    }
  });
});
