// Which Pod answered, read from an echo's answer: the lab echo and the source-ip probe's
// echo ({"pod": ...}), agnhost netexec's /hostname (the bare Pod name), traefik/whoami
// ("Hostname: ..."), ealen/echo-server ({"host":{"hostname"}}), mendhak/http-https-echo
// ({"os":{"hostname"}}). A Pod's hostname is its name unless spec.hostname says otherwise.
// Pure; null when the answer names no Pod.

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function fromJson(v: unknown): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const nested = (k: string) => {
    const x = o[k];
    return x !== null && typeof x === 'object' ? (x as Record<string, unknown>).hostname : undefined;
  };
  for (const c of [o.pod, o.podName, o.pod_name, o.hostname, nested('host'), nested('os')])
    if (typeof c === 'string' && NAME.test(c)) return c;
  return null;
}

/**
 * The Pod an answer names. A bare word counts only when it is one of `knownPods` (when the
 * Service's Pods are known), so that a plain "ok" is not taken for a Pod.
 */
export function podOfAnswer(body: string, knownPods: readonly string[] | null): string | null {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      return fromJson(JSON.parse(text));
    } catch {
      return null;
    }
  }
  const whoami = /^Hostname: *(\S+)$/m.exec(text)?.[1];
  if (whoami && NAME.test(whoami)) return whoami;
  if (NAME.test(text) && knownPods?.includes(text)) return text;
  return null;
}
