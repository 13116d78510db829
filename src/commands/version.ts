import { Flags } from '@oclif/core';
import { BaseCommand, clusterFlags, colorFlag, outputFlag } from '../cli/base-command.js';
import type { ExposectlError } from '../util/errors.js';
import type { CommandOutput } from '../actions/output.js';
import { missingKubeconfig } from '../sources/load.js';
import type { Component } from '../version/components.js';

export interface VersionInfo {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'Version';
  clientVersion: { exposectl: string; node: string; platform: string };
  /** The API server's /version (gitVersion, platform, ...); absent with --client or without a cluster. */
  serverVersion?: Record<string, unknown>;
  /** MetalLB, Cilium, kube-vip and ingress controllers found by their workloads' images. */
  implementations?: Component[];
}

export default class Version extends BaseCommand<typeof Version> {
  static override summary = 'Print the versions of exposectl, the cluster and the exposure implementations in it.';
  static override description = `The client version (exposectl, Node.js, platform); with a reachable cluster also the API server's version (/version) and the exposure implementations found in it with their versions: MetalLB, Cilium, kube-vip and ingress controllers (ingress-nginx, NGINX, HAProxy, Traefik, Contour, Envoy Gateway, Kong), told by the images of their Deployments and DaemonSets in every namespace.

Without any kubeconfig only the client version is printed (exit 0). A cluster that cannot be reached prints the client version and exits 1. Listing Deployments and DaemonSets needs get/list on them in every namespace (exposectl rbac --read-only grants it); without it the implementations are left out with a warning.`;
  static override examples = [
    { description: 'Client, server and implementations', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Only the client, as JSON', command: '<%= config.bin %> <%= command.id %> --client -o json' },
  ];

  // Reads only the cluster's version and workloads: no namespace or file flags.
  static override baseFlags = { ...clusterFlags, ...colorFlag };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
    client: Flags.boolean({ summary: 'Only the client version; no cluster is asked.', default: false }),
  };

  protected async execute(): Promise<CommandOutput> {
    const f = this.flags;
    const info: VersionInfo = {
      apiVersion: 'exposectl.dev/v1alpha1',
      kind: 'Version',
      clientVersion: { exposectl: this.config.version, node: process.version, platform: `${process.platform}-${process.arch}` },
    };
    const output = (notices: string[] = [], failure?: ExposectlError): CommandOutput => ({
      data: info, notices, ...(failure ? { failure } : {}),
      renderers: { text: async () => (await import('../render/version-text.js')).renderVersion(info) },
    });
    if (f.client) return output();
    const none = await missingKubeconfig(f);
    if (none) return output([`no server version: ${none}`]);
    const { connect } = await import('../kube/client.js');
    const client = await connect({ kubeconfig: f.kubeconfig, context: f.context, requestTimeoutMs: this.requestTimeoutMs() });
    try {
      info.serverVersion = await client.request<Record<string, unknown>>('/version');
    } catch (err) {
      const { mapKubeError } = await import('../kube/errors.js');
      const request = { verb: 'get', resource: 'version', server: client.server, contextName: client.contextName, userName: client.userName, timeoutMs: client.requestTimeoutMs };
      return output([], mapKubeError(err, request));
    } finally {
      await client.close();
    }
    const [{ loadCluster }, { KINDS }, { findComponents }] = await Promise.all([
      import('../sources/cluster.js'), import('../kube/kinds.js'), import('../version/components.js'),
    ]);
    const warnings: string[] = [];
    const load = await loadCluster({
      kubeconfig: f.kubeconfig, context: f.context, allNamespaces: true, requestTimeoutMs: this.requestTimeoutMs(),
      kinds: KINDS.filter((k) => k.group === 'apps' && (k.kind === 'Deployment' || k.kind === 'DaemonSet')),
      onWarning: (message) => warnings.push(`${message}: implementations there are not shown`),
    });
    info.implementations = findComponents(load.snapshot.workloads);
    return { ...output(), warnings };
  }
}
