// The base of every exposectl command: the common kubectl-style flags, snapshot
// loading from files or the cluster, rendering of the typed result, and the mapping
// of errors to the contract's exit codes (0, 1, 2, 3).
import { Command, Flags, type Interfaces } from '@oclif/core';
import { colorEnabled } from './color.js';
import { debug, debugEnabled } from './debug.js';
import { redactText } from './redact.js';
import { parseDuration } from './duration.js';
import { EXIT, ExposectlError, UsageError } from './errors.js';
import type { CommandOutput, RenderContext } from './output.js';
import type { Snapshot } from '../model/snapshot.js';
import { toJson } from '../render/json.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/** The -o flag with the formats a command supports; the first is the default. */
export function outputFlag(formats: readonly [string, ...string[]], defaultFormat = formats[0]) {
  return Flags.string({
    char: 'o',
    summary: `Output format: ${formats.join('|')}.`,
    options: [...formats],
    default: defaultFormat,
    helpGroup: 'GLOBAL',
  });
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    kubeconfig: Flags.string({ summary: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).', helpGroup: 'GLOBAL' }),
    context: Flags.string({ summary: 'The kubeconfig context to use.', helpGroup: 'GLOBAL' }),
    namespace: Flags.string({ char: 'n', summary: "Namespace (default: the context's namespace).", helpGroup: 'GLOBAL' }),
    'all-namespaces': Flags.boolean({ char: 'A', summary: 'Across all namespaces.', helpGroup: 'GLOBAL', default: false }),
    filename: Flags.string({
      char: 'f',
      summary: 'Read objects from files, folders (recursively) or - for stdin instead of the cluster.',
      multiple: true,
      helpGroup: 'GLOBAL',
    }),
    'no-color': Flags.boolean({ summary: 'Never colour the output (also NO_COLOR=1).', helpGroup: 'GLOBAL', default: false }),
    'request-timeout': Flags.string({ summary: 'How long to wait for each API request (e.g. 10s, 1m).', default: '30s', helpGroup: 'GLOBAL' }),
  };

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;

  /** Does the work and returns the typed result; never prints. */
  protected abstract execute(): Promise<CommandOutput>;

  override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    if (this.flags['all-namespaces'] && this.flags.namespace !== undefined) {
      throw new UsageError('--namespace and --all-namespaces cannot be used together');
    }
    const namespace = this.flags.namespace;
    if (namespace !== undefined && !/^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
      throw new UsageError(`invalid namespace ${JSON.stringify(namespace)}: namespaces are DNS labels (at most 63 lower-case letters, digits and "-")`);
    }
    // A bad value is a usage error even when no request is made (-f files).
    this.requestTimeoutMs();
  }

  async run(): Promise<void> {
    const result = await this.execute();
    for (const warning of result.warnings ?? []) process.stderr.write(`Warning: ${redactText(warning)}\n`);
    for (const notice of result.notices ?? []) process.stderr.write(`${redactText(notice)}\n`);
    const format = (this.flags as { output?: string }).output ?? 'json';
    const text = await this.render(result, format);
    if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (result.failure) throw result.failure;
    if (result.exitCode) this.exit(result.exitCode);
  }

  protected renderContext(): RenderContext {
    const tty = Boolean(process.stdout.isTTY);
    return { tty, color: colorEnabled(process.stdout, this.flags['no-color']), columns: tty ? process.stdout.columns : undefined };
  }

  private async render(result: CommandOutput, format: string): Promise<string> {
    const renderer = result.renderers?.[format];
    if (renderer) return renderer(this.renderContext());
    if (format === 'json') return toJson(result.data);
    if (format === 'yaml') return (await import('../render/yaml.js')).toYaml(result.data);
    throw new UsageError(`output format ${format} is not supported by this command`);
  }

  protected requestTimeoutMs(): number {
    return parseDuration(this.flags['request-timeout'], 'request-timeout');
  }

  /** The objects to work on: from -f files when given, else from the cluster. */
  protected async loadSnapshot(): Promise<Snapshot> {
    const files = this.flags.filename ?? [];
    if (files.length > 0) {
      const { readManifests } = await import('../sources/files.js');
      return readManifests(files, { defaultNamespace: this.flags.namespace ?? 'default' });
    }
    const { readCluster } = await import('../sources/cluster.js');
    return readCluster({
      kubeconfig: this.flags.kubeconfig,
      context: this.flags.context,
      namespace: this.flags.namespace,
      allNamespaces: this.flags['all-namespaces'],
      requestTimeoutMs: this.requestTimeoutMs(),
      // Kinds the user may not list (nodes, secrets, CRDs for a read-only user) stay empty: say so.
      onWarning: (message) => process.stderr.write(`Warning: ${message}\n`),
    });
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof ExposectlError) {
      process.stderr.write(`error: ${redactText(error.message)}\n`);
      if (error.hint) process.stderr.write(`hint: ${redactText(error.hint)}\n`);
      if (debugEnabled() && error.stack) debug(error.stack);
      if (debugEnabled() && error.cause instanceof Error && error.cause.stack) debug(`caused by: ${error.cause.stack}`);
      return this.exit(error.exitCode);
    }
    // oclif's flag and argument errors: one line, as ours (oclif would print several and the whole help).
    if (error.oclif?.exit === EXIT.usage && (error as { code?: string }).code !== 'EEXIT') {
      process.stderr.write(`error: ${oneLine(error.message)}\n`);
      process.stderr.write(`hint: see ${[this.config.bin, ...(this.id ?? '').split(':').filter(Boolean)].join(' ')} --help\n`);
      return this.exit(EXIT.usage);
    }
    // oclif's other errors (exit) carry their exit codes already.
    if (error.oclif?.exit !== undefined) return super.catch(error);
    process.stderr.write(`error: ${redactText(error.message)}\n`);
    if (debugEnabled()) debug(error.stack ?? String(error));
    else process.stderr.write('hint: run with DEBUG=exposectl for details\n');
    return this.exit(EXIT.runtime);
  }
}

/** An oclif message on one line: without its "See more help" line, colours and indentation. */
function oneLine(message: string): string {
  return message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '' && line !== 'See more help with --help')
    .join(' ');
}
