import { Flags } from '@oclif/core';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, colorFlag, namespaceFlag, outputFlag } from '../cli/base-command.js';
import { EXPOSE_MODES } from '../modes/index.js';

export default class Rbac extends BaseCommand<typeof Rbac> {
  static override summary = 'Print the minimal RBAC role exposectl needs: read-only, or to expose in one mode.';
  static override description =
    `Prints, ready for kubectl apply -f -, the ClusterRole (and Roles) that exposectl needs, derived from the tables and generators the commands use, so it grants exactly what they ask for.

--read-only: get and list of every kind list, describe, topology, diagnose and the probes read (Services, EndpointSlices, Pods, Nodes, workloads, Ingresses, classes, ConfigMaps, Gateway API, MetalLB and Cilium objects), and get of /apis (API discovery). It is a ClusterRole: those commands read cluster-scoped kinds and, with -A, every namespace.

--mode M: the read-only rules (expose's pre-flight checks read the whole cluster, for address and port collisions) plus create, patch and delete of exactly the kinds mode M writes (server-side apply creates with create and updates with patch; unexpose deletes), and create of selfsubjectaccessreviews (expose and unexpose check every write before the first one). Without -n the writes are allowed in every namespace (one ClusterRole). With -n NAMESPACE they go into a Role in NAMESPACE, plus one in metallb-system for l2 and bgp (MetalLB's pools, advertisements and peers live there; they affect the whole cluster), and the reads, which stay cluster-wide, into a ClusterRole NAME-read.

Secrets are not readable by default: exposectl lists only their metadata (to check that a TLS Secret exists), but RBAC cannot grant metadata only, and list on secrets reveals every Secret's data. Without it, that check is skipped and said so. --with-secrets adds list secrets.

--bind adds, per subject (user, group or service account), a ClusterRoleBinding (and RoleBindings) named after the role and the subject, so binding someone else later adds to, never replaces, the earlier bindings. Nothing is sent to a cluster.`;

  static override examples = [
    {
      description: 'A read-only role for list, describe, topology and diagnose, applied and bound to a group',
      command: '<%= config.bin %> <%= command.id %> --read-only --bind group:sre | kubectl apply -f -',
    },
    {
      description: 'What expose --mode l2 needs, for a CI service account',
      command: '<%= config.bin %> <%= command.id %> --mode l2 --bind serviceaccount:ci/deployer | kubectl apply -f -',
    },
    {
      description: 'Gateway API exposures only in namespace shop (a Role there), as JSON',
      command: '<%= config.bin %> <%= command.id %> --mode gateway -n shop --name shop-exposer -o json',
    },
    {
      description: 'Compare with what a user may do now',
      command: '<%= config.bin %> <%= command.id %> --mode nodeport -o yaml > need.yaml && kubectl auth can-i --list',
    },
  ];

  // Nothing is read or sent: no cluster or file flags.
  static override baseFlags = { ...namespaceFlag, ...colorFlag };

  static override flags = {
    output: outputFlag(['yaml', 'json']),
    mode: Flags.string({
      summary: 'The expose mode to allow (read-only rules included).',
      options: [...EXPOSE_MODES],
      exclusive: ['read-only'],
    }),
    'read-only': Flags.boolean({
      summary: 'Only what the read-only commands need.',
      default: false,
      exclusive: ['mode'],
    }),
    name: Flags.string({ summary: 'Name of the roles and bindings (default exposectl-read-only or exposectl-MODE).' }),
    bind: Flags.string({
      summary: 'Also bind the role to user:NAME, group:NAME or serviceaccount:NAMESPACE/NAME (repeatable).',
      multiple: true,
    }),
    'with-secrets': Flags.boolean({
      summary: 'Also allow listing Secrets (lets expose check --tls-secret; reveals Secret data to the role holder).',
      default: false,
    }),
  };

  protected async execute(): Promise<CommandOutput> {
    const { rbacRoles } = await import('../actions/rbac.js');
    return rbacRoles(this.flags);
  }
}
