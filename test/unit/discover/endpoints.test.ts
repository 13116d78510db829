import { describe, expect, it } from 'vitest';
import { buildContext } from '../../../src/discover/context.js';
import { serviceEndpoints, workloadEndpoints } from '../../../src/discover/endpoints.js';
import type { Service, Workload } from '../../../src/model/snapshot.js';
import { live, pod, service, slice, snap, workload } from '../../helpers/builders.js';

const svc = service('web', {}) as unknown as Service;
const headless = service('manual', { selector: undefined }) as unknown as Service;

describe('serviceEndpoints', () => {
  it.each([
    [
      'slices: ready unless conditions.ready is false',
      snap([slice('web', [{ ready: true }, {}, { ready: false }])]),
      { ready: 2, total: 3 },
      'endpointslices',
    ],
    [
      'slices: several addresses make one endpoint',
      snap([slice('web', [{ ips: ['10.0.0.1', '10.0.0.2'] }])]),
      { ready: 1, total: 1 },
      'endpointslices',
    ],
    [
      'slices of both families are not added up',
      snap([slice('web', [{}, {}]), slice('web', [{}, {}], 'IPv6')]),
      { ready: 2, total: 2 },
      'endpointslices',
    ],
    [
      'slices across several objects of one family add up',
      snap([slice('web', [{}], 'IPv4', 'a'), slice('web', [{ ready: false }], 'IPv4', 'b')]),
      { ready: 1, total: 2 },
      'endpointslices',
    ],
    ['a slice of another namespace does not count', snap([slice('web', [{}], 'IPv4', 'x', 'other')]), null, 'none'],
    [
      'slices win over Pods',
      snap([slice('web', [{}]), pod('p1', { app: 'web' }, false)]),
      { ready: 1, total: 1 },
      'endpointslices',
    ],
    [
      'no slices: Pods matching the selector',
      snap([pod('p1', { app: 'web' }, true), pod('p2', { app: 'web' }, false), pod('p3', { app: 'other' }, true)]),
      { ready: 1, total: 2 },
      'pods',
    ],
    [
      'no slices: Pods without status (manifests) say nothing',
      snap([pod('p1', { app: 'web' }, undefined)]),
      null,
      'none',
    ],
    ['files with neither: null', snap([]), null, 'none'],
    ['cluster with neither: zero', live([]), { ready: 0, total: 0 }, 'pods'],
  ])('%s', (_, s, expected, from) => {
    const f = serviceEndpoints(buildContext(s), svc);
    expect(f.endpoints).toEqual(expected);
    expect(f.from).toBe(from);
  });

  it('knows when a live selector matches no Pod', () => {
    const f = serviceEndpoints(buildContext(live([pod('p', { app: 'other' }, true)])), svc);
    expect(f.selectorMatchesNothing).toBe(true);
  });

  it('ignores finished and deleted Pods', () => {
    const done = pod('done', { app: 'web' }, false);
    (done.status as any).phase = 'Succeeded';
    const gone = pod('gone', { app: 'web' }, true, 'n1', { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const f = serviceEndpoints(buildContext(snap([done, gone, pod('ok', { app: 'web' }, true)])), svc);
    expect(f.endpoints).toEqual({ ready: 1, total: 1 });
  });

  it('records the nodes with ready endpoints', () => {
    const f = serviceEndpoints(buildContext(snap([slice('web', [{ node: 'a' }, { node: 'b', ready: false }])])), svc);
    expect([...f.readyNodes]).toEqual(['a']);
  });

  it('a Service without selector counts its slices only', () => {
    expect(serviceEndpoints(buildContext(snap([pod('p', {}, true)])), headless).endpoints).toBeNull();
    expect(serviceEndpoints(buildContext(live([])), headless).endpoints).toEqual({ ready: 0, total: 0 });
    expect(serviceEndpoints(buildContext(snap([slice('manual', [{}])])), headless).endpoints).toEqual({
      ready: 1,
      total: 1,
    });
  });
});

describe('workloadEndpoints', () => {
  const ds = (status?: Record<string, unknown>) =>
    workload('DaemonSet', 'gw', { containers: [] }, {}, status) as unknown as Workload;
  const dep = (status?: Record<string, unknown>) =>
    workload('Deployment', 'gw', { containers: [] }, {}, status) as unknown as Workload;
  it.each([
    ['DaemonSet status', ds({ desiredNumberScheduled: 3, numberReady: 2 }), { ready: 2, total: 3 }],
    ['Deployment status', dep({ replicas: 2, readyReplicas: 2 }), { ready: 2, total: 2 }],
    ['Deployment status without readyReplicas', dep({ replicas: 2 }), { ready: 0, total: 2 }],
    ['no status (manifest)', dep(), null],
    ['empty status (kubectl create --dry-run)', dep({}), null],
  ])('%s', (_, w, expected) => {
    expect(workloadEndpoints(buildContext(snap([])), w).endpoints).toEqual(expected);
  });

  it('Pods with status win over counters', () => {
    const s = snap([pod('gw-1', { app: 'gw' }, true), pod('gw-2', { app: 'gw' }, false)]);
    expect(workloadEndpoints(buildContext(s), ds({ desiredNumberScheduled: 5, numberReady: 5 })).endpoints).toEqual({
      ready: 1,
      total: 2,
    });
  });
});
