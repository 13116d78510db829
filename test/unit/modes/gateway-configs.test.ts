// The generated HAProxy and nginx configurations pass the real checkers (Debian
// packages haproxy, nginx-light + libnginx-mod-stream). A missing binary fails the test
// with what to install: these checks are never skipped.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../../../src/modes/haproxy-config.js';
import { gatewayConfigInput, gatewayConfigText } from '../../../src/modes/hostnetwork.js';
import type { ExposeSpec } from '../../../src/modes/index.js';
import { nginxConfig } from '../../../src/modes/nginx-config.js';
import { svc } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'exposectl-gwconf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Path of a binary, or a failure that says what to install. */
function requireBinary(name: string, pkg: string): string {
  for (const d of [
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
    ...(process.env.PATH ?? '').split(':'),
  ]) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  throw new Error(
    `${name} is not installed: apt-get install -y ${pkg} (.ci/system-packages.sh installs it). This check is never skipped.`,
  );
}

let runs = 0;

/**
 * Run with stdout and stderr going to a file, as in a container (a pipe or a file):
 * Node's own stdio pipes are sockets, which nginx cannot open() as /dev/stdout.
 */
function run(bin: string, args: string[]): { status: number | null; output: string } {
  const log = join(dir, `out-${++runs}.log`);
  const fd = openSync(log, 'w');
  try {
    const r = spawnSync(bin, args, { stdio: ['ignore', fd, fd], timeout: 15_000 });
    return { status: r.status, output: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** A distribution nginx may carry the stream module as a dynamic module (the official image has it built in). */
function streamModulePrefix(nginx: string): string {
  const v = run(nginx, ['-V']).output;
  if (/--with-stream(\s|$)/.test(v)) return '';
  if (/--with-stream=dynamic/.test(v)) {
    const mod = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/share/nginx/modules/ngx_stream_module.so'].find(
      existsSync,
    );
    if (!mod)
      throw new Error(
        'this nginx has the stream module as a dynamic module that is not installed: apt-get install -y libnginx-mod-stream',
      );
    return `load_module ${mod};\n`;
  }
  throw new Error('this nginx is built without the stream module');
}

const multi = svc('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'https', port: 443 },
    { name: 'smtp', port: 25 },
  ],
});
const withUDP = svc('dns', {
  namespace: 'infra',
  ports: [
    { name: 'dns-tcp', port: 53 },
    { name: 'dns-udp', port: 53, protocol: 'UDP' },
    { name: 'metrics', port: 9153 },
  ],
});

const cases: Array<{ name: string; spec: ExposeSpec }> = [
  { name: 'haproxy one port', spec: { service: svc('web'), mode: 'hostnetwork' } },
  {
    name: 'haproxy several ports, PROXY v2',
    spec: { service: multi, mode: 'hostnetwork', preserveSourceIP: true, nodeSelector: { edge: 'true' } },
  },
  { name: 'nginx TCP+UDP', spec: { service: withUDP, mode: 'hostnetwork', gatewayImpl: 'nginx' } },
  {
    name: 'nginx several ports, PROXY',
    spec: { service: multi, mode: 'hostnetwork', gatewayImpl: 'nginx', preserveSourceIP: true },
  },
  // Sticky: balance over the Pods (headless Service), keyed on the client.
  {
    name: 'haproxy sticky, SRV and A records, PROXY v2',
    spec: {
      service: svc('web', { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 25 }] }),
      mode: 'hostnetwork',
      sticky: true,
      stickyTimeout: 600,
      preserveSourceIP: true,
    },
  },
  { name: 'haproxy sticky, default timeout', spec: { service: multi, mode: 'hostnetwork', sticky: true } },
  { name: 'nginx sticky TCP+UDP', spec: { service: withUDP, mode: 'hostnetwork', gatewayImpl: 'nginx', sticky: true } },
  {
    name: 'nginx sticky, PROXY',
    spec: { service: multi, mode: 'hostnetwork', gatewayImpl: 'nginx', sticky: true, preserveSourceIP: true },
  },
];

describe('haproxy -c accepts the generated haproxy.cfg', () => {
  for (const c of cases.filter((x) => (x.spec.gatewayImpl ?? 'haproxy') === 'haproxy')) {
    it(c.name, () => {
      const haproxy = requireBinary('haproxy', 'haproxy');
      // Verbatim: the Service DNS name does not resolve here, init-addr lets HAProxy accept it.
      const { file, text } = gatewayConfigText(c.spec);
      expect(file).toBe('haproxy.cfg');
      const path = join(dir, `${c.name.replace(/\W+/g, '-')}.cfg`);
      writeFileSync(path, text);
      const r = run(haproxy, ['-c', '-f', path]);
      expect(r.status, `haproxy -c -f ${path} failed:\n${r.output}\n--- config ---\n${text}`).toBe(0);
      expect(r.output).toMatch(/Configuration file is valid/);
      if (c.spec.preserveSourceIP) expect(text).toContain('send-proxy-v2');
      else expect(text).not.toContain('send-proxy');
      if (c.spec.sticky) {
        expect(text).toContain('balance source');
        expect(text).toContain(`stick-table type ip size 1m expire ${c.spec.stickyTimeout ?? 10800}s srvkey addr`);
        expect(text).not.toContain(`${c.spec.service.metadata.name}.${c.spec.service.metadata.namespace}.svc`);
      }
    });
  }

  it('an invalid configuration is refused (the check is real)', () => {
    const haproxy = requireBinary('haproxy', 'haproxy');
    const path = join(dir, 'broken.cfg');
    writeFileSync(path, gatewayConfigText(cases[0]!.spec).text.replace('mode tcp', 'mode tcpx'));
    expect(run(haproxy, ['-c', '-f', path]).status).not.toBe(0);
  });
});

/** nginx resolves names at load: the same input with every backend on 127.0.0.1, for the offline check. */
function offlineInput(spec: ExposeSpec): GatewayConfigInput {
  const input = gatewayConfigInput(spec);
  for (const l of input.listeners) {
    l.backendHost = '127.0.0.1';
    if (l.endpoints && 'host' in l.endpoints) l.endpoints = { ...l.endpoints, host: '127.0.0.1' };
  }
  return input;
}

describe('nginx -t accepts the generated nginx.conf', () => {
  function check(text: string, name: string): { status: number | null; output: string } {
    const nginx = requireBinary('nginx', 'nginx-light libnginx-mod-stream');
    const prefix = mkdtempSync(join(dir, 'nginx-'));
    const path = join(prefix, `${name.replace(/\W+/g, '-')}.conf`);
    writeFileSync(path, streamModulePrefix(nginx) + text);
    // -p: a writable prefix; the pid file goes there too (the image keeps its default).
    return run(nginx, ['-t', '-p', prefix, '-c', path, '-g', `pid ${join(prefix, 'nginx.pid')};`]);
  }

  for (const c of cases.filter((x) => x.spec.gatewayImpl === 'nginx')) {
    it(c.name, () => {
      const { file, text } = gatewayConfigText(c.spec);
      expect(file).toBe('nginx.conf');
      const offline = nginxConfig(offlineInput(c.spec));
      const { name, namespace } = c.spec.service.metadata;
      expect(
        text
          .replaceAll(`${name}.${namespace}.svc.cluster.local:`, '127.0.0.1:')
          .replaceAll(`${name}-hostnet.${namespace}.svc.cluster.local:`, '127.0.0.1:'),
      ).toBe(offline);
      const r = check(offline, c.name);
      expect(r.status, `nginx -t failed:\n${r.output}\n--- config ---\n${offline}`).toBe(0);
      expect(r.output).toMatch(/test is successful/);
      if (c.spec.preserveSourceIP) expect(text).toContain('proxy_protocol on;');
      else expect(text).not.toContain('proxy_protocol');
      if (c.spec.sticky) expect(text).toContain('hash $remote_addr;');
    });
  }

  it('an invalid configuration is refused (the check is real)', () => {
    expect(
      check(nginxConfig(offlineInput(cases[2]!.spec)).replace('proxy_timeout', 'proxy_timeoutx'), 'broken').status,
    ).not.toBe(0);
  });
});

describe('the checked text is what the ConfigMap carries', () => {
  it('ConfigMap data equals the generator output', async () => {
    const { manifestsHostNetwork } = await import('../../../src/modes/hostnetwork.js');
    for (const c of cases) {
      const [cm] = manifestsHostNetwork(c.spec, {});
      const { file, text } = gatewayConfigText(c.spec);
      expect((cm as unknown as { data: Record<string, string> }).data[file]).toBe(text);
    }
  });
});
