import { redactSecrets } from '../cli/redact.js';

/** Pretty JSON of a printed document; Secret values are redacted (see cli/redact.ts). */
export function toJson(data: unknown): string {
  return `${JSON.stringify(redactSecrets(data), null, 2)}\n`;
}
