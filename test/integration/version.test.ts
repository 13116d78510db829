// `exposectl version` against the real control plane: the API server's version and the
// exposure implementations told by the images of Deployments and DaemonSets (kwok plays
// the pods; the images are never pulled).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { kubectl, kubectlJson, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('version');

function workloadYaml(kind: 'Deployment' | 'DaemonSet', name: string, image: string): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: ${ns.name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: ${image}}]`;
}

describe('exposectl version', { timeout: 300_000 }, () => {
  it('prints the server version of /version and the implementations with their image versions', async () => {
    await kubectl(['apply', '-f', '-'], {
      input: [
        workloadYaml('Deployment', 'lb-controller', 'quay.io/metallb/controller:v0.15.3'),
        workloadYaml('DaemonSet', 'lb-speaker', 'quay.io/metallb/speaker:v0.15.3'),
        workloadYaml(
          'Deployment',
          'nginx-controller',
          'registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b',
        ),
      ].join('\n---\n'),
    });
    const server = await kubectlJson<{ serverVersion: { gitVersion: string } }>(['version', '-o', 'json']);
    const env = { KUBECONFIG: testCluster().kubeconfig };
    const r = await runCli(['version', '-o', 'json'], { env, timeoutMs: 240_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as {
      serverVersion: { gitVersion: string };
      implementations: Array<{ name: string; version: string; workload: string }>;
    };
    expect(info.serverVersion.gitVersion).toBe(server.serverVersion.gitVersion);
    const mine = info.implementations.filter((i) => i.workload.startsWith(`${ns.name}/`));
    expect(mine.map((i) => [i.name, i.version, i.workload])).toEqual([
      ['ingress-nginx', 'v1.12.1', `${ns.name}/deployment/nginx-controller`],
      ['MetalLB', 'v0.15.3', `${ns.name}/daemonset/lb-speaker`],
      ['MetalLB', 'v0.15.3', `${ns.name}/deployment/lb-controller`],
    ]);
    const text = await runCli(['version'], { env, timeoutMs: 240_000 });
    expect(text.stdout).toContain(`Server Version: ${server.serverVersion.gitVersion}`);
    expect(text.stdout).toMatch(new RegExp(`^  MetalLB +v0\\.15\\.3 +${ns.name}/deployment/lb-controller$`, 'm'));
  });
});
