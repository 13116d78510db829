import { describe, expect, it } from 'vitest';
import {
  configMapFolders,
  containerEnv,
  expandVars,
  gatewayArgv,
  listensOn,
  nginxWithHostModules,
  programOf,
} from '../../../scripts/lab/pod-spec.ts';
import { runningStatus, statusSignature, unrunnableStatus } from '../../../scripts/lab/pod-status.ts';

const pod = { name: 'web-1', namespace: 'demo', nodeName: 'node-2', podIP: '10.244.2.2', hostIP: '192.0.2.12' };

describe('lab kubelet: what a Pod runs', () => {
  it('programOf: the lab images with any tag or digest; anything else is not runnable', () => {
    expect(programOf('exposectl.dev/lab/echo:1')).toBe('echo');
    expect(programOf('exposectl.dev/lab/echo')).toBe('echo');
    expect(programOf('exposectl.dev/lab/kube-proxy:v1.35.4')).toBe('kube-proxy');
    expect(programOf('exposectl.dev/lab/metallb-speaker@sha256:0123')).toBe('metallb-speaker');
    expect(programOf('exposectl.dev/lab/traefik:v3.6.12')).toBe('traefik');
    // the hostNetwork gateway's default images run with the host's HAProxy and nginx
    expect(programOf('haproxy:3.2')).toBe('haproxy');
    expect(programOf('docker.io/library/nginx:1.29')).toBe('nginx');
    expect(programOf('registry.k8s.io/kube-proxy:v1.35.4')).toBeUndefined();
    expect(programOf('exposectl.dev/lab/echo-other:1')).toBeUndefined();
    // the echo of diagnose source-ip --probe (agnhost netexec) is played by the lab echo
    expect(programOf('registry.k8s.io/e2e-test-images/agnhost:2.53')).toBe('echo');
  });

  it('containerEnv: literal values (referring to earlier ones) and the downward API fields', () => {
    expect(
      containerEnv(
        [
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
          { name: 'WHO', value: '$(NODE)/$(POD_NAME_UNSET)' },
        ],
        pod,
      ),
    ).toEqual({ NODE: 'node-2', IP: '10.244.2.2', HOST: '192.0.2.12', WHO: 'node-2/$(POD_NAME_UNSET)' });
    expect(containerEnv(undefined, pod)).toEqual({});
  });

  it('containerEnv: a fieldRef the lab cannot fill in is an error naming it', () => {
    expect(() =>
      containerEnv([{ name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } }], pod),
    ).toThrow(/fieldRef spec\.serviceAccountName is not supported/);
  });

  it('expandVars: $(VAR) when defined, $$ escapes, unknown references stay', () => {
    expect(expandVars('--hostname-override=$(NODE_NAME)', { NODE_NAME: 'node-1' })).toBe('--hostname-override=node-1');
    expect(expandVars('$$(NODE_NAME) $(X)', { NODE_NAME: 'n' })).toBe('$(NODE_NAME) $(X)');
  });

  it('listensOn: a LISTEN socket (state 0A) on the port, any local address; not an established one', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:2832 0100007F:A0B2 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect(listensOn(tcp, 8080)).toBe(true);
    expect(listensOn(tcp, 10290)).toBe(false);
    expect(listensOn(tcp, 7472)).toBe(false);
    const tcp6 = [
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000000000000:2812 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect(listensOn(tcp6, 10258)).toBe(true);
  });
});

describe('lab kubelet: the status it writes', () => {
  const now = '2026-12-07T04:00:00Z';
  const container = {
    name: 'echo',
    image: 'exposectl.dev/lab/echo:1',
    ready: true,
    restartCount: 1,
    startedAt: now,
    pid: 4242,
  };

  it('runningStatus: Running with the Pod and host address, Ready following the container', () => {
    const s = runningStatus({ hostIP: '192.0.2.12', podIP: '10.244.2.2', startTime: now, now, container }) as Record<
      string,
      any
    >;
    expect(s).toMatchObject({
      phase: 'Running',
      podIP: '10.244.2.2',
      podIPs: [{ ip: '10.244.2.2' }],
      hostIP: '192.0.2.12',
    });
    expect(s.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    expect(s.containerStatuses[0]).toMatchObject({
      ready: true,
      restartCount: 1,
      containerID: 'lab://4242',
      state: { running: { startedAt: now } },
    });
    const notReady = runningStatus({
      hostIP: '192.0.2.12',
      podIP: '10.244.2.2',
      startTime: now,
      now,
      container: { ...container, ready: false },
    }) as Record<string, any>;
    expect(notReady.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('False');
  });

  it('unrunnableStatus: Pending, the reason in the container status', () => {
    const s = unrunnableStatus('192.0.2.11', { name: 'x', image: 'nginx' }, 'cannot run nginx', now) as Record<
      string,
      any
    >;
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses[0].state.waiting).toEqual({ reason: 'ErrImagePull', message: 'cannot run nginx' });
  });

  it('statusSignature: changes with readiness, address or restarts, not with timestamps', () => {
    const a = runningStatus({ hostIP: '192.0.2.12', podIP: '10.244.2.2', startTime: now, now, container });
    const later = runningStatus({
      hostIP: '192.0.2.12',
      podIP: '10.244.2.2',
      startTime: now,
      now: '2026-12-07T05:00:00Z',
      container,
    });
    expect(statusSignature(later)).toBe(statusSignature(a));
    expect(
      statusSignature(runningStatus({ hostIP: '192.0.2.12', podIP: '10.244.2.3', startTime: now, now, container })),
    ).not.toBe(statusSignature(a));
    expect(
      statusSignature(
        runningStatus({
          hostIP: '192.0.2.12',
          podIP: '10.244.2.2',
          startTime: now,
          now,
          container: { ...container, ready: false },
        }),
      ),
    ).not.toBe(statusSignature(a));
    expect(statusSignature(undefined)).not.toBe(statusSignature(a));
  });

  it('gateway: configMap volumes go to folders of the kubelet, the command line points there; other volumes are refused', () => {
    // as the API server stores the DaemonSet's Pod: the ServiceAccount admission added kube-api-access-*
    const folders = configMapFolders(
      [
        { name: 'config', mountPath: '/usr/local/etc/haproxy' },
        { name: 'kube-api-access-44t9n', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
      ],
      [
        { name: 'config', configMap: { name: 'web-hostnet' } },
        {
          name: 'kube-api-access-44t9n',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ fieldRef: { fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
            ],
          },
        },
      ],
      '/tmp/lab/lab/volumes/demo.gw',
    );
    expect(folders).toEqual([
      { configMap: 'web-hostnet', mountPath: '/usr/local/etc/haproxy', dir: '/tmp/lab/lab/volumes/demo.gw/config' },
    ]);
    expect(
      gatewayArgv(['haproxy', '-W', '-db', '-f', '/usr/local/etc/haproxy/haproxy.cfg'], undefined, folders),
    ).toEqual(['-W', '-db', '-f', '/tmp/lab/lab/volumes/demo.gw/config/haproxy.cfg']);
    expect(() => configMapFolders([{ name: 'data', mountPath: '/data' }], [{ name: 'data' }], '/x')).toThrow(
      /only configMap volumes/,
    );
    expect(() =>
      configMapFolders(
        [{ name: 'other', mountPath: '/other' }],
        [{ name: 'other', projected: { sources: [{ secret: { name: 's' } }] } }],
        '/x',
      ),
    ).toThrow(/only configMap volumes/);
  });

  it("nginx: -c points at a main config that loads the host's modules (stream), keeps the pid file to the Pod, then includes the Pod's config", () => {
    const w = nginxWithHostModules(
      ['-c', '/v/config/nginx.conf', '-g', 'daemon off;'],
      '/v/nginx-lab.conf',
      '/v/nginx.pid',
    )!;
    expect(w.argv).toEqual(['-c', '/v/nginx-lab.conf', '-g', 'daemon off;']);
    expect(w.text).toContain(
      'include /etc/nginx/modules-enabled/*.conf;\npid /v/nginx.pid;\ninclude /v/config/nginx.conf;\n',
    );
    expect(nginxWithHostModules(['-g', 'daemon off;'], '/v/w', '/v/p')).toBeUndefined();
  });
});
