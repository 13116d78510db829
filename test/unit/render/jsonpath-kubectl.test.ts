// The JSONPath engine against kubectl itself: kubectl evaluates each template on a document
// (`kubectl label --local -f doc.json -o jsonpath=...` needs no server), and the engine must
// print the same bytes for the same object (`-o json` of the same command gives the object
// kubectl evaluated, with the label it added). kubectl is the one the control-plane build
// puts in its cache (scripts/cluster/build.sh); without it the test fails and says so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonPathTemplate } from '../../../src/render/jsonpath.js';
import { REPO_ROOT } from '../../helpers/cli.js';

const cacheDir = execFileSync('bash', [join(REPO_ROOT, 'scripts/cluster/build.sh'), '--print-dir'], {
  encoding: 'utf8',
}).trim();
// EXPOSECTL_TEST_KUBECTL: another kubectl to compare with (e.g. an older release).
const KUBECTL = process.env.EXPOSECTL_TEST_KUBECTL ?? join(cacheDir, 'bin', 'kubectl');
const tmp = mkdtempSync(join(tmpdir(), 'exposectl-jsonpath-'));

/** A document like an ExposureList, as an object kubectl reads (it takes `items` for a list, so they are `exposures`). */
const DOC = {
  apiVersion: 'test.exposectl.dev/v1',
  kind: 'Doc',
  metadata: { name: 'doc', annotations: { 'example.com/owner': 'team-a' } },
  exposures: [
    {
      namespace: 'shop',
      name: 'web',
      kind: 'Service',
      service: { namespace: 'shop', name: 'web' },
      mode: 'l2',
      implementation: 'metallb',
      addresses: ['198.51.100.10', '198.51.100.20'],
      ports: [{ port: 80, protocol: 'TCP', nodePort: 31080, targetPort: 'http' }],
      endpoints: { ready: 2, total: 2 },
      sourceIP: 'preserved',
      status: 'ready',
      ratio: 0.5,
      big: 1234567.5,
      tiny: 0.00001,
      on: true,
    },
    {
      namespace: 'shop',
      name: 'api',
      kind: 'Service',
      service: null,
      mode: 'bgp',
      implementation: null,
      addresses: [],
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 8443, protocol: 'TCP', name: 'alt' },
      ],
      endpoints: null,
      sourceIP: 'lost',
      status: 'degraded',
      reason: 'a <b> & "c"\ttab',
      ratio: 2.25,
      on: false,
    },
    {
      namespace: null,
      name: 'edge',
      kind: 'DaemonSet',
      service: null,
      mode: 'hostnetwork',
      implementation: 'haproxy',
      addresses: ['192.0.2.11'],
      ports: [],
      endpoints: { ready: 0, total: 3 },
      sourceIP: 'unknown',
      status: 'unknown',
      hosts: ['a.example', 'b.example'],
    },
  ],
  nested: { a: { name: 'deep' } },
  text: 'héllo',
};

const TEMPLATES = [
  '{.exposures[*].name}',
  '{.exposures[0]}',
  '{.exposures[0].addresses}',
  '{.exposures[*].addresses}',
  '{.exposures[*].addresses[*]}',
  '{.exposures[-1].name}',
  '{.exposures[0:2].name}',
  '{.exposures[1:].name}',
  '{.exposures[::2].name}',
  '{.exposures[:1].mode}',
  '{.exposures[0,2].name}',
  "{.exposures[0]['name']}",
  '{range .exposures[*]}{.name}{"\\t"}{.mode}{"\\n"}{end}',
  '{range .exposures[*]}[{.name}:{range .addresses[*]}{@} {end}]{end}',
  '{range .exposures[*]}{.ports[*].port}{";"}{end}',
  'names: {.exposures[*].name} done',
  'plain text without actions',
  '{.exposures[?(@.mode=="bgp")].name}',
  "{.exposures[?(@.mode!='bgp')].name}",
  '{.exposures[?(@.endpoints.ready>1)].name}',
  '{.exposures[?(@.endpoints.total<=2)].name}',
  '{.exposures[?(@.ratio<1.0)].name}',
  '{.exposures[?(@.reason)].name}',
  '{.exposures[?(@.on==true)].name}',
  '{.exposures[*].ports[?(@.port>=443)].port}',
  '{.exposures[*].implementation}',
  '{.exposures[1].service}',
  '{.exposures[*].endpoints}',
  '{.exposures[1].reason}',
  '{.exposures[0].ratio} {.exposures[1].ratio} {.exposures[0].big} {.exposures[0].tiny}',
  '{.exposures[*].on}',
  '{.exposures[*].missing}',
  '{.nope.nothing}',
  '{.exposures[0].service..name}',
  '{.nested..name}',
  '{.nested.a.*}',
  '{.text}',
  '{$.metadata.name}',
  '{.metadata.name}{"\\n"}',
  "{'quoted \\\\ text'}",
  '{.exposures[0].ports[0].targetPort}',
  '{.exposures[2].hosts[1]}',
  '{range .exposures[?(@.status!="unknown")]}{.name}={.status}{"\\n"}{end}',
  '{range .exposures[*]}{range .ports[*]}{.port}/{.protocol} {end}{"|"}{end}',
  '{ .exposures[0].name }',
  '{.exposures[0].name}{.exposures[1].name}',
  '{range .nothing[*]}{.x}{end}after',
  '{.exposures[0:2].ports[0].port}',
  '{.metadata.annotations.example\\.com/owner}',
  '{.metadata.labels.exposectl-test}',
  "{.exposures[0].ports[*]['port','protocol']}",
  '{.exposures[-2:].name}',
  '{.exposures[?(@.status!="ready")].name}',
  '{.exposures[?(@.name<"b")].name}',
  '{range .exposures[*]}{.name}{range .hosts[*]}/{@}{end};{end}',
  '{range .exposures[*]}{@.name}{end}',
  '{.exposures[0].endpoints.*}',
  '{.exposures[*].sourceIP}{"\\n"}{.exposures[*].status}',
  '{.exposures[3:3].name}',
];

function kubectlRun(args: string[]): { stdout: string; stderr: string; status: number } {
  const r = spawnSync(KUBECTL, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', KUBECONFIG: join(tmp, 'none') },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

describe('JSONPath engine against kubectl', () => {
  it('finds kubectl in the control-plane cache', () => {
    expect(existsSync(KUBECTL), `missing prerequisite: ${KUBECTL} (build it with npm run cluster:build)`).toBe(true);
  });

  const file = join(tmp, 'doc.json');
  writeFileSync(file, JSON.stringify(DOC));
  const local = ['label', '--local', '-f', file, 'exposectl-test=1'];
  const evaluated = () => {
    const r = kubectlRun([...local, '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as unknown;
  };

  it.each(TEMPLATES)('prints what kubectl prints for %s', (template) => {
    expect(existsSync(KUBECTL), `missing prerequisite: ${KUBECTL}`).toBe(true);
    const r = kubectlRun([...local, '-o', `jsonpath=${template}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(new JsonPathTemplate(template).execute(evaluated())).toBe(r.stdout);
  });

  it.each([
    ['{.exposures[9].name}', /array index out of bounds/],
    ['{.exposures[5:9].name}', /array index out of bounds/],
    ['{.exposures[*].ports[0].port}', /array index out of bounds: index 0, length 0/],
    ['{.exposures[::0].name}', /step must be > 0/],
    ['{.exposures[?(@.name==1)].name}', /incompatible types for comparison/],
    ['{.exposures[0].name', /unclosed action/],
    ['{end}', /not in range, nothing to end/],
    ['{.exposures[?(@.name=="web")}', /unterminated filter|unclosed array/],
    ['{foo}', /unrecognized identifier foo/],
  ])('fails where kubectl fails: %s', (template, message) => {
    const r = kubectlRun([...local, '-o', `jsonpath=${template}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(() => new JsonPathTemplate(template).execute(evaluated())).toThrow(message);
  });
});
