// YAML documents for -o yaml (kept apart from JSON so that JSON output never loads the YAML library).
import { stringify } from 'yaml';
import { redactSecrets } from '../util/redact.js';

/** YAML of a printed document; Secret values are redacted (see util/redact.ts). */
export function toYaml(data: unknown): string {
  return stringify(redactSecrets(data), { aliasDuplicateObjects: false, lineWidth: 0 });
}
