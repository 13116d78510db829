// TLS to the API server: the CA and client certificate of the kubeconfig (relative
// paths, resolved against the kubeconfig's folder) are used, and a server the CA does
// not vouch for gives one clear line.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { KINDS } from '../../../src/kube/kinds.js';
import { readCluster } from '../../../src/sources/cluster.js';
import { RuntimeError } from '../../../src/util/errors.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/kube');
let server: Server;
let url: string;
const clientNames: string[] = [];
let connections = 0;

beforeAll(async () => {
  server = createServer(
    {
      key: readFileSync(path.join(FIXTURES, 'server.key')),
      cert: readFileSync(path.join(FIXTURES, 'server.crt')),
      ca: readFileSync(path.join(FIXTURES, 'ca.crt')),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      clientNames.push(String(peer?.subject?.CN ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'ServiceList',
          apiVersion: 'v1',
          metadata: {},
          items: [{ metadata: { name: 'tls-svc', namespace: 'default' } }],
        }),
      );
    },
  );
  server.on('secureConnection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function kubeconfig(withCa: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'exposectl-tls-'));
  for (const f of ['ca.crt', 'client.crt', 'client.key']) copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  const file = path.join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
current-context: tls
clusters:
- name: tls
  cluster:
    server: ${url}
${withCa ? '    certificate-authority: ca.crt\n' : ''}users:
- name: alice
  user: {client-certificate: client.crt, client-key: client.key}
contexts:
- name: tls
  context: {cluster: tls, user: alice}
`,
  );
  return file;
}

const services = KINDS.filter((k) => k.kind === 'Service');

test('the CA and client certificate of the kubeconfig are used (paths relative to the kubeconfig)', async () => {
  const s = await readCluster({
    kubeconfig: kubeconfig(true),
    allNamespaces: false,
    kinds: services,
    requestTimeoutMs: 5000,
  });
  expect(s.services.map((x) => x.metadata.name)).toEqual(['tls-svc']);
  expect(clientNames).toContain('alice');
});

test('a server certificate the kubeconfig does not trust gives one clear line', async () => {
  const err = await readCluster({
    kubeconfig: kubeconfig(false),
    allNamespaces: false,
    kinds: services,
    requestTimeoutMs: 5000,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RuntimeError);
  expect((err as Error).message).toMatch(
    new RegExp(`^cannot verify the TLS connection to the API server at ${url.replace(/[.]/g, '\\.')}: .+`),
  );
  expect((err as Error).message).not.toMatch(/\n/);
  expect((err as RuntimeError).hint).toMatch(/certificate-authority/);
});

test('requests of one read share one connection (no TLS handshake per request)', async () => {
  connections = 0;
  const kinds = KINDS.filter((k) =>
    ['Service', 'Node', 'Pod', 'IngressClass', 'Deployment', 'DaemonSet', 'StatefulSet', 'Ingress'].includes(k.kind),
  );
  const before = clientNames.length;
  await readCluster({
    kubeconfig: kubeconfig(true),
    allNamespaces: true,
    kinds,
    concurrency: 1,
    requestTimeoutMs: 5000,
  });
  expect(clientNames.length - before).toBe(9); // 8 lists and the discovery
  expect(connections).toBeLessThanOrEqual(2); // a pool kept alive, not one handshake per request
});
