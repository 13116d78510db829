// Starts a real Kubernetes control plane on loopback for the tests (see docs/development.md):
//   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok (fake nodes and pods)
//   and the MetalLB controller (out of cluster), with the MetalLB and Gateway API CRDs.
//
//   npm run cluster:up -- --dir DIR [--no-build] [--apiserver-port N] [--gateway-api-channel standard|experimental]
//
// Writes DIR/kubeconfig (admin, system:masters), DIR/kubeconfig-readonly (user
// exposectl-readonly, bound to the built-in `view` ClusterRole), DIR/cluster.json (ports,
// pids, binaries, timings), DIR/pids/*.pid, DIR/logs/*.log, DIR/pki/*. Returns when ready.
// Run with Node >= 23.6 (types are stripped natively): erasable TypeScript only.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * CRDs outside the control-plane cache (whose key must not change for them): the
 * hand-written ones in the repository (test/crds/*), and those scripts/cluster/crds-extra.sh
 * fetched from Go modules into their own cache (its last line of output: the folder).
 */
function extraCrdDirs(): string[] {
  // Every folder of test/crds: CRDs written by hand where a project's Go modules are not served (Calico, Multus, Emissary).
  const own = path.join(HERE, '..', '..', 'test', 'crds');
  const dirs = fs
    .readdirSync(own)
    .sort()
    .map((d) => path.join(own, d))
    .filter((d) => fs.statSync(d).isDirectory());
  const extra = spawnSync('bash', [path.join(HERE, 'crds-extra.sh'), '--print-dir'], { encoding: 'utf8' });
  const dir = extra.status === 0 ? (extra.stdout.trim().split('\n').at(-1) ?? '') : '';
  if (dir && fs.existsSync(path.join(dir, '.complete'))) {
    for (const sub of fs.readdirSync(dir).sort())
      if (fs.statSync(path.join(dir, sub)).isDirectory()) dirs.push(path.join(dir, sub));
  }
  return dirs;
}

/** The cluster's fixed shape: tests may rely on these. */
const SERVICE_CIDR = '10.96.0.0/16';
const POD_CIDR = '10.244.0.0/16';
/** Extra apiserver serving-cert address reachable from test network namespaces. */
const TEST_NETNS_APISERVER_IP = '192.0.2.1';
const NODES = [
  { name: 'node-1', ip: '192.0.2.11', podCIDR: '10.244.1.0/24' },
  { name: 'node-2', ip: '192.0.2.12', podCIDR: '10.244.2.0/24' },
  { name: 'node-3', ip: '192.0.2.13', podCIDR: '10.244.3.0/24' },
];
const READONLY_USER = 'exposectl-readonly';

/** Components in start order; cluster:down stops them in reverse order. */
const COMPONENTS = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'metallb-controller',
] as const;
type Component = (typeof COMPONENTS)[number];

interface Options {
  dir: string;
  build: boolean;
  apiserverPort: number | undefined;
  gatewayChannel: 'standard' | 'experimental';
}

class UsageError extends Error {}

function usage(): string {
  return [
    'usage: npm run cluster:up -- --dir DIR [--no-build] [--apiserver-port N] [--gateway-api-channel standard|experimental]',
    '  --dir DIR                  state folder (created if missing): kubeconfig, pki, logs, pids, etcd data',
    '  --no-build                 fail instead of building when the cached binaries are missing',
    '  --apiserver-port N         fixed kube-apiserver port on 127.0.0.1 (default: a free port)',
    '  --gateway-api-channel C    which Gateway API CRD channel to install (default: experimental, a superset of standard)',
  ].join('\n');
}

function parseArgs(argv: string[]): Options {
  let dir: string | undefined;
  let build = true;
  let apiserverPort: number | undefined;
  let gatewayChannel: 'standard' | 'experimental' = 'experimental';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--dir':
        dir = value();
        break;
      case '--no-build':
        build = false;
        break;
      case '--apiserver-port': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--apiserver-port: not a port: ${a}`);
        apiserverPort = n;
        break;
      }
      case '--gateway-api-channel': {
        const v = value();
        if (v !== 'standard' && v !== 'experimental')
          throw new UsageError(`--gateway-api-channel must be standard or experimental, not ${v}`);
        gatewayChannel = v;
        break;
      }
      case '-h':
      case '--help':
        console.log(usage());
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown argument: ${a}`);
    }
  }
  if (dir === undefined) throw new UsageError('--dir DIR is required');
  // `npm run` changes the working directory to the package root; resolve against the caller's.
  const base = process.env.INIT_CWD ?? process.cwd();
  return { dir: path.resolve(base, dir), build, apiserverPort, gatewayChannel };
}

// ---------------------------------------------------------------------------------------------
// small utilities

function log(msg: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[cluster:up ${t}] ${msg}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): string {
  const r = spawnSync(cmd, args, {
    input: opts.input,
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(
      `${path.basename(cmd)} ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stderr}${r.stdout}`,
    );
  }
  return r.stdout;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reserve `n` distinct free TCP ports on 127.0.0.1 (held open together, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve());
      });
      ports.push((s.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

async function assertPortFree(port: number, what: string): Promise<void> {
  const s = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    throw new Error(`port ${port} on 127.0.0.1 (for ${what}) is already in use: ${(e as Error).message}`);
  } finally {
    await new Promise<void>((r) => s.close(() => r()));
  }
}

interface Probe {
  url: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure?: boolean;
}

/** GET url; resolves with [status, body] or rejects on connection errors. */
function get(p: Probe, timeoutMs = 3000): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const u = new URL(p.url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(
      u,
      u.protocol === 'https:'
        ? { ca: p.ca, cert: p.cert, key: p.key, rejectUnauthorized: !p.insecure, timeout: timeoutMs }
        : { timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve([res.statusCode ?? 0, body]));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// state

interface ClusterState {
  dir: string;
  startedAt: string;
  versions: Record<string, string>;
  binDir: string;
  crdDir: string;
  kubeconfig: string;
  kubeconfigReadonly: string;
  apiserverUrl: string;
  ports: Record<string, number>;
  pids: Partial<Record<Component, number>>;
  binaries: Partial<Record<Component, string>>;
  /** How each component was started: restart.ts starts one again the same way. */
  commands: Partial<Record<Component, { args: string[]; env: Record<string, string> }>>;
  timingsMs: Record<string, number>;
  nodes: typeof NODES;
}

function readVersions(): Record<string, string> {
  const text = fs.readFileSync(path.join(HERE, 'versions.env'), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (m?.[1] && m[2]) out[m[1]] = m[2];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// certificates (openssl)

function certificates(pki: string): void {
  fs.mkdirSync(pki, { recursive: true, mode: 0o700 });
  const want = [
    'ca.crt',
    'ca.key',
    'apiserver.crt',
    'apiserver.key',
    'admin.crt',
    'admin.key',
    'readonly.crt',
    'readonly.key',
    'sa.key',
    'sa.pub',
  ];
  if (want.every((f) => fs.existsSync(path.join(pki, f)))) {
    log(`reusing certificates in ${pki}`);
    return;
  }
  const ossl = (args: string[]): void => {
    run('openssl', args, { cwd: pki });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3650',
    '-subj',
    '/CN=exposectl-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const leaf = (name: string, subj: string, eku: string, san?: string): void => {
    const args = [
      'req',
      '-x509',
      ...ec,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      '3650',
      '-subj',
      subj,
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-addext',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext',
      `extendedKeyUsage=${eku}`,
    ];
    if (san) args.push('-addext', `subjectAltName=${san}`);
    ossl(args);
  };
  leaf(
    'apiserver',
    '/CN=kube-apiserver',
    'serverAuth',
    `IP:127.0.0.1,DNS:localhost,IP:${TEST_NETNS_APISERVER_IP},IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
  );
  leaf('admin', '/O=system:masters/CN=admin', 'clientAuth');
  leaf('readonly', `/CN=${READONLY_USER}`, 'clientAuth');
  ossl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key']);
  ossl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  for (const f of fs.readdirSync(pki)) if (f.endsWith('.key')) fs.chmodSync(path.join(pki, f), 0o600);
}

function kubeconfigText(server: string, pki: string, user: string, certName: string): string {
  const b64 = (f: string): string => fs.readFileSync(path.join(pki, f)).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: exposectl-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64('ca.crt')}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(`${certName}.crt`)}`,
    `    client-key-data: ${b64(`${certName}.key`)}`,
    'contexts:',
    `- name: ${user}@exposectl-test`,
    '  context:',
    '    cluster: exposectl-test',
    `    user: ${user}`,
    '    namespace: default',
    `current-context: ${user}@exposectl-test`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// processes

class Cluster {
  readonly started: { name: Component; pid: number; child: ChildProcess }[] = [];
  readonly opts: Options;
  readonly state: ClusterState;
  constructor(opts: Options, state: ClusterState) {
    this.opts = opts;
    this.state = state;
  }

  logFile(name: string): string {
    return path.join(this.opts.dir, 'logs', `${name}.log`);
  }

  start(name: Component, args: string[], env: Record<string, string> = {}): void {
    const bin = this.state.binaries[name];
    if (!bin) throw new Error(`internal: no binary for ${name}`);
    const logPath = this.logFile(name);
    fs.writeFileSync(logPath, `# ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
    const fd = fs.openSync(logPath, 'a');
    const child = spawn(bin, args, {
      detached: true, // own process group: survives `cluster:up` returning, not hit by its Ctrl-C
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...env },
      cwd: this.opts.dir,
    });
    fs.closeSync(fd);
    if (child.pid === undefined) throw new Error(`${name}: could not start ${bin}`);
    child.on('error', () => {});
    child.unref();
    this.started.push({ name, pid: child.pid, child });
    this.state.pids[name] = child.pid;
    this.state.commands[name] = { args, env };
    fs.writeFileSync(path.join(this.opts.dir, 'pids', `${name}.pid`), `${child.pid}\n`);
    this.save();
  }

  save(): void {
    fs.writeFileSync(path.join(this.opts.dir, 'cluster.json'), `${JSON.stringify(this.state, null, 2)}\n`);
  }

  tail(name: string, lines = 25): string {
    try {
      return fs
        .readFileSync(this.logFile(name), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .map((l) => `    ${l}`)
        .join('\n');
    } catch {
      return '    (no log)';
    }
  }

  /** Poll `check` until it returns true; fail early if the component's process exited. */
  async waitFor(name: Component, what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const proc = this.started.find((s) => s.name === name);
    let lastErr = '';
    while (Date.now() < deadline) {
      if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null || !isAlive(proc.pid))) {
        const code = proc.child.exitCode ?? proc.child.signalCode ?? '?';
        const tail = this.tail(name);
        const hint = /address already in use/i.test(tail) ? '\n  (a port it needs is already in use)' : '';
        throw new Error(
          `${name} exited (${code}) before ${what}; last lines of ${this.logFile(name)}:\n${tail}${hint}`,
        );
      }
      try {
        if (await check()) return;
      } catch (e) {
        lastErr = (e as Error).message;
      }
      await sleep(200);
    }
    throw new Error(
      `timed out after ${timeoutMs / 1000}s waiting for ${what}${lastErr ? ` (last error: ${lastErr})` : ''}; last lines of ${this.logFile(name)}:\n${this.tail(name)}`,
    );
  }

  /** On failure: stop what this run started (TERM, then KILL). */
  async stopAll(): Promise<void> {
    for (const s of [...this.started].reverse()) {
      try {
        process.kill(s.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && this.started.some((s) => isAlive(s.pid))) await sleep(100);
    for (const s of this.started) {
      if (isAlive(s.pid)) {
        try {
          process.kill(s.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      try {
        fs.rmSync(path.join(this.opts.dir, 'pids', `${s.name}.pid`), { force: true });
      } catch {
        /* ignore */
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// main

async function main(): Promise<void> {
  const tAll = Date.now();
  const opts = parseArgs(process.argv.slice(2));
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = Date.now();
    const r = await f();
    timings[name] = Date.now() - t0;
    log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return r;
  };

  for (const sub of ['', 'pids', 'logs', 'pki', 'etcd']) fs.mkdirSync(path.join(opts.dir, sub), { recursive: true });

  // Refuse to start twice in the same folder.
  const pidDir = path.join(opts.dir, 'pids');
  for (const f of fs.readdirSync(pidDir)) {
    const pid = Number(fs.readFileSync(path.join(pidDir, f), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new Error(
        `a cluster is already running in ${opts.dir} (${f.replace(/\.pid$/, '')} pid ${pid}); run: npm run cluster:down -- --dir ${opts.dir}`,
      );
    }
  }
  if (spawnSync('openssl', ['version']).status !== 0)
    throw new Error('missing prerequisite: openssl (Debian package openssl)');

  // 1. binaries
  const versions = readVersions();
  const buildScript = path.join(HERE, 'build.sh');
  const binDir = await timed('build (or reuse) binaries', () => {
    if (!opts.build) {
      const out = run('bash', [buildScript, '--print-dir']).trim();
      return path.join(out, 'bin');
    }
    const r = spawnSync('bash', [buildScript], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`scripts/cluster/build.sh failed (exit ${r.status ?? r.signal}); see its messages above`);
    const lines = r.stdout.trim().split('\n');
    return (lines[lines.length - 1] ?? '').trim();
  });
  const cacheDir = path.dirname(binDir);
  const crdDir = path.join(cacheDir, 'crds');
  const binaries: Partial<Record<Component, string>> = {};
  const missing: string[] = [];
  for (const c of COMPONENTS) {
    const p = path.join(binDir, c);
    binaries[c] = p;
    try {
      fs.accessSync(p, fs.constants.X_OK);
    } catch {
      missing.push(p);
    }
  }
  const kubectl = path.join(binDir, 'kubectl');
  if (!fs.existsSync(kubectl)) missing.push(kubectl);
  if (!fs.existsSync(path.join(crdDir, '.complete'))) missing.push(`${crdDir}/ (CRDs)`);
  if (missing.length) {
    throw new Error(`missing control-plane binaries (run: bash scripts/cluster/build.sh):\n  ${missing.join('\n  ')}`);
  }

  // 2. ports and certificates
  const pki = path.join(opts.dir, 'pki');
  const names = ['etcd', 'etcdPeer', 'apiserver', 'controllerManager', 'scheduler', 'kwok', 'metallbMetrics'] as const;
  const ports: Record<string, number> = {};
  await timed('ports and certificates', async () => {
    const picked = await freePorts(names.length);
    names.forEach((n, i) => {
      ports[n] = picked[i] ?? 0;
    });
    if (opts.apiserverPort !== undefined) {
      await assertPortFree(opts.apiserverPort, 'kube-apiserver (--apiserver-port)');
      ports.apiserver = opts.apiserverPort;
    }
    certificates(pki);
  });
  const apiserverUrl = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfig = path.join(opts.dir, 'kubeconfig');
  const kubeconfigReadonly = path.join(opts.dir, 'kubeconfig-readonly');
  fs.writeFileSync(kubeconfig, kubeconfigText(apiserverUrl, pki, 'admin', 'admin'), { mode: 0o600 });
  fs.writeFileSync(kubeconfigReadonly, kubeconfigText(apiserverUrl, pki, READONLY_USER, 'readonly'), { mode: 0o600 });

  const state: ClusterState = {
    dir: opts.dir,
    startedAt: new Date().toISOString(),
    versions,
    binDir,
    crdDir,
    kubeconfig,
    kubeconfigReadonly,
    apiserverUrl,
    ports,
    pids: {},
    binaries: { ...binaries },
    commands: {},
    timingsMs: timings,
    nodes: NODES,
  };
  const cluster = new Cluster(opts, state);
  const k = (args: string[], input?: string): string =>
    run(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(opts.dir, 'kube-cache'), ...args], { input });
  const pf = (f: string): string => path.join(pki, f);
  const ca = fs.readFileSync(pf('ca.crt'));
  const admin = { ca, cert: fs.readFileSync(pf('admin.crt')), key: fs.readFileSync(pf('admin.key')) };

  // Ctrl-C or SIGTERM while starting: stop what was started, leave no orphans behind.
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping the ${cluster.started.length} processes this run started`);
    void cluster.stopAll().finally(() => {
      state.pids = {};
      cluster.save();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // 3. etcd
    await timed('etcd ready', async () => {
      const e = `http://127.0.0.1:${ports.etcd}`;
      const peer = `http://127.0.0.1:${ports.etcdPeer}`;
      cluster.start('etcd', [
        '--name=exposectl-test',
        `--data-dir=${path.join(opts.dir, 'etcd')}`,
        `--listen-client-urls=${e}`,
        `--advertise-client-urls=${e}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=exposectl-test=${peer}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ]);
      await cluster.waitFor(
        'etcd',
        'etcd /health',
        async () => {
          const [code, body] = await get({ url: `${e}/health` });
          return code === 200 && body.includes('"health":"true"');
        },
        60_000,
      );
    });

    // 4. kube-apiserver
    await timed('kube-apiserver ready', async () => {
      cluster.start('kube-apiserver', [
        `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${ports.apiserver}`,
        `--tls-cert-file=${pf('apiserver.crt')}`,
        `--tls-private-key-file=${pf('apiserver.key')}`,
        `--client-ca-file=${pf('ca.crt')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pf('sa.pub')}`,
        `--service-account-signing-key-file=${pf('sa.key')}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--authorization-mode=RBAC',
        '--allow-privileged=true',
        '--endpoint-reconciler-type=none',
        '--advertise-address=127.0.0.1',
        '--profiling=false',
        '--v=1',
      ]);
      await cluster.waitFor(
        'kube-apiserver',
        'kube-apiserver /readyz',
        async () => {
          const [code] = await get({ url: `${apiserverUrl}/readyz`, ...admin });
          return code === 200;
        },
        120_000,
      );
    });

    // 5. controllers and scheduler (in the background) while the CRDs go in
    const kcmStart = Date.now();
    cluster.start('kube-controller-manager', [
      `--kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${pf('sa.key')}`,
      `--root-ca-file=${pf('ca.crt')}`,
      `--cluster-signing-cert-file=${pf('ca.crt')}`,
      `--cluster-signing-key-file=${pf('ca.key')}`,
      '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics',
      '--profiling=false',
      '--v=1',
    ]);
    cluster.start('kube-scheduler', [
      `--kubeconfig=${kubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--leader-elect=false',
      '--profiling=false',
      '--v=1',
    ]);
    cluster.start('kwok', [
      `--kubeconfig=${kubeconfig}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--cidr=${POD_CIDR}`,
      '--node-lease-duration-seconds=40',
      `--server-address=127.0.0.1:${ports.kwok}`,
      // Pods with this label are run for real by the lab's kubelet (scripts/lab/kubelet.ts).
      // kwok marks the flag deprecated (in favour of Stages) but v0.7.0 honours it.
      '--disregard-status-with-label-selector=exposectl.dev/lab-kubelet=true',
    ]);

    await timed('CRDs installed and established', () => {
      const files: string[] = [];
      for (const d of [
        ...['metallb', path.join('gateway-api', opts.gatewayChannel)].map((sub) => path.join(crdDir, sub)),
        ...extraCrdDirs(),
      ]) {
        for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.yaml')) files.push(path.join(d, f));
      }
      k([
        'apply',
        '--server-side',
        '--force-conflicts',
        '--field-manager=exposectl-cluster-up',
        ...files.flatMap((f) => ['-f', f]),
      ]);
      k(['wait', '--for=condition=Established', '--timeout=60s', ...files.flatMap((f) => ['-f', f])]);
    });

    await timed('namespace, nodes, RBAC objects applied', () => {
      const docs: string[] = [
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: metallb-system\n',
        [
          'apiVersion: rbac.authorization.k8s.io/v1',
          'kind: ClusterRoleBinding',
          'metadata:',
          `  name: ${READONLY_USER}-view`,
          '  labels: {app.kubernetes.io/managed-by: exposectl-cluster-up}',
          'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
          `subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${READONLY_USER}}]`,
          '',
        ].join('\n'),
      ];
      for (const n of NODES) {
        docs.push(
          [
            'apiVersion: v1',
            'kind: Node',
            'metadata:',
            `  name: ${n.name}`,
            '  annotations:',
            '    kwok.x-k8s.io/node: fake',
            `    node.alpha.kubernetes.io/ttl: "0"`,
            '  labels:',
            '    type: kwok',
            `    kubernetes.io/hostname: ${n.name}`,
            '    kubernetes.io/os: linux',
            '    kubernetes.io/arch: amd64',
            'spec:',
            `  podCIDR: ${n.podCIDR}`,
            `  podCIDRs: [${n.podCIDR}]`,
            'status:',
            '  addresses:',
            `  - {type: InternalIP, address: ${n.ip}}`,
            `  - {type: Hostname, address: ${n.name}}`,
            '  allocatable: {cpu: "32", memory: 128Gi, pods: "110"}',
            '  capacity: {cpu: "32", memory: 128Gi, pods: "110"}',
            '',
          ].join('\n'),
        );
      }
      k(['apply', '--server-side', '--field-manager=exposectl-cluster-up', '-f', '-'], docs.join('---\n'));
    });

    await timed('kube-controller-manager and kube-scheduler healthy', async () => {
      await cluster.waitFor(
        'kube-controller-manager',
        'kube-controller-manager /healthz',
        async () => {
          const [code] = await get({ url: `https://127.0.0.1:${ports.controllerManager}/healthz`, insecure: true });
          return code === 200;
        },
        120_000,
      );
      await cluster.waitFor(
        'kube-scheduler',
        'kube-scheduler /healthz',
        async () => {
          const [code] = await get({ url: `https://127.0.0.1:${ports.scheduler}/healthz`, insecure: true });
          return code === 200;
        },
        120_000,
      );
      // The service-account controller creates `default` in every namespace: pods need it.
      await cluster.waitFor(
        'kube-controller-manager',
        'serviceaccount default/default',
        async () => {
          const [code] = await get({
            url: `${apiserverUrl}/api/v1/namespaces/default/serviceaccounts/default`,
            ...admin,
          });
          return code === 200;
        },
        120_000,
      );
      timings['controllers since start'] = Date.now() - kcmStart;
    });

    await timed('kwok nodes Ready', async () => {
      await cluster.waitFor(
        'kwok',
        'kwok /healthz',
        async () => {
          const [code] = await get({ url: `http://127.0.0.1:${ports.kwok}/healthz` });
          return code === 200;
        },
        60_000,
      );
      await cluster.waitFor(
        'kwok',
        `nodes ${NODES.map((n) => n.name).join(', ')} Ready`,
        async () => {
          const [code, body] = await get({ url: `${apiserverUrl}/api/v1/nodes`, ...admin });
          if (code !== 200) return false;
          const list = JSON.parse(body) as {
            items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
          };
          return NODES.every((n) =>
            list.items.some(
              (it) =>
                it.metadata.name === n.name &&
                (it.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
            ),
          );
        },
        60_000,
      );
    });

    await timed('metallb-controller ready', async () => {
      cluster.start(
        'metallb-controller',
        [
          '--namespace=metallb-system',
          '--webhook-mode=disabled',
          '--disable-cert-rotation=true',
          `--port=${ports.metallbMetrics}`,
          '--log-level=info',
        ],
        { KUBECONFIG: kubeconfig },
      );
      await cluster.waitFor(
        'metallb-controller',
        'metallb-controller /metrics',
        async () => {
          const [code] = await get({ url: `http://127.0.0.1:${ports.metallbMetrics}/metrics` });
          return code === 200;
        },
        60_000,
      );
    });
  } catch (e) {
    log(`start-up failed; stopping the ${cluster.started.length} processes this run started`);
    await cluster.stopAll();
    state.pids = {};
    cluster.save();
    throw e;
  }

  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  timings.total = Date.now() - tAll;
  cluster.save();
  const lines = [
    `control plane ready in ${(timings.total / 1000).toFixed(1)}s (${opts.dir})`,
    ...Object.entries(timings).map(([n, ms]) => `  ${n.padEnd(52)} ${(ms / 1000).toFixed(1).padStart(6)}s`),
    `  kube-apiserver  ${apiserverUrl}`,
    `  pids            ${COMPONENTS.map((c) => `${c}=${state.pids[c] ?? '-'}`).join(' ')}`,
    `  kubeconfig      ${kubeconfig}`,
    `  readonly        ${kubeconfigReadonly}  (user ${READONLY_USER}, ClusterRole view)`,
    `  kubectl         ${kubectl}`,
    `  logs            ${path.join(opts.dir, 'logs')}`,
    `  stop with       npm run cluster:down -- --dir ${opts.dir}`,
  ];
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`cluster:up: ${e.message}\n${usage()}\n`);
    process.exit(2);
  }
  process.stderr.write(`cluster:up: FAILED: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
