import { Args } from '@oclif/core';
import { codesOutput } from '../actions/codes.js';
import type { CommandOutput } from '../actions/output.js';
import { BaseCommand, colorFlag, outputFlag } from '../cli/base-command.js';

export default class Codes extends BaseCommand<typeof Codes> {
  static override summary = 'List the finding codes of diagnose, or explain one: meaning, usual causes, fix, example.';
  static override description =
    `Every finding of exposectl diagnose has a stable code, CHECK/NAME (lb/no-pool, source-ip/etp-cluster). Without CODE, the whole catalogue: code, severity, check and title (codes that need diagnose --probe are marked). With a check (lb, or lb/*), the codes of that check. With CODE, what it means, why it usually happens, how to fix it, and an example that gives it.

The same text is in docs/codes.md, which -o sarif links each rule to. Silence a finding with diagnose --ignore CODE[=NAMESPACE/NAME], or in a manifest with the annotation exposectl.dev/ignore: "CODE[,CODE]" on the object the finding is about.

Exit status: 0; 2 for an unknown CODE (the closest known code is suggested).`;
  static override examples = [
    { description: 'Every code, with severity, check and title', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The codes of the lb check', command: '<%= config.bin %> <%= command.id %> lb' },
    {
      description: 'What lb/no-pool means, why it happens and how to fix it',
      command: '<%= config.bin %> <%= command.id %> lb/no-pool',
    },
    {
      description: 'The catalogue as JSON, e.g. for a dashboard',
      command: '<%= config.bin %> <%= command.id %> -o json',
    },
  ];

  // Reads no cluster and no files.
  static override baseFlags = { ...colorFlag };

  static override args = {
    code: Args.string({ description: 'A code (lb/no-pool) to explain, or a check (lb) to list.', required: false }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'yaml']),
  };

  protected async execute(): Promise<CommandOutput> {
    return codesOutput(this.args.code);
  }
}
