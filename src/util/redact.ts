// Secrets never reach the terminal: every printed document and every stderr line goes
// through here. Secret objects keep their keys (so one can see what a Secret holds) but
// every value is replaced, including the copy kubectl keeps in the last-applied
// annotation; free text (debug lines, error messages) loses bearer tokens, JWTs,
// kubeconfig credentials and PEM private keys.

import { isPlainObject } from './data-shape.js';

export const REDACTED = 'REDACTED';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isSecret(v: Record<string, unknown>): boolean {
  return v.kind === 'Secret' && (v.apiVersion === undefined || v.apiVersion === 'v1');
}

function redactValues(map: unknown): unknown {
  if (!isPlainObject(map)) return map === undefined ? undefined : REDACTED;
  return Object.fromEntries(Object.keys(map).map((k) => [k, REDACTED]));
}

function redactSecret(secret: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...secret };
  for (const field of ['data', 'stringData']) if (field in out) out[field] = redactValues(out[field]);
  const metadata = secret.metadata;
  if (isPlainObject(metadata) && isPlainObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
    out.metadata = { ...metadata, annotations: { ...metadata.annotations, [LAST_APPLIED]: REDACTED } };
  }
  return out;
}

/**
 * A copy of `data` in which every Secret object (at any depth: Lists, snapshots, nested
 * documents) has its data and stringData values replaced. Returns `data` itself when
 * nothing needed redaction, so the common case costs one walk and no copy.
 */
export function redactSecrets<T>(data: T): T {
  return walk(data) as T;
}

function walk(v: unknown): unknown {
  if (Array.isArray(v)) {
    let changed = false;
    const out = v.map((item) => {
      const r = walk(item);
      if (r !== item) changed = true;
      return r;
    });
    return changed ? out : v;
  }
  if (!isPlainObject(v)) return v;
  const base = isSecret(v) ? redactSecret(v) : v;
  let out: Record<string, unknown> | undefined = base === v ? undefined : base;
  for (const [k, child] of Object.entries(base)) {
    const r = walk(child);
    if (r !== child) {
      out ??= { ...base };
      out[k] = r;
    }
  }
  return out ?? v;
}

const TEXT_RULES: Array<[RegExp, string]> = [
  // PEM private keys (client keys, service account keys), whole block.
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g,
    `-----BEGIN $1PRIVATE KEY----- ${REDACTED} -----END $1PRIVATE KEY-----`,
  ],
  // Authorization headers and bearer/basic credentials.
  [/\b(authorization\s*[:=]\s*)("?)[^\s"',}]+(?:\s+[^\s"',}]+)?/gi, `$1$2${REDACTED}`],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // kubeconfig and JSON credential fields: token, client-key-data, password, ...
  [
    /(["']?\b(?:token|id-token|refresh-token|access-token|client-key-data|password)["']?\s*[:=]\s*)("?)[^\s"',}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // JSON Web Tokens (service account tokens, OIDC id tokens) wherever they appear.
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
];

/** `text` with credentials replaced by REDACTED. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}
