// Validates documents against the JSON Schemas shipped in schemas/.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REPO_ROOT } from './cli.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });

export function schemaErrors(schemaFile: string, document: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', schemaFile), 'utf8')) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
