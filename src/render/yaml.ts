// YAML documents for -o yaml (kept apart from JSON so that JSON output never loads the YAML library).
import { stringify } from 'yaml';

export function toYaml(data: unknown): string {
  return stringify(data, { aliasDuplicateObjects: false, lineWidth: 0 });
}
