// The built CLI (npm run build first): diagnose on files, its outputs and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS, runCli } from '../../helpers/cli.js';
import { schemaErrors } from '../../helpers/schema.js';

const tmp = mkdtempSync(join(tmpdir(), 'exposectl-diagnose-'));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

// One error (nodePort out of range) and one warning (Cluster policy) on shop/web; one warning on shop/api.
const MIXED = file(
  'mixed.yaml',
  `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 443}]
`,
);
const WARN_ONLY = file(
  'warn.yaml',
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 443}]}
`,
);

describe('exposectl diagnose -f', { timeout: 90_000 }, () => {
  it('text by default, grouped by subject; exit 3 on an error (default --fail-on error)', async () => {
    const r = await runCli(['diagnose', '-f', MIXED]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('Service shop/web\n  error   nodeport/out-of-range\n');
    expect(r.stdout).toContain('Service shop/api\n  warning source-ip/etp-cluster\n');
    expect(r.stdout).toMatch(/3 findings: 1 error, 2 warnings$/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    expect(r.stderr).toBe('');
  });

  it('-o json is a DiagnosisReport valid against its schema', async () => {
    const r = await runCli(['diagnose', '-f', MIXED, '-o', 'json']);
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { name: string } }> };
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
    expect(report.findings.map((f) => `${f.code} ${f.subject.name}`)).toEqual([
      'source-ip/etp-cluster api',
      'nodeport/out-of-range web',
      'source-ip/etp-cluster web',
    ]);
  });

  it('--fail-on: warnings pass by default, fail with warning, nothing fails with none', async () => {
    expect((await runCli(['diagnose', '-f', WARN_ONLY])).exitCode).toBe(0);
    expect((await runCli(['diagnose', '-f', WARN_ONLY, '--fail-on', 'warning'])).exitCode).toBe(3);
    expect((await runCli(['diagnose', '-f', WARN_ONLY, '--fail-on', 'info'])).exitCode).toBe(3);
    expect((await runCli(['diagnose', '-f', MIXED, '--fail-on', 'none'])).exitCode).toBe(0);
    expect((await runCli(['diagnose', '-f', WARN_ONLY, '--fail-on', 'fatal'])).exitCode).toBe(2);
  });

  it('--ignore drops a code, or a code for one object; a malformed --ignore exits 2', async () => {
    const one = await runCli(['diagnose', '-f', MIXED, '-o', 'json', '--ignore', 'nodeport/out-of-range=shop/web']);
    expect(one.exitCode).toBe(0);
    expect((JSON.parse(one.stdout) as { findings: unknown[] }).findings).toHaveLength(2);
    const two = await runCli([
      'diagnose',
      '-f',
      MIXED,
      '-o',
      'json',
      '--ignore',
      'nodeport/out-of-range',
      '--ignore',
      'source-ip/etp-cluster=shop/api',
      '--fail-on',
      'warning',
    ]);
    expect(JSON.parse(two.stdout)).toMatchObject({
      findings: [{ code: 'source-ip/etp-cluster', subject: { name: 'web' } }],
    });
    expect(two.exitCode).toBe(3);
    const bad = await runCli(['diagnose', '-f', MIXED, '--ignore', 'not a code']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: --ignore/);
  });

  it('a CHECK runs only that check; a bad CHECK exits 2 with a hint', async () => {
    const r = await runCli(['diagnose', 'nodeport', '-f', MIXED, '-o', 'json']);
    expect((JSON.parse(r.stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code)).toEqual([
      'nodeport/out-of-range',
    ]);
    // A word that is no check is a SERVICE; one that is no Service either but close to a check is a typo.
    const bad = await runCli(['diagnose', 'sourceip', '-f', MIXED]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(
      'error: unknown check or Service sourceip\nhint: did you mean the check source-ip? exposectl diagnose source-ip',
    );
    const badWithService = await runCli(['diagnose', 'sourceip', 'shop/web', '-f', MIXED]);
    expect(badWithService.exitCode).toBe(2);
    expect(badWithService.stderr).toContain('error: unknown check sourceip: expected one of');
  });

  it('diagnose SERVICE without a CHECK runs every check on that Service; an unknown one exits 1', async () => {
    const r = await runCli(['diagnose', 'shop/web', '-f', MIXED, '-o', 'json']);
    expect(r.exitCode, r.stderr).toBe(3);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { name: string } }> })
      .findings;
    expect(findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['nodeport/out-of-range', 'source-ip/etp-cluster']),
    );
    expect(findings.every((f) => f.subject.name === 'web')).toBe(true);
    const missing = await runCli(['diagnose', 'shop/nothing', '-f', MIXED]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error: services "nothing" not found/);
  });

  it("CHECK SERVICE keeps the findings on that Service's path; an unknown Service exits 1", async () => {
    const r = await runCli(['diagnose', 'source-ip', 'shop/api', '-f', MIXED, '-o', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      findings: [{ code: 'source-ip/etp-cluster', subject: { namespace: 'shop', name: 'api' } }],
    });
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
    const all = await runCli(['diagnose', 'all', 'web', '-n', 'shop', '-f', MIXED, '-o', 'json']);
    expect(
      (JSON.parse(all.stdout) as { findings: Array<{ subject: { name: string } }> }).findings.every(
        (f) => f.subject.name === 'web',
      ),
    ).toBe(true);
    const text = await runCli(['diagnose', 'source-ip', 'shop/api', '-f', MIXED]);
    expect(text.stdout).toContain(
      'Ways from a client to Service shop/api:\n  client -> <pending>:443 (LoadBalancer) -> a node -> Service shop/api [externalTrafficPolicy Cluster: REPLACED by a node address (SNAT)]',
    );
    const missing = await runCli(['diagnose', 'source-ip', 'shop/nope', '-f', MIXED]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('services "nope" not found');
  });

  it('-n keeps the findings of one namespace of the files', async () => {
    const other = await runCli(['diagnose', '-f', MIXED, '-n', 'other', '-o', 'json']);
    expect(JSON.parse(other.stdout)).toEqual({
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'DiagnosisReport',
      findings: [],
    });
    expect(other.exitCode).toBe(0);
    const shop = await runCli(['diagnose', '-f', MIXED, '-n', 'shop', '-o', 'json']);
    expect((JSON.parse(shop.stdout) as { findings: unknown[] }).findings).toHaveLength(3);
  });

  it('--probe: a named check whose probe lacks a flag exits 2 naming the flag, before anything is sent', async () => {
    const arp = await runCli(['diagnose', 'arp', '-f', MIXED, '--probe']);
    expect(arp.exitCode).toBe(2);
    expect(arp.stdout).toBe('');
    expect(arp.stderr).toMatch(/^error: --probe: check arp needs the ARP probe, but --interface IF is missing/);
    const bgp = await runCli(['diagnose', 'bgp', '-f', MIXED, '--probe', '--bgp-listen', '127.0.0.1:0']);
    expect(bgp.exitCode).toBe(2);
    expect(bgp.stderr).toMatch(/^error: --probe: check bgp needs the BGP probe, but --bgp-local-as N is missing/);
    const sip = await runCli(['diagnose', 'source-ip', 'shop/web', '-f', MIXED, '--probe']);
    expect(sip.exitCode).toBe(2);
    expect(sip.stderr).toMatch(
      /^error: --probe: check source-ip needs the source-ip echo probe, but it needs a live cluster to deploy the echo to, not -f files/,
    );
    // Probe flags without --probe, and bad probe flag values, are usage errors too.
    const noProbe = await runCli(['diagnose', 'arp', '-f', MIXED, '--interface', 'eth0']);
    expect([noProbe.exitCode, noProbe.stderr.split('\n')[0]]).toEqual([2, 'error: --interface is for --probe']);
    const badListen = await runCli([
      'diagnose',
      'bgp',
      '-f',
      MIXED,
      '--probe',
      '--bgp-listen',
      'nowhere',
      '--bgp-local-as',
      '64500',
    ]);
    expect(badListen.exitCode).toBe(2);
    expect(badListen.stderr).toMatch(/--listen "nowhere" is not ADDRESS\[:PORT\]/);
    // A check that needs no probe runs as usual.
    expect((await runCli(['diagnose', 'nodeport', '-f', MIXED, '--probe', '--fail-on', 'none'])).exitCode).toBe(0);
  });

  it('--probe over every check: the probes that lack a flag are skipped with a notice saying which flag', async () => {
    const r = await runCli(['diagnose', '-f', WARN_ONLY, '--probe', '-o', 'json', '--fail-on', 'none']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('--probe: skipped the ARP probe: --interface IF is missing');
    expect(r.stderr).toContain(
      '--probe: skipped the BGP probe: --bgp-listen ADDR[:PORT] and --bgp-local-as N are missing',
    );
    expect(r.stderr).toContain('--probe: skipped the source-ip echo probe: a SERVICE argument is missing');
    expect(schemaErrors('diagnosis-report.schema.json', JSON.parse(r.stdout))).toEqual([]);
  });

  it('--probe bgp: a passive peer listens for --bgp-duration; an expected peer that never connects is bgp/session-down', async () => {
    const r = await runCli([
      'diagnose',
      'bgp',
      '-f',
      MIXED,
      '--probe',
      '--bgp-listen',
      '127.0.0.1:0',
      '--bgp-local-as',
      '64500',
      '--bgp-peer',
      '192.0.2.99',
      '--bgp-duration',
      '300ms',
      '-o',
      'json',
      '--fail-on',
      'none',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--probe: listening for BGP on 127\.0\.0\.1:\d+ as AS 64500 for 300ms/);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; subject: { name: string } }> };
    expect(report.findings.map((f) => [f.code, f.subject.name])).toContainEqual(['bgp/session-down', '192.0.2.99']);
    expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
  });

  it('-v says on stderr which analyzers were skipped, and why', async () => {
    const r = await runCli(['diagnose', '-f', WARN_ONLY, '-v', '-o', 'json']);
    expect(r.stderr).toContain('skipped arp-replies (arp): needs ARP facts (--probe)');
    expect(r.stderr).toContain('skipped bgp-routes (bgp): needs BGP facts (--probe)');
    expect(schemaErrors('diagnosis-report.schema.json', JSON.parse(r.stdout))).toEqual([]);
  });

  it('-o sarif and -o github point at the file and line of the subject', async () => {
    const sarif = JSON.parse((await runCli(['diagnose', '-f', MIXED, '-o', 'sarif'])).stdout) as {
      version: string;
      runs: Array<{
        results: Array<{
          ruleId: string;
          locations: Array<{ physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
        }>;
      }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const web = sarif.runs[0]!.results.find((x) => x.ruleId === 'nodeport/out-of-range')!;
    expect(web.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: `file://${MIXED}` },
      region: { startLine: 1 },
    });
    const gh = await runCli(['diagnose', '-f', MIXED, '-o', 'github']);
    expect(gh.exitCode).toBe(3);
    expect(
      gh.stdout
        .split('\n')
        .some((l) => l.startsWith(`::error file=${MIXED},line=1,title=nodeport/out-of-range (Service shop/web)::`)),
    ).toBe(true);
    expect(gh.stdout).toMatch(/::warning file=[^,]+,line=9,title=source-ip\/etp-cluster \(Service shop\/api\)::/);
  });

  it('the corpus: no error outside the documented parts of one repository', async () => {
    const r = await runCli(['diagnose', '-f', join(CORPUS, 'metallb__metallb'), '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [{ code: 'source-ip/etp-cluster' }] });
  });

  it('help lists the checks, the flags and examples', async () => {
    const r = await runCli(['diagnose', '--help']);
    expect(r.exitCode).toBe(0);
    for (const s of ['--fail-on', '--ignore', '--probe', 'source-ip', 'EXAMPLES', 'diagnose source-ip web'])
      expect(r.stdout).toContain(s);
  });
});

describe('diagnose --input-complete (which kinds the files hold completely)', () => {
  // An Ingress whose backend Service is missing, beside another Service of its namespace.
  const DANGLING = file(
    'dangling.yaml',
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
    - http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80}]}
`,
  );
  const codes = (stdout: string) =>
    (JSON.parse(stdout) as { findings: Array<{ code: string; message: string }> }).findings.filter(
      (f) => f.code === 'ingress/backend-missing',
    );

  it('auto: the files hold Services in shop, so the missing one is an error that says "not in the input" (exit 3)', async () => {
    const r = await runCli(['diagnose', '-f', DANGLING, '-o', 'json']);
    expect(r.exitCode).toBe(3);
    expect(codes(r.stdout).map((f) => f.message)).toEqual([
      expect.stringContaining('to Service shop/web, which is not in the input'),
    ]);
  });

  it('none: only what is present is judged (exit 0)', async () => {
    const r = await runCli(['diagnose', '-f', DANGLING, '--input-complete', 'none', '-o', 'json']);
    expect(r.exitCode).toBe(0);
    expect(codes(r.stdout)).toEqual([]);
  });

  it('all: a file without the kind is the whole cluster too', async () => {
    const lone = file(
      'lone-ingress.yaml',
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]
`,
    );
    expect(codes((await runCli(['diagnose', '-f', lone, '-o', 'json', '--fail-on', 'none'])).stdout)).toEqual([]);
    const all = await runCli(['diagnose', '-f', lone, '--input-complete=all', '-o', 'json', '--fail-on', 'none']);
    expect(codes(all.stdout)).toHaveLength(1);
  });

  it('without -f it is a usage error (exit 2): a live cluster is always complete', async () => {
    const r = await runCli(['diagnose', '--input-complete', 'all']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--input-complete applies to files read with -f/);
  });

  it('a value it does not know is a usage error (exit 2)', async () => {
    const r = await runCli(['diagnose', '-f', DANGLING, '--input-complete', 'some']);
    expect(r.exitCode).toBe(2);
  });
});
