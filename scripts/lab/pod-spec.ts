// What the lab kubelet runs for a Pod: the program behind a lab image, the environment of
// the container (literal values and the downward API fields a kubelet fills in) and the
// $(VAR) references in its command line, expanded as a kubelet does. Pure.

/** The images the lab kubelet can run, and what they are. */
export const LAB_IMAGES = {
  echo: 'exposectl.dev/lab/echo',
  kubeProxy: 'exposectl.dev/lab/kube-proxy',
  speaker: 'exposectl.dev/lab/metallb-speaker',
  traefik: 'exposectl.dev/lab/traefik',
} as const;

export type Program = 'echo' | 'kube-proxy' | 'metallb-speaker' | 'traefik';

/**
 * Images from elsewhere that the lab runs with one of its programs: agnhost's `netexec`
 * (the echo of `diagnose source-ip --probe`) is played by the lab echo, which answers
 * /clientip as netexec does.
 */
export const FOREIGN_ECHO_IMAGES = ['registry.k8s.io/e2e-test-images/agnhost'];

/** The program of an image reference (tag or digest ignored), or undefined for an image the lab cannot run. */
export function programOf(image: string): Program | undefined {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  if (repo === LAB_IMAGES.echo || FOREIGN_ECHO_IMAGES.includes(repo)) return 'echo';
  if (repo === LAB_IMAGES.kubeProxy) return 'kube-proxy';
  if (repo === LAB_IMAGES.speaker) return 'metallb-speaker';
  if (repo === LAB_IMAGES.traefik) return 'traefik';
  return undefined;
}

export interface PodFacts {
  name: string;
  namespace: string;
  nodeName: string;
  podIP: string;
  hostIP: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

const FIELD_PATHS: Record<string, (p: PodFacts) => string> = {
  'metadata.name': (p) => p.name,
  'metadata.namespace': (p) => p.namespace,
  'spec.nodeName': (p) => p.nodeName,
  'status.podIP': (p) => p.podIP,
  'status.hostIP': (p) => p.hostIP,
};

/**
 * The container's environment: its env entries in order (a value may refer to earlier ones
 * with $(NAME)), fieldRefs resolved. Throws on a fieldRef the lab cannot fill in.
 */
export function containerEnv(env: EnvVar[] | undefined, pod: PodFacts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env ?? []) {
    const ref = e.valueFrom?.fieldRef?.fieldPath;
    if (ref !== undefined) {
      const f = FIELD_PATHS[ref];
      if (!f) throw new Error(`env ${e.name}: fieldRef ${ref} is not supported by the lab kubelet (only ${Object.keys(FIELD_PATHS).join(', ')})`);
      out[e.name] = f(pod);
    } else {
      out[e.name] = expandVars(e.value ?? '', out);
    }
  }
  return out;
}

/** Kubernetes' $(VAR) expansion: $(NAME) becomes the value when defined, $$ escapes, unknown references stay as written. */
export function expandVars(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m: string, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && Object.hasOwn(env, name) ? (env[name] ?? '') : m;
  });
}

/** Whether /proc/net/tcp (or tcp6) text shows a socket listening on port (state 0A), on any address. */
export function listensOn(procNetTcp: string, port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return procNetTcp.split('\n').slice(1).some((line) => {
    const cols = line.trim().split(/\s+/);
    return cols[1]?.endsWith(`:${hex}`) === true && cols[3] === '0A';
  });
}
