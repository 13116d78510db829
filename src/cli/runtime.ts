// The steps of running a command that need no CLI framework: checking the common flags,
// reading the snapshot, printing the result and reporting a failure with its exit code.
// The oclif base command and the fast path (src/cli/fast-path.ts) both run on them.
import { colorEnabled } from './color.js';
import { debug, debugEnabled } from './debug.js';
import { parseDuration } from './duration.js';
import { EXIT, ExposectlError, oneLine, UsageError } from './errors.js';
import type { CommandOutput, RenderContext } from './output.js';
import { redactText } from './redact.js';
import type { Snapshot } from '../model/snapshot.js';
import { toJsonChunks } from '../render/json.js';

/** The flags every command that reads objects has (see BaseCommand.baseFlags); others have some of them. */
export interface CommonFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'all-namespaces': boolean;
  filename?: string[];
  'no-color': boolean;
  'request-timeout': string;
}

const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Usage errors in the common flags, found before any work (also for -f, which makes no request). */
export function checkCommonFlags(flags: CommonFlags): void {
  if (flags['all-namespaces'] && flags.namespace !== undefined) {
    throw new UsageError('--namespace and --all-namespaces cannot be used together');
  }
  if (flags.namespace !== undefined && !NAMESPACE.test(flags.namespace)) {
    throw new UsageError(`invalid namespace ${JSON.stringify(flags.namespace)}: namespaces are DNS labels (at most 63 lower-case letters, digits and "-")`);
  }
  if (flags['request-timeout'] !== undefined) requestTimeoutMs(flags);
}

export function requestTimeoutMs(flags: Pick<CommonFlags, 'request-timeout'>): number {
  return parseDuration(flags['request-timeout'], 'request-timeout');
}

/** The objects to work on: from -f files when given, else from the cluster. */
export async function loadSnapshot(flags: CommonFlags): Promise<Snapshot> {
  const files = flags.filename ?? [];
  if (files.length > 0) {
    const { readManifests } = await import('../sources/files.js');
    return readManifests(files, { defaultNamespace: flags.namespace ?? 'default' });
  }
  const { readCluster } = await import('../sources/cluster.js');
  return readCluster({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    namespace: flags.namespace,
    allNamespaces: flags['all-namespaces'],
    requestTimeoutMs: requestTimeoutMs(flags),
    // Kinds the user may not list (nodes, secrets, CRDs for a read-only user) stay empty: say so.
    onWarning: (message) => process.stderr.write(`Warning: ${message}\n`),
  });
}

/**
 * Why there is no cluster, when nothing names one (no -f, --kubeconfig or --context) and no
 * kubeconfig exists ($KUBECONFIG, ~/.kube/config, in-cluster): for commands that work
 * without a cluster (probe bgp records, version prints the client's). A kubeconfig that
 * exists but is broken or unreachable stays an error.
 */
export async function missingKubeconfig(flags: Pick<CommonFlags, 'filename' | 'kubeconfig' | 'context'>): Promise<string | undefined> {
  if ((flags.filename ?? []).length > 0 || flags.kubeconfig !== undefined || flags.context !== undefined) return undefined;
  const { kubeconfigFiles, resolveKubeconfig } = await import('../kube/kubeconfig.js');
  if (kubeconfigFiles(undefined).length > 0) return undefined;
  try {
    resolveKubeconfig(); // in-cluster
    return undefined;
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
}

export function renderContext(noColor: boolean): RenderContext {
  const tty = Boolean(process.stdout.isTTY);
  return { tty, color: colorEnabled(process.stdout, noColor), columns: tty ? process.stdout.columns : undefined };
}

/**
 * Prints a command's result (warnings and notices on stderr, the document in the -o
 * format on stdout) and returns its exit code; a failure that came after part of the work
 * is thrown after the result is printed.
 */
export async function printOutput(result: CommandOutput, format: string, noColor: boolean): Promise<number> {
  for (const warning of result.warnings ?? []) process.stderr.write(`Warning: ${oneLine(redactText(warning))}\n`);
  for (const notice of result.notices ?? []) process.stderr.write(`${oneLine(redactText(notice))}\n`);
  const text = await render(result, format, noColor);
  // Wait until stdout has taken all of it: a non-zero exit (findings) ends the process
  // right after, and a pipe (`diagnose -o json | jq`) would get only the first part.
  const chunks = typeof text !== 'string' ? text : text === '' ? [] : [text.endsWith('\n') ? text : `${text}\n`];
  if (result.keep) {
    // A document that cannot be made again is never lost to a failed write (cli/keep-output.ts).
    const { writeKept } = await import('./keep-output.js');
    await writeKept(chunks, result.data, result.keep);
  } else {
    const write = (chunk: string) => new Promise<void>((resolve) => process.stdout.write(chunk, () => resolve()));
    for (const chunk of chunks) await write(chunk);
  }
  if (result.failure) throw result.failure;
  return result.exitCode ?? EXIT.ok;
}

async function render(result: CommandOutput, format: string, noColor: boolean): Promise<string | Iterable<string>> {
  const renderer = result.renderers?.[format];
  if (renderer) return renderer(renderContext(noColor));
  // In pieces: a document can be longer than the longest string V8 holds (probe bgp of a full table).
  if (format === 'json') return toJsonChunks(result.data);
  if (format === 'yaml') return (await import('../render/yaml.js')).toYaml(result.data);
  throw new UsageError(`output format ${format} is not supported by this command`);
}

/** Prints a failure as one `error:` line (plus a hint) and returns its exit code. No stack trace unless DEBUG. */
export function reportFailure(error: unknown): number {
  if (error instanceof ExposectlError) {
    process.stderr.write(`error: ${redactText(error.message)}\n`);
    for (const line of error.details) process.stderr.write(`${redactText(line)}\n`);
    if (error.hint) process.stderr.write(`hint: ${redactText(error.hint)}\n`);
    if (debugEnabled() && error.stack) debug(error.stack);
    if (debugEnabled() && error.cause instanceof Error && error.cause.stack) debug(`caused by: ${error.cause.stack}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${oneLine(redactText(message))}\n`);
  if (debugEnabled()) debug(error instanceof Error ? (error.stack ?? message) : message);
  else process.stderr.write('hint: run with DEBUG=exposectl for details\n');
  return EXIT.runtime;
}
