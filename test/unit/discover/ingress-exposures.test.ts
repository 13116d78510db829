import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { backendRule, ingress, ingressClass, service, slice, snap, workload } from '../../helpers/builders.js';

const ingressRow = (objs: KubeObject[], source: 'files' | 'cluster' = 'files') =>
  discoverExposures(snap(objs, source)).find((e) => e.kind === 'Ingress')!;

describe('Ingress implementation from its class', () => {
  it.each([
    [
      'ingressClassName -> k8s.io/ingress-nginx',
      { ingressClassName: 'nginx' },
      {},
      [ingressClass('nginx', 'k8s.io/ingress-nginx')],
      'ingress-nginx',
    ],
    [
      'haproxy-ingress (jcmoraisjr)',
      { ingressClassName: 'haproxy' },
      {},
      [ingressClass('haproxy', 'haproxy-ingress.github.io/controller')],
      'haproxy',
    ],
    [
      'HAProxy Technologies',
      { ingressClassName: 'hap' },
      {},
      [ingressClass('hap', 'haproxy.org/ingress-controller/haproxy')],
      'haproxy',
    ],
    ['Traefik', { ingressClassName: 't' }, {}, [ingressClass('t', 'traefik.io/ingress-controller')], 'traefik'],
    ['F5 NGINX', { ingressClassName: 'n' }, {}, [ingressClass('n', 'nginx.org/ingress-controller')], 'nginx'],
    [
      'an unknown controller is shown by name',
      { ingressClassName: 'x' },
      {},
      [ingressClass('x', 'example.com/ingress')],
      'example.com/ingress',
    ],
    [
      'no class: the default IngressClass',
      {},
      {},
      [
        ingressClass('other', 'k8s.io/ingress-nginx'),
        ingressClass('def', 'haproxy-ingress.github.io/controller', true),
      ],
      'haproxy',
    ],
    [
      'legacy annotation naming an IngressClass',
      {},
      { annotations: { 'kubernetes.io/ingress.class': 'hap' } },
      [ingressClass('hap', 'haproxy.org/ingress-controller/haproxy'), ingressClass('d', 'k8s.io/ingress-nginx', true)],
      'haproxy',
    ],
    [
      'legacy annotation nginx without IngressClass',
      {},
      { annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      [],
      'ingress-nginx',
    ],
    [
      'legacy annotation haproxy without IngressClass',
      {},
      { annotations: { 'kubernetes.io/ingress.class': 'haproxy' } },
      [],
      'haproxy',
    ],
    [
      'ingressClassName wins over the legacy annotation',
      { ingressClassName: 'nginx' },
      { annotations: { 'kubernetes.io/ingress.class': 'haproxy' } },
      [ingressClass('nginx', 'k8s.io/ingress-nginx')],
      'ingress-nginx',
    ],
    ['files without the class: conventional name as a hint', { ingressClassName: 'nginx' }, {}, [], 'ingress-nginx'],
  ])('%s', (_, spec, meta, classes, implementation) => {
    const e = ingressRow([ingress('web', { ...spec, rules: [backendRule('web')] }, meta), ...classes]);
    expect(e.mode).toBe('ingress');
    expect(e.implementation).toBe(implementation);
  });
});

describe('Ingress status', () => {
  const svc = service('web', {});
  const ok = ingress(
    'web',
    { ingressClassName: 'nginx', rules: [backendRule('web', 'a.example.com')] },
    {},
    { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  );
  const cls = ingressClass('nginx', 'k8s.io/ingress-nginx');
  it.each([
    ['class, address, ready backend: ready', [ok, cls, svc, slice('web', [{}])], 'cluster', 'ready', undefined],
    [
      'backend partly ready: degraded',
      [ok, cls, svc, slice('web', [{}, { ready: false }])],
      'cluster',
      'degraded',
      /1 of 2 endpoints of backend Service default\/web ready/,
    ],
    [
      'class missing (live): broken',
      [ok, svc, slice('web', [{}])],
      'cluster',
      'broken',
      /IngressClass nginx not found/,
    ],
    [
      'class missing (files): unknown',
      [ok, svc, slice('web', [{}])],
      'files',
      'unknown',
      /IngressClass nginx not in the input/,
    ],
    [
      'no class and no default (live): broken',
      [
        ingress('web', { rules: [backendRule('web')] }, {}, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } }),
        svc,
        slice('web', [{}]),
      ],
      'cluster',
      'broken',
      /no IngressClass named and no default/,
    ],
    [
      'two default classes (live): broken',
      [
        ingress('web', { rules: [backendRule('web')] }),
        ingressClass('a', 'x/a', true),
        ingressClass('b', 'x/b', true),
        svc,
        slice('web', [{}]),
      ],
      'cluster',
      'broken',
      /2 IngressClasses are marked default/,
    ],
    [
      'no address yet (live): pending',
      [ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] }), cls, svc, slice('web', [{}])],
      'cluster',
      'pending',
      /not published an address/,
    ],
    [
      'backend Service missing (live): broken',
      [ok, cls],
      'cluster',
      'broken',
      /backend Service default\/web not found/,
    ],
    [
      'backend Service missing (files): unknown',
      [ok, cls],
      'files',
      'unknown',
      /backend Service default\/web not in the input/,
    ],
    [
      'files without status: unknown',
      [ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] }), cls, svc, slice('web', [{}])],
      'files',
      'unknown',
      /no status in the input/,
    ],
  ])('%s', (_, objs, source, status, reason) => {
    const e = ingressRow(objs, source as 'files' | 'cluster');
    expect(e.status).toBe(status);
    if (reason) expect(e.reason).toMatch(reason);
    else expect(e.reason).toBeUndefined();
  });

  it('source IP is unknown', () => {
    expect(ingressRow([ok, cls]).sourceIP).toBe('unknown');
  });
});

describe('Ingress fields', () => {
  it('service is the default backend, else the first rule path; hosts and ports', () => {
    const e = ingressRow([
      ingress('shop', {
        defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
        rules: [backendRule('cart', 'shop.example.com'), backendRule('pay', 'pay.example.com')],
        tls: [{ hosts: ['secure.example.com'], secretName: 's' }],
      }),
    ]);
    expect(e.service).toEqual({ namespace: 'default', name: 'fallback' });
    expect(e.hosts).toEqual(['shop.example.com', 'pay.example.com', 'secure.example.com']);
    expect(e.ports).toEqual([
      { port: 80, protocol: 'TCP' },
      { port: 443, protocol: 'TCP' },
    ]);
  });

  it('first rule path when there is no default backend', () => {
    const e = ingressRow([ingress('shop', { rules: [{ host: 'x' }, backendRule('cart', 'shop.example.com')] })]);
    expect(e.service).toEqual({ namespace: 'default', name: 'cart' });
    expect(e.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('a resource backend has no service', () => {
    const e = ingressRow([
      ingress('assets', {
        defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'b' } },
      }),
    ]);
    expect(e.service).toBeNull();
    expect(e.endpoints).toBeNull();
  });

  it('addresses come from status.loadBalancer.ingress', () => {
    const e = ingressRow([
      ingress(
        'web',
        { rules: [backendRule('web')] },
        {},
        { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }] } },
      ),
    ]);
    expect(e.addresses).toEqual(['192.0.2.10', 'lb.example.com']);
  });

  it('the Ingress row keeps its own namespace and kind', () => {
    const e = ingressRow([ingress('web', { rules: [backendRule('web')] }, { namespace: 'shop' })]);
    expect(e).toMatchObject({
      namespace: 'shop',
      name: 'web',
      kind: 'Ingress',
      service: { namespace: 'shop', name: 'web' },
    });
  });
});

describe("Ingress source IP from the controller's own fronts", () => {
  const cls = ingressClass('nginx', 'k8s.io/ingress-nginx');
  const ing = ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] });
  const controller = (ports: unknown[], args: string[] = [], hostNetwork = false) =>
    workload(
      'Deployment',
      'ingress-nginx-controller',
      {
        hostNetwork,
        containers: [{ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1', args, ports }],
      },
      { namespace: 'ingress-nginx' },
    );
  const front = (policy: string) =>
    service(
      'ingress-nginx-controller',
      { type: 'LoadBalancer', externalTrafficPolicy: policy, selector: { app: 'ingress-nginx-controller' } },
      { namespace: 'ingress-nginx' },
    );
  it.each([
    ['controller with hostPort', [controller([{ containerPort: 80, hostPort: 80 }])], 'preserved'],
    ['controller on the host network', [controller([{ containerPort: 80 }], [], true)], 'preserved'],
    ['controller behind a Local LoadBalancer', [controller([{ containerPort: 80 }]), front('Local')], 'preserved'],
    ['controller behind a Cluster LoadBalancer', [controller([{ containerPort: 80 }]), front('Cluster')], 'lost'],
    ['two paths that disagree', [controller([{ containerPort: 80, hostPort: 80 }]), front('Cluster')], 'unknown'],
    [
      'a controller for another class does not count',
      [controller([{ containerPort: 80, hostPort: 80 }], ['--ingress-class=internal'])],
      'unknown',
    ],
    [
      'a controller for this class counts',
      [
        controller(
          [{ containerPort: 80, hostPort: 80 }],
          ['/nginx-ingress-controller', '--ingress-class=nginx', '--controller-class=k8s.io/ingress-nginx'],
        ),
      ],
      'preserved',
    ],
    ['no controller in the input', [], 'unknown'],
  ])('%s -> %s', (_, objs, sourceIP) => {
    expect(ingressRow([ing, cls, ...objs]).sourceIP).toBe(sourceIP);
  });
});

describe('Ingress exported with an empty status', () => {
  it('is pending, as in the cluster it came from', () => {
    const e = ingressRow([
      ingress('web', { ingressClassName: 'nginx', rules: [backendRule('web')] }, {}, { loadBalancer: {} }),
      ingressClass('nginx', 'k8s.io/ingress-nginx'),
      service('web', {}),
      slice('web', [{}]),
    ]);
    expect(e.status).toBe('pending');
  });
});
