// The warning when a kubeconfig turns TLS verification off.
import { describe, expect, it } from 'vitest';
import type { RawKubeconfig } from '../../../src/kube/kubeconfig.js';
import { insecureTlsWarning, warnIfInsecureTls } from '../../../src/kube/tls-warning.js';

function resolved(clusterName: string, server: string, cluster: Record<string, unknown>) {
  const config: RawKubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, ...cluster } }],
    users: [],
    contexts: [],
  };
  return { clusterName, server, config, inCluster: false };
}

describe('insecure-skip-tls-verify', () => {
  it('warns, naming the cluster, only when the kubeconfig sets it to true on an https server', () => {
    expect(insecureTlsWarning(resolved('prod', 'https://192.0.2.1:6443', { 'insecure-skip-tls-verify': true }))).toBe(
      'TLS verification is off for cluster "prod" (https://192.0.2.1:6443): insecure-skip-tls-verify is set in the kubeconfig, so the API server\'s identity is not checked',
    );
    expect(
      insecureTlsWarning(resolved('prod', 'https://192.0.2.1:6443', { 'certificate-authority-data': 'x' })),
    ).toBeUndefined();
    expect(
      insecureTlsWarning(resolved('prod', 'https://192.0.2.1:6443', { 'insecure-skip-tls-verify': false })),
    ).toBeUndefined();
    // A string is not a YAML boolean: @kubernetes/client-node keeps verifying, so no warning.
    expect(
      insecureTlsWarning(resolved('prod', 'https://192.0.2.1:6443', { 'insecure-skip-tls-verify': 'true' })),
    ).toBeUndefined();
    // kubectl proxy: no TLS at all, nothing to verify.
    expect(
      insecureTlsWarning(resolved('proxy', 'http://127.0.0.1:8001', { 'insecure-skip-tls-verify': true })),
    ).toBeUndefined();
  });

  it('says it once per cluster and process', () => {
    const lines: string[] = [];
    const r = resolved('once-only', 'https://192.0.2.2:6443', { 'insecure-skip-tls-verify': true });
    warnIfInsecureTls(r, (l) => lines.push(l));
    warnIfInsecureTls(r, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Warning: TLS verification is off for cluster "once-only"/);
  });
});
