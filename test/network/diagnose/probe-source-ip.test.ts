// `diagnose source-ip SERVICE --probe` end to end: the real control plane (kwok fakes the
// Pods, MetalLB assigns the addresses) and a data plane the test plays in network
// namespaces. exposectl deploys its echo and a mirror LoadBalancer Service; MetalLB gives
// the mirror the pool's other address (203.0.113.x), which the root namespace routes into a
// "node" namespace that DNATs it to an echo server in a "pod" namespace (agnhost netexec's
// GET /clientip, played by a few lines of Node): once with SNAT to the node's address (what
// kube-proxy does under externalTrafficPolicy Cluster) and once without (Local). The
// diagnosis must say the client IP was lost and name the Cluster-policy hop (node-1) in the
// first case, and that it survives in the second; the echo objects must be gone after.
//
// The control plane: EXPOSECTL_TEST_CLUSTER_DIR (a cluster started with `npm run cluster:up`)
// or, without it, one this file starts and stops. Needs root, iproute2, iptables, a built CLI.
//   EXPOSECTL_TEST_CLUSTER_DIR=/tmp/c1 npx vitest run --project network test/network/diagnose/probe-source-ip.test.ts
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { stableCli } from '../arp/lab.js';

const run = promisify(execFile);
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };
const ID = randomBytes(3).toString('hex');
const NS = `xsip-${ID}`;
// Documentation addresses only: the pool (two addresses: the user's Service, then the mirror).
const POOL_BASE = 100 + 2 * randomInt(0, 50);
const POOL = [`203.0.113.${POOL_BASE}`, `203.0.113.${POOL_BASE + 1}`];
// root <-> node: a /30 of 192.0.2.128/25; node -> pod: 198.51.100.0/24; node-1's InternalIP is 192.0.2.11.
const LINK = 128 + 4 * randomInt(0, 31);
const ROOT_ADDR = `192.0.2.${LINK + 1}`;
const NODE_FRONT = `192.0.2.${LINK + 2}`;
const NODE_BACK = '198.51.100.1';
const POD = '198.51.100.10';
const NODE1 = '192.0.2.11';
const ECHO_PORT = 8080;

async function sh(cmd: string, args: string[]): Promise<string> {
  try {
    return (await run(cmd, args, { env: ENV, timeout: 60_000 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr?.trim() || err.message}`);
  }
}

// ---- the control plane -----------------------------------------------------------------

interface Cluster {
  dir: string;
  kubeconfig: string;
  kubectl: string;
  ownDir?: string;
}
let cluster: Cluster;

async function startCluster(): Promise<Cluster> {
  const shared = process.env.EXPOSECTL_TEST_CLUSTER_DIR;
  let dir = shared;
  let ownDir: string | undefined;
  if (!dir) {
    ownDir = mkdtempSync(path.join(tmpdir(), 'xsip-cluster-'));
    dir = ownDir;
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/cluster/up.ts'), '--dir', dir, '--no-build'], {
      cwd: REPO_ROOT,
      env: ENV,
      timeout: 240_000,
    }).catch((e: { stderr?: string; message: string }) => {
      throw new Error(
        `no control plane: EXPOSECTL_TEST_CLUSTER_DIR is not set and scripts/cluster/up.ts failed (build it with npm run cluster:build): ${e.stderr?.trim().split('\n').slice(-5).join(' | ') || e.message}`,
      );
    });
    void r;
  }
  const file = path.join(dir, 'cluster.json');
  if (!existsSync(file))
    throw new Error(`no control plane: ${file} does not exist (start one with npm run cluster:up -- --dir ${dir})`);
  const c = JSON.parse(readFileSync(file, 'utf8')) as { kubeconfig: string; binDir: string };
  return { dir, kubeconfig: c.kubeconfig, kubectl: path.join(c.binDir, 'kubectl'), ...(ownDir ? { ownDir } : {}) };
}

async function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cluster.kubectl,
      ['--kubeconfig', cluster.kubeconfig, '--cache-dir', path.join(cluster.dir, 'kube-cache'), ...args],
      { env: ENV, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

// ---- the data plane ---------------------------------------------------------------------

const dir = mkdtempSync(path.join(tmpdir(), 'xsip-'));
let cli = '';
const ECHO = path.join(dir, 'clientip-echo.mjs');
// agnhost netexec's /clientip, as far as the probe reads it: the peer "ip:port".
writeFileSync(
  ECHO,
  `import http from 'node:http';
http.createServer((req, res) => {
  if (req.url === '/clientip') res.end(req.socket.remoteAddress.replace(/^::ffff:/, '') + ':' + req.socket.remotePort);
  else { res.statusCode = 404; res.end('not found'); }
}).listen(${ECHO_PORT}, '${POD}', () => console.log('listening'));
`,
);
const netns = (role: string) => `xsip-${ID}-${role}`;
const ROOT_IF = `xsip${ID}`;
const children: ChildProcess[] = [];
const made: string[] = [];

async function createLab(): Promise<void> {
  for (const role of ['node', 'pod']) {
    await sh('ip', ['netns', 'add', netns(role)]);
    made.push(netns(role));
    await sh('ip', ['-n', netns(role), 'link', 'set', 'lo', 'up']);
  }
  // root <-> node
  await sh('ip', ['link', 'add', ROOT_IF, 'type', 'veth', 'peer', 'name', `${ROOT_IF}n`]);
  await sh('ip', ['link', 'set', `${ROOT_IF}n`, 'netns', netns('node')]);
  await sh('ip', ['-n', netns('node'), 'link', 'set', `${ROOT_IF}n`, 'name', 'front']);
  await sh('ip', ['addr', 'add', `${ROOT_ADDR}/30`, 'dev', ROOT_IF]);
  await sh('ip', ['link', 'set', ROOT_IF, 'up']);
  await sh('ip', ['-n', netns('node'), 'addr', 'add', `${NODE_FRONT}/30`, 'dev', 'front']);
  await sh('ip', ['-n', netns('node'), 'link', 'set', 'front', 'up']);
  // node <-> pod
  await sh('ip', ['link', 'add', `${ROOT_IF}b`, 'type', 'veth', 'peer', 'name', `${ROOT_IF}p`]);
  await sh('ip', ['link', 'set', `${ROOT_IF}b`, 'netns', netns('node')]);
  await sh('ip', ['link', 'set', `${ROOT_IF}p`, 'netns', netns('pod')]);
  await sh('ip', ['-n', netns('node'), 'link', 'set', `${ROOT_IF}b`, 'name', 'back']);
  await sh('ip', ['-n', netns('pod'), 'link', 'set', `${ROOT_IF}p`, 'name', 'eth0']);
  await sh('ip', ['-n', netns('node'), 'addr', 'add', `${NODE_BACK}/24`, 'dev', 'back']);
  await sh('ip', ['-n', netns('node'), 'addr', 'add', `${NODE1}/32`, 'dev', 'lo']);
  await sh('ip', ['-n', netns('pod'), 'addr', 'add', `${POD}/24`, 'dev', 'eth0']);
  await sh('ip', ['-n', netns('node'), 'link', 'set', 'back', 'up']);
  await sh('ip', ['-n', netns('pod'), 'link', 'set', 'eth0', 'up']);
  await sh('ip', ['-n', netns('pod'), 'route', 'add', 'default', 'via', NODE_BACK]);
  await sh('ip', ['-n', netns('node'), 'route', 'add', 'default', 'via', ROOT_ADDR]);
  await sh('ip', ['netns', 'exec', netns('node'), 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  // The LoadBalancer addresses reach the node (as an L2/BGP announcer would send them there)...
  for (const a of POOL) await sh('ip', ['route', 'add', `${a}/32`, 'via', NODE_FRONT, 'dev', ROOT_IF]);
  // ...whose kube-proxy DNATs them to the Pod.
  for (const a of POOL)
    await iptables([
      '-t',
      'nat',
      '-A',
      'PREROUTING',
      '-d',
      a,
      '-p',
      'tcp',
      '--dport',
      '80',
      '-j',
      'DNAT',
      '--to-destination',
      `${POD}:${ECHO_PORT}`,
    ]);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', netns('pod'), process.execPath, ECHO], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    const t = setTimeout(() => reject(new Error(`echo did not start: ${out}`)), 15_000);
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening')) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
  });
}

const SNAT = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'back', '-p', 'tcp', '-j', 'SNAT', '--to-source', NODE1];
function iptables(args: string[]): Promise<string> {
  return sh('ip', ['netns', 'exec', netns('node'), 'iptables', '-w', ...args]);
}

async function destroyLab(): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  for (const a of POOL) await sh('ip', ['route', 'del', `${a}/32`]).catch(() => undefined);
  await sh('ip', ['link', 'del', ROOT_IF]).catch(() => undefined);
  for (const n of made) await sh('ip', ['netns', 'del', n]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

// ---- the cluster objects ----------------------------------------------------------------

const objects = (policy: 'Cluster' | 'Local') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NS}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: registry.example/web:1, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${NS}, annotations: {metallb.io/address-pool: ${NS}}}
spec:
  type: LoadBalancer
  externalTrafficPolicy: ${policy}
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`;

async function resourceVersion(): Promise<string> {
  return (await kubectl(['get', 'service', 'web', '-n', NS, '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();
}

async function owned(): Promise<string> {
  return (
    await kubectl([
      'get',
      'pods,services,ingresses',
      '-n',
      NS,
      '-l',
      'app.kubernetes.io/managed-by=exposectl',
      '-o',
      'name',
    ])
  ).trim();
}

interface Report {
  findings: Array<{ code: string; message: string; subject: { kind: string; namespace: string | null; name: string } }>;
}

async function diagnose(): Promise<{ report: Report; stderr: string; exitCode: number }> {
  // A private copy of the build: another rebuild of dist/ in this tree cannot pull it from under the run.
  const r = await execa(
    process.execPath,
    [
      cli,
      'diagnose',
      'source-ip',
      `${NS}/web`,
      '--probe',
      '--kubeconfig',
      cluster.kubeconfig,
      '-o',
      'json',
      '--fail-on',
      'none',
      '--echo-timeout',
      '60s',
    ],
    {
      env: { NO_COLOR: '', DEBUG: '' },
      reject: false,
      timeout: 110_000,
      cwd: REPO_ROOT,
    },
  );
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`diagnose printed no JSON (exit ${r.exitCode}): ${r.stdout}\n${r.stderr}`);
  }
  return { report, stderr: r.stderr, exitCode: r.exitCode ?? -1 };
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this test needs root (network namespaces, iptables)');
  if (!existsSync(path.join(REPO_ROOT, 'dist'))) throw new Error('no built CLI: run npm run build first');
  cli = stableCli(dir);
  cluster = await startCluster();
  await kubectl(['create', 'namespace', NS]);
  await kubectl(
    ['apply', '-f', '-'],
    `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: ${NS}, namespace: metallb-system}
spec:
  addresses: [${POOL[0]}-${POOL[1]}]
  autoAssign: false
  serviceAllocation: {namespaces: [${NS}]}
`,
  );
  await createLab();
}, 300_000);

afterAll(async () => {
  await destroyLab();
  if (cluster) {
    await kubectl(['delete', 'ipaddresspool', NS, '-n', 'metallb-system', '--ignore-not-found']).catch(() => undefined);
    await kubectl(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']).catch(() => undefined);
    if (cluster.ownDir) {
      await run(process.execPath, [path.join(REPO_ROOT, 'scripts/cluster/down.ts'), '--dir', cluster.ownDir], {
        cwd: REPO_ROOT,
        env: ENV,
        timeout: 60_000,
      }).catch(() => undefined);
      rmSync(cluster.ownDir, { recursive: true, force: true });
    }
  }
}, 120_000);

describe('diagnose source-ip --probe through a mirror LoadBalancer Service', () => {
  // The pool's address Service web does not hold: the mirror's.
  let mirrorAddress = '';
  test('externalTrafficPolicy Cluster, the node SNATs: the client IP is lost and the Cluster-policy hop (node-1) is named', async () => {
    await kubectl(['apply', '-f', '-'], objects('Cluster'));
    const webAddress = await waitUntil(
      'the address of Service web',
      async () =>
        (
          await kubectl(['get', 'svc', 'web', '-n', NS, '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])
        ).trim() || undefined,
    );
    mirrorAddress = POOL.find((a) => a !== webAddress)!;
    await iptables(SNAT);
    const before = await resourceVersion();
    const { report, stderr, exitCode } = await diagnose();
    expect(exitCode, stderr).toBe(0);
    const proof = report.findings.filter((f) => f.code === 'source-ip/etp-cluster' && f.message.startsWith('Probe:'));
    expect(proof, JSON.stringify(report.findings, null, 2)).toHaveLength(1);
    expect(proof[0]!.subject).toEqual({ kind: 'Service', namespace: NS, name: 'web' });
    expect(proof[0]!.message).toContain(`a request from ${ROOT_ADDR} to ${mirrorAddress}:80`);
    expect(proof[0]!.message).toContain(`from ${NODE1}, the address of node node-1`);
    expect(proof[0]!.message).toContain('externalTrafficPolicy Cluster');
    expect(stderr).toMatch(/client address was LOST/);
    expect(stderr).toMatch(/created pod\/exposectl-echo-[0-9a-f]{6}, service\/exposectl-echo-[0-9a-f]{6}/);
    // The user's Service is untouched, the echo objects are gone.
    expect(await resourceVersion()).toBe(before);
    expect(await owned()).toBe('');
  });

  test('externalTrafficPolicy Local, no SNAT: the client IP survives and no probe finding is raised', async () => {
    await iptables(['-t', 'nat', '-D', ...SNAT.slice(3)]);
    await kubectl(['apply', '-f', '-'], objects('Local'));
    const before = await resourceVersion();
    const { report, stderr, exitCode } = await diagnose();
    expect(exitCode, stderr).toBe(0);
    expect(report.findings.filter((f) => f.code.startsWith('source-ip/'))).toEqual([]);
    expect(stderr).toContain(
      `source-ip probe: a request from ${ROOT_ADDR} to ${mirrorAddress}:80 through the exposure of Service ${NS}/web reached the echo from ${ROOT_ADDR}: the client address survives`,
    );
    expect(await resourceVersion()).toBe(before);
    expect(await owned()).toBe('');
  });
});
