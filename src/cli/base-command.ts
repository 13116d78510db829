// The base of every exposectl command: the common kubectl-style flags, snapshot
// loading from files or the cluster, rendering of the typed result, and the mapping
// of errors to the contract's exit codes (0, 1, 2, 3).
import { Command, Flags, type Interfaces } from '@oclif/core';
import type { CommandOutput, Printer, RenderContext } from '../actions/output.js';
import { INPUT_COMPLETENESS, type Snapshot } from '../model/snapshot.js';
import { loadSnapshot, requestTimeoutMs } from '../sources/load.js';
import { EXIT, ExposectlError } from '../util/errors.js';
import { FAIL_ON, type FailOn } from './fail-on.js';
import { checkCommonFlags, cliPrinter, printOutput, renderContext, reportFailure } from './runtime.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<typeof commonFlags & T['flags']>;
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

/** The --fail-on flag of a command whose action returns findings; the base command applies it (cli/runtime.ts printOutput). Here, not in fail-on.ts: the list fast path loads no oclif. */
export function failOnFlag(defaultLevel: FailOn, note?: string) {
  return Flags.string({
    summary: `Exit 3 when a finding has this severity or a worse one${note ? ` (${note})` : ''}.`,
    options: [...FAIL_ON],
    default: defaultLevel,
  });
}

/** The flags that say which cluster to read. */
export const clusterFlags = {
  kubeconfig: Flags.string({
    summary: 'Path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config).',
    helpGroup: 'GLOBAL',
  }),
  context: Flags.string({ summary: 'The kubeconfig context to use.', helpGroup: 'GLOBAL' }),
  'request-timeout': Flags.string({
    summary: 'How long to wait for each API request (e.g. 10s, 1m).',
    default: '30s',
    helpGroup: 'GLOBAL',
  }),
};

export const namespaceFlag = {
  namespace: Flags.string({ char: 'n', summary: "Namespace (default: the context's namespace).", helpGroup: 'GLOBAL' }),
};

/** The flags that say which objects to read: every namespace, or files instead of the cluster. */
export const objectFlags = {
  'all-namespaces': Flags.boolean({
    char: 'A',
    summary: 'Across all namespaces.',
    helpGroup: 'GLOBAL',
    default: false,
  }),
  filename: Flags.string({
    char: 'f',
    summary: 'Read objects from files, folders (recursively) or - for stdin instead of the cluster.',
    multiple: true,
    helpGroup: 'GLOBAL',
  }),
  'input-complete': Flags.string({
    summary:
      'With -f: which kinds the files hold completely, so that what they lack is missing ("not in the input"): auto (a kind the files hold, in the namespaces where they hold it; every kind for a kubectl get -o yaml export or files with Nodes), all (the files are the whole cluster), none (judge only what is present).',
    options: [...INPUT_COMPLETENESS],
    helpGroup: 'GLOBAL',
  }),
};

export const colorFlag = {
  'no-color': Flags.boolean({
    summary: 'Never colour the output (also NO_COLOR=1).',
    helpGroup: 'GLOBAL',
    default: false,
  }),
};

/** Every command that reads objects has all of them. */
const commonFlags = { ...clusterFlags, ...namespaceFlag, ...objectFlags, ...colorFlag };

export abstract class BaseCommand<T extends typeof Command> extends Command {
  /** A command that does not read objects overrides this with the groups it uses (and its flags type keeps them optional). */
  static override baseFlags: Interfaces.FlagInput = commonFlags;

  protected flags!: BaseFlags<T>;
  protected args!: BaseArgs<T>;
  /** The positional words, for a command with `strict = false` (a variable number of arguments). */
  protected words: string[] = [];

  /** Does the work and returns the typed result; never prints. */
  protected abstract execute(): Promise<CommandOutput>;

  override async init(): Promise<void> {
    await super.init();
    const { args, flags, argv } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as BaseArgs<T>;
    this.words = argv as string[];
    checkCommonFlags(this.flags);
  }

  async run(): Promise<void> {
    const result = await this.execute();
    // --fail-on is judged here, once, on the findings the action returned.
    const { output, 'fail-on': failOn } = this.flags as { output?: string; 'fail-on'?: string };
    const exitCode = await printOutput(result, output ?? 'json', this.flags['no-color'], failOn);
    if (exitCode !== EXIT.ok) this.exit(exitCode);
  }

  /** Where a streaming action (list --watch, probe arp --watch) prints as it goes. */
  protected printer(): Printer {
    return cliPrinter((this.flags as { output?: string }).output ?? 'json', this.flags['no-color']);
  }

  protected renderContext(): RenderContext {
    return renderContext(this.flags['no-color']);
  }

  protected requestTimeoutMs(): number {
    return requestTimeoutMs(this.flags);
  }

  /** The objects to work on: from -f files when given, else from the cluster. */
  protected loadSnapshot(): Promise<Snapshot> {
    return loadSnapshot(this.flags);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof ExposectlError) return this.exit(reportFailure(error));
    // oclif's flag and argument errors: one line, as ours (oclif would print several and the whole help).
    if (error.oclif?.exit === EXIT.usage && (error as { code?: string }).code !== 'EEXIT') {
      process.stderr.write(`error: ${oneLine(error.message)}\n`);
      process.stderr.write(
        `hint: see ${[this.config.bin, ...(this.id ?? '').split(':').filter(Boolean)].join(' ')} --help\n`,
      );
      return this.exit(EXIT.usage);
    }
    // oclif's other errors (exit) carry their exit codes already.
    if (error.oclif?.exit !== undefined) return super.catch(error);
    return this.exit(reportFailure(error));
  }
}

/** An oclif message on one line: without its "See more help" line, colours and indentation. */
function oneLine(message: string): string {
  return (
    message
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour escapes it names
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter((line) => line !== '' && line !== 'See more help with --help')
      .join(' ')
  );
}
