// Manifests from users can hold anything where a field is expected: discovery must not
// throw on them (the file reader only checks apiVersion, kind and name).
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { KINDS } from '../../../src/kube/kinds.js';
import { exposureListApiVersion } from '../../../src/model/exposure.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { snap } from '../../helpers/builders.js';
import { corpusSnapshot } from './corpus-helpers.js';

const junk = fc.anything({ maxDepth: 3, withNullPrototype: false });
const kindArb = fc.constantFrom(...KINDS);

/** An object of a known kind whose spec/status/data/labels are random, or random where a list is expected. */
const objectArb = fc
  .record({
    info: kindArb,
    name: fc.constantFrom('a', 'b', 'web', 'gw', 'kubevip'),
    namespace: fc.option(fc.constantFrom('default', 'x'), { nil: undefined }),
    spec: fc.oneof(
      junk,
      fc.record(
        {
          type: fc.constantFrom('NodePort', 'LoadBalancer', 'ClusterIP', 'ExternalName'),
          ports: fc.oneof(junk, fc.array(fc.record({ port: junk, nodePort: junk, protocol: junk, targetPort: junk }))),
          selector: junk,
          externalIPs: junk,
          loadBalancerIP: junk,
          loadBalancerClass: junk,
          addresses: junk,
          blocks: junk,
          serviceSelector: junk,
          serviceAllocation: junk,
          ipAddressPools: junk,
          ipAddressPoolSelectors: junk,
          listeners: junk,
          parentRefs: junk,
          rules: junk,
          gatewayClassName: junk,
          ingressClassName: junk,
          defaultBackend: junk,
          tls: junk,
          template: fc.oneof(
            junk,
            fc.record({ spec: fc.record({ hostNetwork: fc.boolean(), containers: junk, nodeSelector: junk }) }),
          ),
          virtualRouters: junk,
          advertisements: junk,
          controller: junk,
          controllerName: junk,
        },
        { requiredKeys: [] },
      ),
    ),
    status: junk,
    extra: fc.record({ data: junk, endpoints: junk, addressType: junk }, { requiredKeys: [] }),
    labels: fc.oneof(
      fc.constant(undefined),
      fc.dictionary(fc.constantFrom('app', 'kubernetes.io/service-name', 'color'), fc.constantFrom('web', 'a', 'blue')),
    ),
    annotations: fc.oneof(
      fc.constant(undefined),
      fc.dictionary(
        fc.constantFrom(
          'metallb.io/address-pool',
          'kube-vip.io/loadbalancerIPs',
          'kubernetes.io/ingress.class',
          'ingressclass.kubernetes.io/is-default-class',
          'metallb.universe.tf/loadBalancerIPs',
        ),
        fc.string(),
      ),
    ),
  })
  .map(
    ({ info, name, namespace, spec, status, extra, labels, annotations }) =>
      ({
        apiVersion: info.group ? `${info.group}/${info.versions[0]}` : info.versions[0]!,
        kind: info.kind,
        metadata: {
          name,
          ...(namespace ? { namespace } : {}),
          ...(labels ? { labels } : {}),
          ...(annotations ? { annotations } : {}),
        },
        spec,
        status,
        ...extra,
      }) as unknown as KubeObject,
  );

const schema = JSON.parse(readFileSync(new URL('../../../schemas/exposure-list.schema.json', import.meta.url), 'utf8'));
const validate = new (Ajv2020 as unknown as typeof import('ajv').default)({ allErrors: true, strict: false }).compile(
  schema,
);

describe('discovery never throws, and its output stays schema-valid', () => {
  it.each(['files', 'cluster'] as const)('on random objects of the kinds it reads (%s)', (source) => {
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 12 }), (objects) => {
        const items = discoverExposures(snap(objects, source));
        const list = JSON.parse(
          JSON.stringify({ apiVersion: exposureListApiVersion(items), kind: 'ExposureList', items }),
        );
        expect(validate(list), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it('on the whole corpus plus random objects', () => {
    const corpus = corpusSnapshot('.');
    const objectsOf = (s: Snapshot): KubeObject[] =>
      [
        ...s.services,
        ...s.endpointSlices,
        ...s.pods,
        ...s.nodes,
        ...s.ingresses,
        ...s.ingressClasses,
        ...s.workloads,
        ...s.configMaps,
        ...s.gatewayClasses,
        ...s.gateways,
        ...s.routes,
        ...Object.values(s.metallb).flat(),
        ...Object.values(s.cilium).flat(),
      ] as KubeObject[];
    const base = objectsOf(corpus);
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 6 }), (objects) => {
        expect(() => discoverExposures(snap([...base, ...objects]))).not.toThrow();
      }),
      { numRuns: 30 },
    );
  });
});
