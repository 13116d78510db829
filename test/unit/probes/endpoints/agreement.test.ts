// `probe endpoints` and `diagnose` judge Local-policy blackholes from one fact: which nodes
// receive the Service's external traffic (src/discover/receiving-nodes.ts). kube-proxy drops
// what a node without a local endpoint receives, but MetalLB announces a Local Service's
// address only from nodes with a ready endpoint, so on the demo (MetalLB L2, pods on node-1
// and node-2) node-3 never receives shop/web's traffic: neither view warns.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localPolicyBlackholeFindings } from '../../../../src/analyzers/probe-endpoints.js';
import { buildContext, findService } from '../../../../src/discover/context.js';
import { buildEndpointsReport } from '../../../../src/discover/endpoints-report.js';
import { readManifests } from '../../../../src/sources/files.js';
import { clock, diagnose } from '../../analyzers/helpers.js';

const DEMO = fileURLToPath(new URL('../../../../examples/demo', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/local-policy.yaml', import.meta.url));

async function bothViews(path: string) {
  const snapshot = await readManifests([path]);
  const ctx = buildContext(snapshot);
  const svc = findService(ctx, 'shop', 'web')!;
  const report = buildEndpointsReport(ctx, svc, { at: clock.now() });
  return {
    report,
    probe: localPolicyBlackholeFindings(report).map((f) => f.code),
    diagnose: diagnose(snapshot, { check: 'endpoints', service: { namespace: 'shop', name: 'web' } }).map(
      (f) => f.code,
    ),
  };
}

describe('probe endpoints and diagnose agree on endpoints/local-policy-blackhole', () => {
  it('examples/demo (MetalLB L2, Local): node-3 receives nothing, no finding either way', async () => {
    const v = await bothViews(DEMO);
    expect(v.report.nodes.map((n) => [n.node, n.receivesTraffic, n.dropsTraffic])).toEqual([
      ['node-1', true, false],
      ['node-2', true, false],
      ['node-3', false, false],
    ]);
    expect(v.probe).toEqual([]);
    expect(v.diagnose).toEqual([]);
  });

  it('kube-vip without svc_election (its leader may be any node): both warn', async () => {
    const v = await bothViews(FIXTURE);
    expect(v.report.blackholeNodes).toEqual(['node-b', 'node-c']);
    expect(v.probe).toEqual(['endpoints/local-policy-blackhole']);
    expect(v.diagnose).toEqual(['endpoints/local-policy-blackhole']);
  });
});
