// nodePorts as kube-apiserver allocates them: one bitmap over port numbers across
// Services (protocol-blind, healthCheckNodePort included), and within one Service the
// validation's (protocol, nodePort) duplicate check.
import { describe, expect, it } from 'vitest';
import { diagnose, service, snapshotOf } from './helpers.js';

const collisions = (objects: Parameters<typeof snapshotOf>[0]) =>
  diagnose(snapshotOf(objects), { check: 'nodeport' })
    .filter((f) => f.code === 'nodeport/collision')
    .map((f) => `${f.subject.namespace}/${f.subject.name}`);

describe('nodeport/collision', () => {
  it('is protocol-blind across Services: 30080/UDP of b collides with 30080/TCP of a', () => {
    const found = diagnose(
      snapshotOf([
        service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
        service('b', { type: 'NodePort', ports: [{ port: 53, protocol: 'UDP', nodePort: 30080 }] }),
      ]),
      { check: 'nodeport' },
    );
    expect(found.map((f) => [f.code, f.subject.name])).toEqual([['nodeport/collision', 'b']]);
    expect(found[0]!.message).toContain('Service default/a already holds for port 80/TCP');
    expect(found[0]!.message).toContain('whatever the protocol');
  });

  it("counts a Local LoadBalancer's healthCheckNodePort as allocated", () => {
    expect(
      collisions([
        service('lb', {
          type: 'LoadBalancer',
          externalTrafficPolicy: 'Local',
          healthCheckNodePort: 31500,
          ports: [{ port: 443, nodePort: 31443 }],
        }),
        service('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 31500 }] }),
      ]),
    ).toEqual(['default/np']);
  });

  it('refuses one nodePort twice for one protocol within a Service', () => {
    const found = diagnose(
      snapshotOf([
        service('web', {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80, nodePort: 30080 },
            { name: 'b', port: 8080, nodePort: 30080 },
          ],
        }),
      ]),
      { check: 'nodeport' },
    );
    expect(found.map((f) => [f.code, f.subject.name])).toEqual([['nodeport/collision', 'web']]);
    expect(found[0]!.message).toContain('80/TCP, 8080/TCP');
    expect(found[0]!.message).toContain('Duplicate value');
  });

  it('allows one nodePort for the TCP and the UDP port of one Service (allocated once)', () => {
    expect(
      collisions([
        service('dns', {
          type: 'NodePort',
          ports: [
            { name: 'tcp', port: 53, nodePort: 30053 },
            { name: 'udp', port: 53, protocol: 'UDP', nodePort: 30053 },
          ],
        }),
      ]),
    ).toEqual([]);
  });

  it('a Service read twice (files) does not collide with itself, and distinct nodePorts never collide', () => {
    const a = service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    expect(collisions([a, a, service('b', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30081 }] })])).toEqual(
      [],
    );
  });
});
