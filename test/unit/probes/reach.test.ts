// probe reach's building blocks against real sockets on loopback: an HTTP server, a closed
// port, TLS servers whose certificate (made with openssl) names another host, or is expired.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeReachFlags, probeReachAction } from '../../../src/actions/probe-reach.js';
import { reachFindings } from '../../../src/analyzers/probe-reach.js';
import type { Finding } from '../../../src/model/finding.js';
import type { ReachProbe } from '../../../src/model/reach.js';
import { attemptReach, serverName } from '../../../src/probes/reach/attempt.js';
import { podOfAnswer } from '../../../src/probes/reach/pod-name.js';
import { runReach } from '../../../src/probes/reach/run.js';
import { parseReachTarget, ReachTargetError } from '../../../src/probes/reach/target.js';
import { renderReachProbe } from '../../../src/render/reach-probe.js';
import { UsageError } from '../../../src/util/errors.js';
import { schemaErrors } from '../../helpers/schema.js';

describe('probe reach: targets', () => {
  it('ADDRESS:PORT, [IPv6]:PORT and host:port are TCP targets', () => {
    expect(parseReachTarget('192.0.2.11:30080')).toEqual({
      label: '192.0.2.11:30080',
      address: '192.0.2.11',
      port: 30080,
      scheme: 'tcp',
    });
    expect(parseReachTarget('[2001:db8::1]:443')).toMatchObject({ address: '2001:db8::1', port: 443, scheme: 'tcp' });
    expect(parseReachTarget('web.example.test:8080')).toMatchObject({ address: 'web.example.test', port: 8080 });
  });

  it('http(s) URLs: default ports, Host header, path and query', () => {
    expect(parseReachTarget('http://web.example.test/shop?x=1')).toMatchObject({
      address: 'web.example.test',
      port: 80,
      scheme: 'http',
      host: 'web.example.test',
      path: '/shop?x=1',
    });
    expect(parseReachTarget('https://198.51.100.20:8443/')).toMatchObject({
      address: '198.51.100.20',
      port: 8443,
      scheme: 'https',
      host: '198.51.100.20:8443',
      path: '/',
    });
  });

  it('bad targets are errors naming the input', () => {
    for (const bad of [
      '192.0.2.11',
      '192.0.2.11:0',
      '192.0.2.11:70000',
      'web:http',
      'a b:80',
      '2001:db8::1:443',
      'https://u:p@web.example.test/',
    ]) {
      expect(() => parseReachTarget(bad), bad).toThrow(ReachTargetError);
    }
    expect(() => parseReachTarget('192.0.2.11')).toThrow(/192\.0\.2\.11: expected ADDRESS:PORT/);
  });

  it('serverName: the host without its port; none for an address (SNI carries names only)', () => {
    expect(serverName(parseReachTarget('https://web.example.test:8443/'))).toBe('web.example.test');
    expect(serverName(parseReachTarget('https://198.51.100.20/'))).toBeUndefined();
  });
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-reach-'));
const servers: net.Server[] = [];

/** A self-signed certificate for name: valid for 30 days from now, or expired (2020-01-01 to 2020-01-02, made with `openssl ca`, which takes dates). */
function cert(name: string, validity: 'valid' | 'expired'): { key: string; cert: string } {
  const d = fs.mkdtempSync(path.join(dir, `${validity}-`));
  const f = (n: string) => path.join(d, n);
  const san = ['-addext', `subjectAltName=DNS:${name}`];
  if (validity === 'valid') {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        f('key'),
        '-out',
        f('crt'),
        '-subj',
        `/CN=${name}`,
        ...san,
        '-days',
        '30',
      ],
      { stdio: 'ignore' },
    );
  } else {
    fs.writeFileSync(f('index.txt'), '');
    fs.writeFileSync(f('serial'), '01\n');
    fs.writeFileSync(
      f('ca.cnf'),
      `[ca]\ndefault_ca=CA\n[CA]\ndatabase=${f('index.txt')}\nnew_certs_dir=${d}\nserial=${f('serial')}\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\n[p]\ncommonName=supplied\n`,
    );
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        f('key'),
        '-subj',
        `/CN=${name}`,
        ...san,
        '-out',
        f('csr'),
      ],
      { stdio: 'ignore' },
    );
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-config',
        f('ca.cnf'),
        '-selfsign',
        '-keyfile',
        f('key'),
        '-in',
        f('csr'),
        '-out',
        f('crt'),
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-notext',
      ],
      { stdio: 'ignore' },
    );
  }
  return { key: fs.readFileSync(f('key'), 'utf8'), cert: fs.readFileSync(f('crt'), 'utf8') };
}

async function listen(s: net.Server): Promise<number> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as net.AddressInfo).port;
}

let httpPort: number;
let closedPort: number;
let tlsPort: number;
let expiredPort: number;
let good: { key: string; cert: string };

beforeAll(async () => {
  httpPort = await listen(
    http.createServer((req, res) => res.end(JSON.stringify({ pod: 'web-1', host: req.headers.host, path: req.url }))),
  );
  const probe = net.createServer();
  closedPort = await listen(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  good = cert('web.example.test', 'valid');
  tlsPort = await listen(
    https.createServer(good, (_req, res) => {
      res.statusCode = 204;
      res.end();
    }),
  );
  expiredPort = await listen(https.createServer(cert('web.example.test', 'expired'), (_req, res) => res.end('old')));
});

afterAll(() => {
  for (const s of servers) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('probe reach: one attempt', () => {
  it("an open port: connected, with its latency and the client's own address", async () => {
    const a = await attemptReach(parseReachTarget(`127.0.0.1:${httpPort}`), { timeoutMs: 2000 });
    expect(a.outcome).toBe('connected');
    expect(a.connectMs).toBeGreaterThanOrEqual(0);
    expect(a.localAddress).toBe('127.0.0.1');
    expect(a.http).toBeUndefined();
  });

  it('a closed port: refused', async () => {
    const a = await attemptReach(parseReachTarget(`127.0.0.1:${closedPort}`), { timeoutMs: 2000 });
    expect([a.outcome, a.connectMs]).toEqual(['refused', null]);
  });

  it('http: the status and body, the Host header of the URL sent', async () => {
    const a = await attemptReach(parseReachTarget(`http://127.0.0.1:${httpPort}/shop`), { timeoutMs: 2000 });
    expect(a.http?.status).toBe(200);
    expect(JSON.parse(a.http!.body)).toEqual({ pod: 'web-1', host: `127.0.0.1:${httpPort}`, path: '/shop' });
  });

  it('https: a certificate trusted (with --ca) for the host name asked', async () => {
    const a = await attemptReach(
      { ...parseReachTarget(`https://web.example.test:${tlsPort}/`), address: '127.0.0.1' },
      { timeoutMs: 3000, ca: good.cert },
    );
    expect(a.http?.status).toBe(204);
    expect(a.tls).toMatchObject({
      trusted: true,
      trustError: null,
      nameMatches: true,
      subject: 'web.example.test',
      altNames: ['web.example.test'],
    });
    expect(a.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
  });

  it('https: the same certificate for another name does not match; untrusted without the CA', async () => {
    const a = await attemptReach(
      { ...parseReachTarget(`https://shop.example.test:${tlsPort}/`), address: '127.0.0.1' },
      { timeoutMs: 3000 },
    );
    expect(a.tls).toMatchObject({ trusted: false, nameMatches: false });
    expect(a.tls?.trustError).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('https: an expired certificate says so', async () => {
    const a = await attemptReach(
      { ...parseReachTarget(`https://web.example.test:${expiredPort}/`), address: '127.0.0.1' },
      { timeoutMs: 3000 },
    );
    expect(a.tls?.trusted).toBe(false);
    expect(a.tls?.validTo).toBe('2020-01-02T00:00:00.000Z');
    expect(a.http?.status).toBe(200);
  });

  it('a server that accepts and never answers: connected, then no answer within the timeout', async () => {
    const silent = await listen(net.createServer(() => undefined));
    const a = await attemptReach(parseReachTarget(`http://127.0.0.1:${silent}/`), { timeoutMs: 300 });
    expect(a.outcome).toBe('connected');
    expect(a.error).toMatch(/no answer within 300 ms/);
  });

  it('a server that resets the connection: reset', async () => {
    const rst = await listen(net.createServer((s) => s.resetAndDestroy()));
    const a = await attemptReach(parseReachTarget(`http://127.0.0.1:${rst}/`), { timeoutMs: 2000 });
    expect(a.outcome).toBe('reset');
  });
});

describe('probe reach: the action on loopback targets, no cluster', () => {
  let echoPort: number;
  let wrongNamePort: number;
  let resetPort: number;
  let n = 0;
  beforeAll(async () => {
    // Three "Pods" behind one port, in turn, answering as the lab echo does.
    echoPort = await listen(
      http.createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ pod: `web-${(n++ % 3) + 1}`, path: req.url }));
      }),
    );
    wrongNamePort = await listen(https.createServer(cert('other.example.test', 'valid'), (_req, res) => res.end('x')));
    resetPort = await listen(net.createServer((s) => s.resetAndDestroy()));
  });

  const flags = (more: Partial<ProbeReachFlags> = {}): ProbeReachFlags => ({
    count: 1,
    timeout: '2s',
    concurrency: 4,
    http: false,
    'node-ports': false,
    mirror: true,
    'echo-timeout': '90s',
    'echo-image': 'echo',
    'all-namespaces': false,
    'no-color': true,
    'request-timeout': '5s',
    ...more,
  });

  it('each target as it went, the findings of the analyzer, and a document valid against its schema', async () => {
    const out = await probeReachAction(
      [
        `http://127.0.0.1:${echoPort}/`,
        `127.0.0.1:${closedPort}`,
        `http://127.0.0.1:${resetPort}/`,
        `https://shop.example.test:${wrongNamePort}/`.replace('shop.example.test', '127.0.0.1'),
      ],
      flags(),
    );
    const doc = out.data as ReachProbe & { findings: Finding[] };
    expect(schemaErrors('reach-probe.schema.json', JSON.parse(JSON.stringify(doc)))).toEqual([]);
    expect(doc.service).toBeNull();
    expect(
      doc.results.map((r) => [r.target.via, Object.keys(r.outcomes)[0], Object.keys(r.statuses)[0] ?? null]),
    ).toEqual([
      ['explicit', 'connected', '200'],
      ['explicit', 'refused', null],
      ['explicit', 'reset', null],
      ['explicit', 'connected', '200'],
    ]);
    expect(doc.findings.map((f) => [f.code, f.subject.name])).toEqual([
      ['reach/refused', `127.0.0.1:${closedPort}`],
      ['reach/reset', `127.0.0.1:${resetPort}`],
      ['reach/tls-untrusted', `127.0.0.1:${wrongNamePort}`],
    ]);
    expect(out.exitCode).toBeUndefined();
    const text = await out.renderers!.text!({ color: false, width: 120 } as never);
    expect(text).toMatch(new RegExp(`^127\\.0\\.0\\.1:${closedPort}\\s+refused\\s+-`, 'm'));
  });

  it('a certificate for another name, asked by name (SNI): reach/tls-name-mismatch', async () => {
    // The host name resolves nowhere: the try is sent to 127.0.0.1 with the name as Host and SNI.
    const t = { ...parseReachTarget(`https://shop.example.test:${wrongNamePort}/`), address: '127.0.0.1' };
    const [r] = await runReach([t], { timeoutMs: 3000, count: 1, concurrency: 1, knownPods: null });
    expect(r!.first.tls).toMatchObject({ nameMatches: false, subject: 'other.example.test' });
    const f = reachFindings(
      {
        apiVersion: 'exposectl.dev/v1alpha1',
        kind: 'ReachProbe',
        service: null,
        sticky: null,
        readyEndpoints: null,
        knownPods: null,
        count: 1,
        timeoutMs: 3000,
        skipped: [],
        results: [r!],
        startedAt: '',
        at: '',
      },
      { now: () => new Date() },
    );
    expect(f.map((x) => x.code)).toEqual(['reach/tls-name-mismatch']);
    expect(f[0]!.message).toContain('certificate for other.example.test, not for shop.example.test');
  });

  it('--count: every try answered, spread over the Pods that named themselves', async () => {
    const out = await probeReachAction([`127.0.0.1:${echoPort}`], flags({ count: 9, http: true, path: '/who' }));
    const [r] = (out.data as ReachProbe).results;
    expect(r!.outcomes).toEqual({ connected: 9 });
    expect(r!.statuses).toEqual({ '200': 9 });
    expect(r!.pods).toEqual({ 'web-1': 3, 'web-2': 3, 'web-3': 3 });
    expect(JSON.parse(r!.first.http!.body)).toMatchObject({ path: '/who' });
    // no Service, no mirror: said why, nothing created
    expect((out.data as ReachProbe).mirror).toMatchObject({
      requests: 0,
      error: expect.stringMatching(/^explicit targets only/),
    });
    expect(renderReachProbe(out.data as ReachProbe, [])).toContain(
      'Pods through an echo mirror: none (explicit targets only',
    );
    expect((await probeReachAction([`127.0.0.1:${echoPort}`], flags({ count: 2, mirror: false }))).data).toMatchObject({
      mirror: null,
    });
  });

  it('bad input: exit 2 (UsageError) naming it; nothing tried', async () => {
    await expect(probeReachAction([], flags())).rejects.toThrow(UsageError);
    await expect(probeReachAction(['127.0.0.1:0'], flags())).rejects.toThrow(/127\.0\.0\.1:0: 0 is not a port/);
    await expect(probeReachAction(['127.0.0.1:80'], flags({ timeout: 'soon' }))).rejects.toThrow(UsageError);
    await expect(probeReachAction(['127.0.0.1:80'], flags({ ca: '/nonexistent/ca.pem' }))).rejects.toThrow(
      /--ca \/nonexistent\/ca\.pem/,
    );
    await expect(probeReachAction(['web', 'api'], flags())).rejects.toThrow(/one SERVICE at a time/);
  });
});

describe('probe reach: who answered', () => {
  it('the lab echo, agnhost /hostname (a known Pod only), traefik/whoami, echo-server JSON', () => {
    expect(podOfAnswer('{"pod":"web-7d9-abc","node":"node-1"}', null)).toBe('web-7d9-abc');
    expect(podOfAnswer('web-1\n', ['web-1', 'web-2'])).toBe('web-1');
    expect(podOfAnswer('ok', ['web-1'])).toBeNull();
    expect(podOfAnswer('web-1', null)).toBeNull();
    expect(podOfAnswer('Hostname: whoami-5d8-xyz\nIP: 127.0.0.1\n', null)).toBe('whoami-5d8-xyz');
    expect(podOfAnswer('{"host":{"hostname":"echo-1"},"http":{}}', null)).toBe('echo-1');
    expect(podOfAnswer('{"os":{"hostname":"echo-2"}}', null)).toBe('echo-2');
    expect(podOfAnswer('{not json', null)).toBeNull();
  });
});
