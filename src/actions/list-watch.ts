// `exposectl list --watch`: the list again whenever it changes. The cluster is re-read
// every few seconds (an exposure depends on many kinds - Services, EndpointSlices, pools,
// Nodes... - so a change to any of them can change a row); a new list that differs from
// the last one is shown: on a terminal the table is redrawn in place, in a pipe one
// document (or table) is written per change. Runs until interrupted.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Snapshot } from '../model/snapshot.js';
import { readCluster } from '../sources/cluster.js';
import { requestTimeoutMs } from '../sources/load.js';
import { type ListFlags, type ListPlan, listOutput } from './list.js';
import type { CommandOutput, Printer, RenderContext } from './output.js';

/** How often the cluster is read again. */
export const WATCH_INTERVAL_MS = 2000;

export async function watchExposures(flags: ListFlags, plan: ListPlan, printer: Printer): Promise<CommandOutput> {
  const ctx = printer.context;
  const live =
    ctx.tty && (plan.format.kind === 'table' || plan.format.kind === 'wide')
      ? new (await import('../render/live-text.js')).LiveText()
      : undefined;
  const warned = new Set<string>();
  const read = () =>
    readCluster({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      namespace: flags.namespace,
      allNamespaces: flags['all-namespaces'],
      requestTimeoutMs: requestTimeoutMs(flags),
      // Kinds the user may not list: said once, not at every read.
      onWarning: (message) => {
        if (!warned.has(message) && !live) printer.note(`Warning: ${message}`);
        warned.add(message);
      },
    });
  let documents = 0;
  await watchChanges(read, flags, plan, async (output) => {
    if (live) live.show(await renderLive(output, flags.output, ctx));
    else {
      if (plan.format.kind === 'yaml' && documents > 0) printer.line('---');
      await printer.print({ ...output, notices: [] });
    }
    documents++;
  });
  throw new Error('unreachable: the watch ends only when interrupted');
}

/**
 * Reads, and calls `changed` with the list of the first read and of every read whose list
 * differs from the one before; `rounds` reads (tests), else forever.
 */
export async function watchChanges(
  read: () => Promise<Snapshot>,
  flags: ListFlags,
  plan: ListPlan,
  changed: (output: CommandOutput) => Promise<void>,
  { intervalMs = WATCH_INTERVAL_MS, rounds = Infinity }: { intervalMs?: number; rounds?: number } = {},
): Promise<void> {
  let last: string | undefined;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await sleep(intervalMs);
    const output = listOutput(await read(), flags, plan);
    const current = JSON.stringify(output.data);
    if (current === last) continue;
    last = current;
    await changed(output);
  }
}

async function renderLive(output: CommandOutput, format: string, ctx: RenderContext): Promise<string> {
  const rendered = await output.renderers![format]!(ctx);
  const text = typeof rendered === 'string' ? rendered : [...rendered].join('');
  return text === '' ? (output.notices ?? []).join('\n') : text;
}
