// `exposectl unexpose SERVICE`: find what exposectl made for the Service, delete it (front
// objects first) or, with --dry-run, say what would go and what stays. The command only
// declares and parses the flags.
import type { DryRun } from '../expose/run.js';
import { executeUnexpose, planUnexposeLive } from '../expose/unexpose.js';
import { asList, objectRef, renderActions, renderNames } from '../render/applied.js';
import { type CommonFlags, requestTimeoutMs } from '../sources/load.js';
import { parseServiceArg } from '../topology/service-arg.js';
import type { CommandOutput } from './output.js';

export interface UnexposeFlags extends CommonFlags {
  'dry-run': string;
}

export async function unexpose(serviceArg: string, flags: UnexposeFlags): Promise<CommandOutput> {
  const dryRun = flags['dry-run'] as DryRun;
  const { connect } = await import('../kube/client.js');
  const client = await connect({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    requestTimeoutMs: requestTimeoutMs(flags),
  });
  try {
    const target = parseServiceArg(serviceArg, flags.namespace ?? client.namespace);
    const planned = await planUnexposeLive(client, target);
    // client: print the plan, write nothing
    const plan = dryRun === 'client' ? planned : await executeUnexpose(client, planned, dryRun === 'server');
    const nothing = plan.delete.length === 0 && plan.revert.length === 0;
    const calico = plan.calico;
    const patched = calico?.patched && calico.removed.length > 0 ? [calico.patched] : [];
    return {
      data: {
        ...asList(plan.delete),
        kept: plan.keep.map((k) => ({
          object: objectRef(k.obj),
          namespace: k.obj.metadata.namespace,
          reason: k.reason,
        })),
      },
      notices: [
        ...plan.keep.map((k) => `kept ${objectRef(k.obj)}: ${k.reason}`),
        ...(calico?.removed ?? []).map(
          (c) =>
            `${c} leaves serviceLoadBalancerIPs of BGPConfiguration default: exposectl added it and no other exposure needs it`,
        ),
        ...(calico?.release ?? [])
          .filter((c) => !calico!.removed.includes(c.toLowerCase()))
          .map((c) => `kept ${c} in serviceLoadBalancerIPs of BGPConfiguration default: exposectl did not add it`),
        ...(nothing ? [`nothing of exposectl's to delete for service ${target.namespace}/${target.name}`] : []),
      ],
      renderers: {
        text: () =>
          renderActions(plan.delete, 'deleted', dryRun) +
          renderActions(plan.revert, 'reverted', dryRun) +
          renderActions(patched, 'patched', dryRun),
        name: () => renderNames(plan.delete),
      },
    };
  } finally {
    await client.close();
  }
}
