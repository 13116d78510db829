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

export type Program = 'echo' | 'kube-proxy' | 'metallb-speaker' | 'traefik' | 'haproxy' | 'nginx';

/**
 * The hostNetwork gateway of `expose --mode hostnetwork` (its default images, and any other
 * tag of them): run with the HAProxy or nginx of the host (Debian packages haproxy,
 * nginx-light with libnginx-mod-stream), with the container's own command line.
 */
export const GATEWAY_IMAGES: Record<string, Program> = {
  haproxy: 'haproxy',
  'docker.io/library/haproxy': 'haproxy',
  'docker.io/haproxy': 'haproxy',
  nginx: 'nginx',
  'docker.io/library/nginx': 'nginx',
  'docker.io/nginx': 'nginx',
};

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
  if (Object.hasOwn(GATEWAY_IMAGES, repo)) return GATEWAY_IMAGES[repo];
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
      if (!f)
        throw new Error(
          `env ${e.name}: fieldRef ${ref} is not supported by the lab kubelet (only ${Object.keys(FIELD_PATHS).join(', ')})`,
        );
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
  return procNetTcp
    .split('\n')
    .slice(1)
    .some((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[1]?.endsWith(`:${hex}`) === true && cols[3] === '0A';
    });
}

export interface VolumeMount {
  name: string;
  mountPath: string;
}

export interface Volume {
  name: string;
  configMap?: { name: string };
  projected?: { sources?: Array<{ serviceAccountToken?: unknown; [k: string]: unknown }> };
}

/**
 * The API server's ServiceAccount admission adds a projected `kube-api-access-*` volume
 * (token, kube-root-ca.crt, namespace) to every Pod that does not opt out with
 * automountServiceAccountToken: false, mounted in every container.
 */
function isServiceAccountVolume(v: Volume): boolean {
  return v.projected?.sources?.some((s) => s.serviceAccountToken !== undefined) === true;
}

/** A configMap volume the kubelet writes into a folder of its own (a process of the lab shares the host's files). */
export interface ConfigMapFolder {
  configMap: string;
  mountPath: string;
  dir: string;
}

/**
 * Where each configMap volume of the container goes: DIR/<volume name>. The service-account
 * volume the admission added is left out: the gateways (HAProxy, nginx) never call the API,
 * and without a mount namespace the lab could not put it at its path anyway. Throws on any
 * other volume kind the lab cannot provide.
 */
export function configMapFolders(
  mounts: VolumeMount[] | undefined,
  volumes: Volume[] | undefined,
  baseDir: string,
): ConfigMapFolder[] {
  return (mounts ?? []).flatMap((m) => {
    const v = (volumes ?? []).find((x) => x.name === m.name);
    if (v && isServiceAccountVolume(v)) return [];
    if (!v?.configMap)
      throw new Error(
        `volume ${m.name}: only configMap volumes (and the service-account token's) are provided by the lab kubelet`,
      );
    return [{ configMap: v.configMap.name, mountPath: m.mountPath, dir: `${baseDir}/${m.name}` }];
  });
}

/**
 * The command line of a gateway container, its mount paths replaced by the folders the
 * kubelet wrote (no mount namespace: the process sees the host's files). command[0] is the
 * program itself, found on the host.
 */
export function gatewayArgv(
  command: string[] | undefined,
  args: string[] | undefined,
  folders: ConfigMapFolder[],
): string[] {
  const rewrite = (a: string): string => folders.reduce((s, f) => s.split(f.mountPath).join(f.dir), a);
  return [...(command ?? []).slice(1), ...(args ?? [])].map(rewrite);
}

/**
 * nginx on the host: the image compiles the stream module in, Debian's nginx loads it as a
 * module, so `-c CONF` becomes a main config of the kubelet that loads the host's enabled
 * modules, keeps its pid file to this Pod (three gateways share the host's /run), then
 * includes CONF. Undefined when the command line names no config.
 */
export function nginxWithHostModules(
  argv: string[],
  wrapperPath: string,
  pidPath: string,
): { argv: string[]; text: string } | undefined {
  const i = argv.indexOf('-c');
  const conf = i >= 0 ? argv[i + 1] : undefined;
  if (conf === undefined) return undefined;
  return {
    argv: [...argv.slice(0, i + 1), wrapperPath, ...argv.slice(i + 2)],
    text: `# written by the lab kubelet: the host's nginx modules, then the Pod's own config\ninclude /etc/nginx/modules-enabled/*.conf;\npid ${pidPath};\ninclude ${conf};\n`,
  };
}
