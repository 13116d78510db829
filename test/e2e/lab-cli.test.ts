// The lab's own commands on folders of their own (not the lab of the global setup):
// lab:down after a crash and twice, lab:up refusing a folder that holds a lab, lab:exec,
// and bad input as exit 2 naming what to do. Needs root (network namespaces).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, listNamespaces, startDetached } from '../../scripts/lab/host.ts';
import { createNetwork, destroyNetwork } from '../../scripts/lab/network.ts';
import { writeState } from '../../scripts/lab/state.ts';
import { labId, nsPrefix } from '../../scripts/lab/topology.ts';
import { REPO_ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` };

async function script(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/lab', name), ...args], {
      env: ENV,
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const dirs: string[] = [];
function freshDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-labcli-'));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const d of dirs.splice(0)) {
    await destroyNetwork(labId(d));
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('lab commands', () => {
  it('lab:down after a crash: stops the recorded host process and every process in the lab namespaces, removes them; twice is fine', async () => {
    const dir = freshDir();
    const id = labId(dir);
    createNetwork(id);
    // What a crashed lab leaves: a process in a node namespace, one in the client, a host process recorded in lab.json.
    const inNode = startDetached(`${nsPrefix(id)}node-2`, 'sleep', ['300'], path.join(dir, 'lab/logs/a.log'));
    const inClient = startDetached(`${nsPrefix(id)}client`, 'sleep', ['301'], path.join(dir, 'lab/logs/b.log'));
    const onHost = startDetached(undefined, 'sleep', ['302'], path.join(dir, 'lab/logs/c.log'));
    writeState({
      id,
      dir,
      startedAt: '',
      proxyMode: 'iptables',
      clusterBinDir: '',
      labBinDir: '',
      kubeconfig: '',
      kubeconfigInNamespaces: '',
      apiSocket: '',
      hostProcesses: { kubelet: { pid: onHost.pid, cmdline: ['sleep', '302'] } },
      timingsMs: {},
    });
    await new Promise((r) => setTimeout(r, 300));
    expect([inNode.pid, inClient.pid, onHost.pid].every(isAlive)).toBe(true);

    const first = await script('down.ts', ['--dir', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(listNamespaces().filter((n) => n.startsWith(nsPrefix(id)))).toEqual([]);
    expect([inNode.pid, inClient.pid, onHost.pid].filter(isAlive)).toEqual([]);

    const second = await script('down.ts', ['--dir', dir]);
    expect(second.code, second.stderr).toBe(0);
  });

  it('lab:down leaves alone a recorded pid that now runs something else', async () => {
    const dir = freshDir();
    const other = startDetached(undefined, 'sleep', ['303'], path.join(dir, 'other.log'));
    writeState({
      id: labId(dir),
      dir,
      startedAt: '',
      proxyMode: 'iptables',
      clusterBinDir: '',
      labBinDir: '',
      kubeconfig: '',
      kubeconfigInNamespaces: '',
      apiSocket: '',
      hostProcesses: { kubelet: { pid: other.pid, cmdline: ['node', 'scripts/lab/kubelet.ts'] } },
      timingsMs: {},
    });
    const r = await script('down.ts', ['--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(isAlive(other.pid)).toBe(true);
    process.kill(other.pid, 'SIGKILL');
  });

  it('lab:up refuses a folder that already holds a lab (exit 2, nothing started, says to run lab:down)', async () => {
    const dir = freshDir();
    createNetwork(labId(dir));
    const r = await script('up.ts', ['--dir', dir, '--no-build']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds a lab');
    expect(r.stderr).toContain(`npm run lab:down -- --dir ${dir}`);
    expect(fs.existsSync(path.join(dir, 'cluster.json'))).toBe(false);
  });

  it('lab:up refuses a folder whose lab lost its namespaces but whose recorded host process still runs (exit 2)', async () => {
    const dir = freshDir();
    const kubelet = startDetached(undefined, 'sleep', ['304'], path.join(dir, 'lab/logs/k.log'));
    try {
      writeState({
        id: labId(dir),
        dir,
        startedAt: '',
        proxyMode: 'iptables',
        clusterBinDir: '',
        labBinDir: '',
        kubeconfig: '',
        kubeconfigInNamespaces: '',
        apiSocket: '',
        hostProcesses: { kubelet: { pid: kubelet.pid, cmdline: ['sleep', '304'] } },
        timingsMs: {},
      });
      const r = await script('up.ts', ['--dir', dir, '--no-build']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('already holds a lab (processes kubelet)');
      expect(r.stderr).toContain(`npm run lab:down -- --dir ${dir}`);
      expect(fs.existsSync(path.join(dir, 'cluster.json'))).toBe(false);
    } finally {
      process.kill(kubelet.pid, 'SIGKILL');
    }
  });

  it('lab:up refuses a folder holding a running control plane of cluster:up, and leaves it running (exit 2)', async () => {
    const dir = freshDir();
    const apiserver = startDetached(undefined, 'sleep', ['305'], path.join(dir, 'logs/kube-apiserver.log'));
    fs.mkdirSync(path.join(dir, 'pids'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pids/kube-apiserver.pid'), `${apiserver.pid}\n`);
    try {
      const r = await script('up.ts', ['--dir', dir, '--no-build']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${dir} already holds a running control plane (kube-apiserver)`);
      expect(r.stderr).toContain(`npm run cluster:down -- --dir ${dir}`);
      expect(isAlive(apiserver.pid)).toBe(true);
      expect(listNamespaces().filter((n) => n.startsWith(nsPrefix(labId(dir))))).toEqual([]);
    } finally {
      process.kill(apiserver.pid, 'SIGKILL');
    }
  });

  it('lab:up names a missing prerequisite with its Debian package (exit 2, nothing started)', async () => {
    // A PATH with a shell but without curl and openssl (the sbin tools stay reachable).
    const dir = freshDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'scripts/lab/up.ts'), '--no-build', '--dir', dir], {
      env: { ...process.env, PATH: bin },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? '' }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing prerequisite: openssl (Debian package openssl), curl (Debian package curl)');
    expect(r.stderr).toContain('bash .ci/system-packages.sh');
    expect(fs.existsSync(path.join(dir, 'cluster.json'))).toBe(false);
  });

  it('lab:up refuses an --apiserver-port in use before starting anything (exit 2, says what to do)', async () => {
    const dir = freshDir();
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = await script('up.ts', ['--dir', dir, '--no-build', '--apiserver-port', String(port)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is not available (EADDRINUSE)`);
      expect(r.stderr).toContain('leave --apiserver-port out to get a free one');
      // nothing started: no control plane files, no lab namespaces
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(listNamespaces().filter((n) => n.startsWith(nsPrefix(labId(dir))))).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it("lab:exec runs the command in the named namespace and returns its exit code; an unknown namespace lists the lab's", async () => {
    const dir = freshDir();
    createNetwork(labId(dir));
    const ok = await script('exec.ts', ['--dir', dir, 'node-1', '--', 'ip', '-4', 'addr', 'show', 'eth0']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('192.0.2.11/24');
    expect((await script('exec.ts', ['--dir', dir, 'client', '--', 'false'])).code).toBe(1);
    const bad = await script('exec.ts', ['--dir', dir, 'node-9', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no lab namespace node-9; the lab has: .*client.*node-1/);
  });

  it('bad input is exit 2 with the usage: unknown option, wrong proxy mode, missing --dir, bad echo names', async () => {
    for (const [file, args, message] of [
      // (--no-build: a regression here must not start a build)
      ['up.ts', ['--no-build', '--dir', '/tmp/x', '--proxy-mode', 'ipvs'], '--proxy-mode must be iptables or nftables'],
      ['up.ts', ['--no-build', '--dir', '/tmp/x', '--frobnicate'], 'unknown option: --frobnicate'],
      ['up.ts', ['--no-build', '--dir', '/tmp/x', '--apiserver-port', '70000'], '--apiserver-port: not a port: 70000'],
      ['down.ts', [], '--dir DIR is required'],
      ['echo.ts', ['--dir', '/tmp/x', '-n', 'Bad_NS', '--name', 'web'], 'must be a DNS label'],
      ['echo.ts', ['--dir', '/tmp/x', '-n', 'ok', '--name', 'web', '--replicas', 'many'], '--replicas must be 0..100'],
      ['exec.ts', ['--dir', '/tmp/x', 'client'], 'give the command after --'],
    ] as const) {
      const r = await script(file, [...args]);
      expect(r.code, `${file} ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('usage: npm run lab:');
    }
  });
});
