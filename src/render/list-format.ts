// The -o values of `exposectl list`, kubectl's set: table, wide, json, yaml, name,
// jsonpath=TEMPLATE and custom-columns=SPEC. Read before any work so that a wrong
// template is a usage error (exit 2) and not a failure after the cluster was read.
import { UsageError } from '../util/errors.js';
import { type CustomColumn, parseCustomColumns } from './custom-columns.js';
import { JsonPathError, JsonPathTemplate } from './jsonpath.js';

export const LIST_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;

export type ListFormat =
  | { kind: (typeof LIST_FORMATS)[number] }
  | { kind: 'jsonpath'; template: JsonPathTemplate }
  | { kind: 'custom-columns'; columns: CustomColumn[] };

export const LIST_FORMAT_HELP = `${LIST_FORMATS.join('|')}|jsonpath=TEMPLATE|custom-columns=SPEC`;

export function parseListFormat(output: string): ListFormat {
  const simple = LIST_FORMATS.find((f) => f === output);
  if (simple) return { kind: simple };
  const [kind, ...rest] = output.split('=');
  const spec = rest.join('=');
  try {
    if (kind === 'jsonpath') {
      if (rest.length === 0 || spec === '')
        throw new JsonPathError('jsonpath template format specified but no template given');
      return { kind, template: new JsonPathTemplate(spec) };
    }
    if (kind === 'custom-columns') return { kind, columns: parseCustomColumns(spec) };
  } catch (error) {
    if (error instanceof JsonPathError) throw new UsageError(`invalid -o ${kind}: ${error.message}`);
    throw error;
  }
  throw new UsageError(
    `unknown output format ${JSON.stringify(output)}: use ${LIST_FORMAT_HELP.replaceAll('|', ', ')}`,
  );
}
