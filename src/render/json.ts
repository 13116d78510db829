import { redactSecrets } from '../util/redact.js';
import { batched, jsonChunks } from './json-chunks.js';

/** Pretty JSON of a printed document; Secret values are redacted (see util/redact.ts). */
export function toJson(data: unknown): string {
  return `${JSON.stringify(redactSecrets(data), null, 2)}\n`;
}

/** toJson in pieces of about 1 MiB: the same text, for documents of any size. */
export function* toJsonChunks(data: unknown): Generator<string> {
  yield* batched(
    (function* () {
      yield* jsonChunks(redactSecrets(data));
      yield '\n';
    })(),
  );
}
