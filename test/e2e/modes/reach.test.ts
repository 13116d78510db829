// `probe reach` from the lab's client against the real data plane: a NodePort Service
// without endpoints is refused on every node (kube-proxy's REJECT); a Local-policy NodePort
// times out on the node without a local Pod (kube-proxy's DROP) and answers from the Pod of
// each other node; Traefik serves its default certificate for an Ingress whose TLS Secret
// names another host (reach/tls-name-mismatch); --count spreads over the echo Pods, which
// name themselves. --count also sends its requests through the source-ip probe's echo mirror
// (echo Pods exposed the same way, named by netexec's /hostname): an L2 LoadBalancer spreads
// them, and with sessionAffinity ClientIP (expose --sticky) keeps all 20 on one echo Pod;
// Traefik spreads them even with sessionAffinity ClientIP (reach/not-sticky). The mirror's
// objects are gone afterwards.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT, cli, cliIn, kubectl, labEcho, NODES, reachFromClient, useEcho } from '../lab.ts';

describe('probe reach: node ports through the real kube-proxy', () => {
  const echo = useEcho('e2e-reach');
  let placed: Array<{ name: string; node: string; ip: string }>;

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 2);
    placed = await echo.pods();
    expect(new Set(placed.map((p) => p.node)).size).toBe(2);
    const r = await cli([
      'expose',
      'web',
      '-n',
      echo.ns,
      '--mode',
      'nodeport',
      '--preserve-source-ip',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    // A NodePort Service whose selector matches no Pod: kube-proxy rejects its nodePort.
    await kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: { name: nobody, namespace: ${echo.ns} }
spec:
  type: NodePort
  selector: { app: nobody }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
`,
    );
  }, 240_000);

  it('a NodePort without endpoints: refused on every node, and said why', async () => {
    // kube-proxy programs the new Service within a second or two: ask until every node refuses.
    let doc = await reachFromClient([`${echo.ns}/nobody`, '--timeout', '2s']);
    for (let i = 0; i < 10 && doc.results.some((r) => !r.outcomes.refused); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      doc = await reachFromClient([`${echo.ns}/nobody`, '--timeout', '2s']);
    }
    expect(doc.results.map((r) => [r.target.node, r.outcomes])).toEqual(NODES.map((n) => [n.name, { refused: 1 }]));
    expect(doc.findings.map((f) => f.code)).toEqual(['reach/refused', 'reach/refused', 'reach/refused']);
    expect(doc.findings[0]!.message).toContain('the Service has no ready endpoint, and kube-proxy rejects');
  });

  it('externalTrafficPolicy Local: the node without a Pod drops (timed out, named as the cause), the others answer from their own Pod', async () => {
    const empty = NODES.find((n) => !placed.some((p) => p.node === n.name))!;
    // the Pods' own answers name them: no mirror needed (--no-mirror)
    const doc = await reachFromClient([`${echo.ns}/web-nodeport`, '--timeout', '2s', '--count', '3', '--no-mirror']);
    expect(doc.mirror).toBeNull();
    expect(doc.knownPods?.sort()).toEqual(placed.map((p) => p.name).sort());
    for (const n of NODES) {
      const r = doc.results.find((x) => x.target.node === n.name);
      expect(r, `no way in through ${n.name}\n${doc.text}`).toBeDefined();
      const pod = placed.find((p) => p.node === n.name);
      if (pod) {
        expect(r!.outcomes, doc.text).toEqual({ connected: 3 });
        expect(r!.statuses).toEqual({ '200': 3 });
        expect(r!.pods).toEqual({ [pod.name]: 3 });
      } else {
        expect(r!.outcomes, doc.text).toEqual({ 'timed-out': 3 });
      }
    }
    const timedOut = doc.findings.filter((f) => f.code === 'reach/timed-out');
    expect(timedOut).toHaveLength(1);
    expect(timedOut[0]!.message).toContain(
      `node ${empty.name} has no ready endpoint of the Service and externalTrafficPolicy is Local`,
    );
  });

  it('diagnose reach SERVICE --probe runs the reach probe: the blackholed Local node is a reach/timed-out finding', async () => {
    const empty = NODES.find((n) => !placed.some((p) => p.node === n.name))!;
    const r = await cliIn(CLIENT.role, [
      'diagnose',
      'reach',
      `${echo.ns}/web-nodeport`,
      '--probe',
      '--probe-timeout',
      '2s',
      '-o',
      'json',
    ]);
    // reach/timed-out is an error: exit 3 under the default --fail-on error
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(3);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ code: string; message: string }> }).findings;
    expect(findings.map((f) => f.code)).toEqual(['reach/timed-out']);
    expect(findings[0]!.message).toContain(`node ${empty.name} has no ready endpoint`);
    // without --probe there are no reach facts: nothing found, the analyzer skipped
    const without = await cliIn(CLIENT.role, ['diagnose', 'reach', `${echo.ns}/web-nodeport`, '-o', 'json']);
    expect((JSON.parse(without.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('diagnose --probe (every check, the whole namespace) runs reach over every Service with a way in, next to the other checks', async () => {
    const r = await cliIn(CLIENT.role, ['diagnose', '-n', echo.ns, '--probe', '--probe-timeout', '2s', '-o', 'json']);
    expect([0, 3], `exit ${r.code}\n${r.stderr}\n${r.stdout}`).toContain(r.code);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { name: string } }> })
      .findings;
    const reach = findings.filter((f) => f.code.startsWith('reach/')).map((f) => `${f.code} ${f.subject.name}`);
    expect(reach.sort()).toEqual([
      'reach/refused nobody',
      'reach/refused nobody',
      'reach/refused nobody',
      'reach/timed-out web-nodeport',
    ]);
    // the other probes that need no flag ran too (healthz of the Local Service); those that do were skipped, said why
    expect(r.stderr).toMatch(/--probe: skipped the ARP probe: --interface IF is missing/);
    expect(findings.some((f) => f.code.startsWith('endpoints/'))).toBe(true);
  });
});

describe('probe reach: an Ingress through Traefik', () => {
  const echo = useEcho('e2e-reach-tls');
  const host = 'shop.example.test';
  let pods: string[];

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 3);
    pods = (await echo.pods()).map((p) => p.name);
    // A certificate for another host in the Ingress's TLS Secret.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-reach-tls-'));
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
        path.join(dir, 'key'),
        '-out',
        path.join(dir, 'crt'),
        '-subj',
        '/CN=other.example.test',
        '-addext',
        'subjectAltName=DNS:other.example.test',
        '-days',
        '30',
      ],
      { stdio: 'ignore' },
    );
    await kubectl([
      'create',
      'secret',
      'tls',
      'shop-tls',
      '-n',
      echo.ns,
      '--cert',
      path.join(dir, 'crt'),
      '--key',
      path.join(dir, 'key'),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    await kubectl(
      ['apply', '-f', '-'],
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop, namespace: ${echo.ns} }
spec:
  ingressClassName: lab
  tls: [{ hosts: [${host}], secretName: shop-tls }]
  rules:
    - host: ${host}
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
`,
    );
  }, 240_000);

  it('the certificate served for the host does not name it: reach/tls-name-mismatch; http answers, spread over the Pods (--count)', async () => {
    // Traefik publishes the Ingress address and programs its routers a moment after the Ingress is created.
    let doc = await reachFromClient([`${echo.ns}/web`, '--timeout', '3s', '--count', '12']);
    for (let i = 0; i < 20 && !(doc.results.length === 2 && doc.results[0]!.statuses['200'] === 12); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      doc = await reachFromClient([`${echo.ns}/web`, '--timeout', '3s', '--count', '12']);
    }
    expect(
      doc.results.map((r) => r.target.label),
      doc.text,
    ).toEqual([`Ingress http://${host}/`, `Ingress https://${host}/`]);
    const [http, https] = doc.results;
    expect(http!.target).toMatchObject({ address: NODES[0]!.ip, port: 80, host });
    expect(http!.statuses, doc.text).toEqual({ '200': 12 });
    const answered = Object.keys(http!.pods);
    expect(
      answered.every((p) => pods.includes(p)),
      answered.join(' '),
    ).toBe(true);
    expect(answered.length, JSON.stringify(http!.pods)).toBeGreaterThan(1);
    expect(Object.values(http!.pods).reduce((a, b) => a + b, 0)).toBe(12);
    expect(https!.first.tls?.nameMatches).toBe(false);
    expect(doc.findings.filter((f) => f.code === 'reach/tls-name-mismatch').map((f) => f.subject)).toEqual([
      { kind: 'Ingress', namespace: echo.ns, name: 'shop' },
    ]);
  });

  it('sessionAffinity ClientIP on the Service: Traefik picks Pods itself, so one client still spreads (reach/not-sticky)', async () => {
    await kubectl(['patch', 'service', 'web', '-n', echo.ns, '-p', '{"spec":{"sessionAffinity":"ClientIP"}}']);
    const doc = await reachFromClient([`${echo.ns}/web`, '--timeout', '3s', '--count', '12']);
    const http = doc.results.find((r) => r.target.label === `Ingress http://${host}/`)!;
    expect(Object.keys(http.pods).length, doc.text).toBeGreaterThan(1);
    expect(doc.findings.map((f) => f.code)).toContain('reach/not-sticky');
    // the mirror (a temporary Ingress of class lab, echo Pods behind it) spreads the client too
    expect(doc.mirror?.error, doc.text).toBeNull();
    expect(doc.mirror?.mirrors).toContain('Ingress class lab');
    expect(Object.keys(doc.mirror!.pods).length, doc.text).toBeGreaterThan(1);
    expect(doc.findings.filter((f) => f.code === 'reach/not-sticky' && f.message.includes('echo mirror'))).toHaveLength(
      1,
    );
    expect(await probeObjects(echo.ns)).toEqual('');
  });
});

/** The source-ip/reach probes' temporary objects left in a namespace (none expected). */
async function probeObjects(ns: string): Promise<string> {
  return (
    await kubectl(['get', 'pods,services,ingresses', '-n', ns, '-l', 'exposectl.dev/probe', '-o', 'name'])
  ).trim();
}

describe('probe reach --count through the echo mirror: an L2 LoadBalancer', () => {
  const echo = useEcho('e2e-reach-lb');
  const ip = '198.51.100.48';
  const expose = async (...extra: string[]) => {
    const r = await cli([
      'expose',
      'web',
      '-n',
      echo.ns,
      '--mode',
      'l2',
      '--addresses',
      `${ip}/30`,
      '--ip',
      ip,
      ...extra,
      '--wait',
      '--timeout',
      '120s',
    ]);
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  };

  beforeAll(async () => {
    await labEcho(echo.ns, 'web', 3);
    await expose();
  }, 300_000);

  it('without affinity: 20 requests through 3 echo Pods on another address of the pool spread over them; nothing left behind', async () => {
    const doc = await reachFromClient([`${echo.ns}/web-lb`, '--http', '--timeout', '3s', '--count', '20']);
    const m = doc.mirror!;
    expect(m.error, doc.text).toBeNull();
    expect(m).toMatchObject({ replicas: 3, requests: 20, unanswered: 0, leftover: [] });
    expect(m.mirrors).toContain('LoadBalancer Service, externalTrafficPolicy Cluster');
    // the mirror Service takes another address of the same /30 pool
    expect(m.target).toMatch(/^198\.51\.100\.(49|50|51):80$/);
    expect(Object.values(m.pods).reduce((a, b) => a + b, 0)).toBe(20);
    expect(Object.keys(m.pods).length, JSON.stringify(m.pods)).toBeGreaterThan(1);
    expect(Object.keys(m.pods).every((p) => p.startsWith('exposectl-echo-'))).toBe(true);
    expect(doc.findings.map((f) => f.code)).not.toContain('reach/not-sticky');
    expect(doc.text).toContain('reach probe: created 3 echo Pods');
    expect(await probeObjects(echo.ns)).toEqual('');
  });

  it('expose --sticky (sessionAffinity ClientIP, copied by the mirror): all 20 requests land on one echo Pod', async () => {
    await expose('--sticky');
    const doc = await reachFromClient([`${echo.ns}/web-lb`, '--http', '--timeout', '3s', '--count', '20']);
    const m = doc.mirror!;
    expect(m.error, doc.text).toBeNull();
    expect(Object.values(m.pods), doc.text).toEqual([20]);
    expect(doc.findings.map((f) => f.code)).not.toContain('reach/not-sticky');
    expect(await probeObjects(echo.ns)).toEqual('');
  });
});
