// `exposectl expose SERVICE --mode M`: check the flags, find the Service (in the -f files or
// the cluster), read the facts the pre-flight checks need, plan, apply and (--wait) wait
// until it serves. The command only declares and parses the flags.
import { FACT_KINDS, factsFromLoad } from '../expose/facts.js';
import { createProgress } from '../expose/progress.js';
import type { ReadinessCheck } from '../expose/readiness.js';
import { applyPlan, checkOptions, type DryRun, planOrFail, waitUntilServing } from '../expose/run.js';
import { type ExposeFlagValues, optionsFromFlags } from '../expose/spec-from-flags.js';
import { serviceFromFiles } from '../expose/target.js';
import type { KubeClient } from '../kube/client.js';
import type { InputCompleteness, Service } from '../model/snapshot.js';
import type { ExposeFacts, ExposeSpec } from '../modes/index.js';
import { asList, renderActions, renderNames } from '../render/applied.js';
import type { CommonFlags } from '../sources/load.js';
import { requestTimeoutMs } from '../sources/load.js';
import { parseServiceArg } from '../topology/service-arg.js';
import { parseDuration } from '../util/duration.js';
import { RuntimeError, UsageError } from '../util/errors.js';
import type { CommandOutput, RenderContext } from './output.js';

export interface ExposeFlags extends ExposeFlagValues, CommonFlags {
  'dry-run': string;
  wait: boolean;
  timeout: string;
  force: boolean;
  'force-conflicts': boolean;
}

export async function expose(
  serviceArg: string | undefined,
  flags: ExposeFlags,
  ctx: RenderContext,
): Promise<CommandOutput> {
  const dryRun = flags['dry-run'] as DryRun;
  const files = flags.filename ?? [];
  const timeoutMs = parseDuration(flags.timeout, 'timeout');
  if (dryRun === 'client' && flags.wait) throw new UsageError('--wait cannot be used with --dry-run=client');
  if (files.length === 0 && !serviceArg)
    throw new UsageError('name the Service to expose, or give it with -f', 'exposectl expose SERVICE --mode M');
  // Every check of the flags alone comes before the first request: exit 2 even with the cluster down.
  const options = optionsFromFlags(flags);
  checkOptions(options);
  if (serviceArg) parseServiceArg(serviceArg, 'default');

  const offline = dryRun === 'client' && files.length > 0;
  let service: Service;
  let facts: ExposeFacts = {};
  let client: KubeClient | undefined;
  if (files.length > 0) {
    const { readManifests } = await import('../sources/files.js');
    const complete = flags['input-complete'] as InputCompleteness | undefined;
    const snapshot = await readManifests(files, {
      defaultNamespace: flags.namespace ?? 'default',
      ...(complete ? { completeness: complete } : {}),
    });
    const target = serviceArg ? parseServiceArg(serviceArg, flags.namespace ?? 'default') : undefined;
    service = serviceFromFiles(snapshot, target);
  }
  if (!offline) {
    const { connect } = await import('../kube/client.js');
    client = await connect({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      requestTimeoutMs: requestTimeoutMs(flags),
    });
    const namespace = flags.namespace ?? client.namespace;
    if (files.length === 0) service = await liveService(client, parseServiceArg(serviceArg!, namespace));
    const { loadCluster } = await import('../sources/cluster.js');
    facts = factsFromLoad(
      await loadCluster({
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        allNamespaces: true,
        requestTimeoutMs: requestTimeoutMs(flags),
        kinds: FACT_KINDS,
      }),
    );
  }

  const spec: ExposeSpec = { service: service!, ...options };
  const plan = planOrFail(spec, facts);
  let objects = plan.manifests;
  let readiness: ReadinessCheck[] | undefined;
  let failure: RuntimeError | undefined;
  try {
    if (client && dryRun !== 'client') {
      // client: print the plan, write nothing
      objects = await applyPlan(client, plan, {
        dryRun: dryRun === 'server',
        force: flags.force,
        forceConflicts: flags['force-conflicts'],
      });
      if (flags.wait && dryRun === 'none') {
        const progress = await createProgress(Boolean(process.stderr.isTTY), ctx.color);
        try {
          readiness = await waitUntilServing(client, spec, plan.manifests, { timeoutMs, progress });
        } catch (err) {
          if (!(err instanceof RuntimeError)) throw err;
          failure = err; // the objects are applied: say so, then why the wait failed
        }
      }
    }
  } finally {
    await client?.close();
  }
  const verb = 'serverside-applied';
  return {
    data: asList(objects),
    notices: plan.notes.map((n) => `Note: ${n}`),
    ...(failure ? { failure } : {}),
    renderers: {
      text: () =>
        renderActions(objects, dryRun === 'client' ? 'planned' : verb, dryRun) +
        (readiness
          ? `serving: ${readiness
              .filter((c) => c.detail !== 'present')
              .map((c) => `${c.what} ${c.detail}`)
              .join(', ')}\n`
          : ''),
      name: () => renderNames(objects),
    },
  };
}

async function liveService(client: KubeClient, target: { namespace: string; name: string }): Promise<Service> {
  const { getObject } = await import('../kube/objects.js');
  const svc = await getObject(client, {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: target.namespace,
    name: target.name,
  });
  if (!svc) throw new UsageError(`service "${target.name}" not found in namespace "${target.namespace}"`);
  return svc as unknown as Service;
}
