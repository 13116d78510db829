// Emissary-ingress (Ambassador): getambassador.io Mappings (a prefix on a hostname sent to
// a Service) and Hosts (the names Emissary serves, with their TLS Secret), behind the
// Emissary Service that holds the addresses clients use. `ingress` rows of implementation
// `emissary`. Pure.
//
// Emissary's rules (its API reference, getambassador.io/v3alpha1; v2 is the older shape):
// - Mapping.spec.service: `[scheme://]name[.namespace[.svc.<cluster domain>]][:port]`, the
//   Mapping's namespace when none is written; the port is the Service port (default 80,
//   443 for https://). Other hosts (an external name, an IP) are not Services of the cluster.
// - Mapping.spec.hostname (v3alpha1; `host` in v2) selects the Host; `*` or none matches all.
// - The Emissary Service is `emissary-ingress` (Helm chart) or `ambassador` (older
//   manifests), or one labelled app.kubernetes.io/name of either; `-admin` and
//   `-agent` Services are its admin and agent ports, not ways in.
import type { Exposure } from '../model/exposure.js';
import type { Custom, Service } from '../model/snapshot.js';
import { type ServiceBackend, withBackendPort } from './backends.js';
import { absenceIsFact, type DiscoveryContext, findService, labelsOf, nameOf, nsOf, uniq } from './context.js';
import { serviceEndpoints } from './endpoints.js';
import { asArray, asInteger, asString, field } from './fields.js';
import { loadBalancerAddresses } from './implementation.js';
import { serviceSourceIP } from './source-ip.js';
import { judgeEndpoints, StatusBuilder } from './status.js';

export const EMISSARY_GROUP = 'getambassador.io';
const EMISSARY_NAMES = ['emissary-ingress', 'ambassador'];

/** The Service a Mapping sends to, or undefined when spec.service is not a Service of the cluster. */
export function mappingBackend(mapping: Custom): ServiceBackend | undefined {
  const raw = asString(field(mapping, 'spec', 'service'))?.trim();
  if (!raw) return undefined;
  const scheme = /^([a-z]+):\/\//i.exec(raw)?.[1]?.toLowerCase();
  const rest = raw.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
  if (!m) return undefined;
  const host = m[1]!;
  // An address is not a Service name.
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes('[')) return undefined;
  const parts = host.split('.');
  let namespace: string;
  if (parts.length === 1) namespace = nsOf(mapping);
  else if (parts.length === 2 || (parts.length >= 3 && parts[2] === 'svc')) namespace = parts[1]!;
  else return undefined; // an external name
  const port = m[2] ? Number(m[2]) : scheme === 'https' ? 443 : 80;
  const prefix = asString(field(mapping, 'spec', 'prefix')) ?? '/';
  return {
    namespace,
    service: parts[0]!,
    port: { number: port },
    field: 'spec.service',
    match: `${mappingHostname(mapping) ?? ''}${prefix}`,
    path: prefix,
  };
}

/** The hostname a Mapping is for (undefined for `*` or none). */
export function mappingHostname(mapping: Custom): string | undefined {
  const h = asString(field(mapping, 'spec', 'hostname')) ?? asString(field(mapping, 'spec', 'host'));
  return h && h !== '*' ? h : undefined;
}

/** The Emissary Services (those clients reach), in any namespace. */
export function emissaryServices(ctx: DiscoveryContext): Service[] {
  return ctx.snapshot.services.filter((s) => {
    const name = nameOf(s);
    if (/-(admin|agent)$/.test(name)) return false;
    const label = labelsOf(s)['app.kubernetes.io/name'];
    return EMISSARY_NAMES.includes(name) || (label !== undefined && EMISSARY_NAMES.includes(label));
  });
}

function emissaryAddresses(ctx: DiscoveryContext): string[] {
  return uniq(
    emissaryServices(ctx).flatMap((s) => {
      const { assigned, requested } = loadBalancerAddresses(s);
      const external = asArray(field(s, 'spec', 'externalIPs')).filter((a): a is string => typeof a === 'string');
      return [...(assigned.length > 0 ? assigned : requested), ...external];
    }),
  );
}

function emissaryPorts(ctx: DiscoveryContext): Exposure['ports'] {
  const svc = emissaryServices(ctx)[0];
  if (!svc) return [];
  return asArray(field(svc, 'spec', 'ports')).flatMap((p) => {
    const port = asInteger(field(p, 'port'));
    return port === undefined ? [] : [{ port, protocol: asString(field(p, 'protocol')) ?? 'TCP' }];
  });
}

function judgeFront(ctx: DiscoveryContext, b: StatusBuilder): Service | undefined {
  const front = emissaryServices(ctx)[0];
  if (!front) {
    (absenceIsFact(ctx, 'Service') ? b.broken : b.unknown).push(
      `no Emissary Service (emissary-ingress or ambassador) ${ctx.live ? 'found' : 'in the input'}`,
    );
    return undefined;
  }
  judgeEndpoints(b, serviceEndpoints(ctx, front), `Emissary Service ${nsOf(front)}/${nameOf(front)}`, ctx.live);
  return front;
}

export function mappingExposure(ctx: DiscoveryContext, mapping: Custom): Exposure {
  const b = new StatusBuilder();
  const front = judgeFront(ctx, b);
  const backend = mappingBackend(mapping);
  const target = backend ? findService(ctx, backend.namespace, backend.service) : undefined;
  if (backend && !target)
    (absenceIsFact(ctx, 'Service', backend.namespace) ? b.broken : b.unknown).push(
      `Service ${backend.namespace}/${backend.service} ${ctx.live ? 'not found' : 'not in the input'}`,
    );
  if (target) judgeEndpoints(b, serviceEndpoints(ctx, target), `Service ${nsOf(target)}/${nameOf(target)}`, ctx.live);
  const result = b.result();
  const host = mappingHostname(mapping);
  return {
    namespace: nsOf(mapping),
    name: nameOf(mapping),
    kind: 'Mapping',
    service: backend ? { namespace: backend.namespace, name: backend.service } : null,
    mode: 'ingress',
    implementation: 'emissary',
    addresses: emissaryAddresses(ctx),
    ports: withBackendPort(emissaryPorts(ctx), backend),
    endpoints: target ? serviceEndpoints(ctx, target).endpoints : null,
    // HTTP: Emissary passes the client address in X-Forwarded-For when it saw it.
    sourceIP: front ? serviceSourceIP(front) : 'unknown',
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(host ? { hosts: [host] } : {}),
  };
}

export function hostExposureOf(ctx: DiscoveryContext, host: Custom): Exposure {
  const b = new StatusBuilder();
  const front = judgeFront(ctx, b);
  const secret = asString(field(host, 'spec', 'tlsSecret', 'name'));
  if (secret) {
    const known = ctx.snapshot.secrets.some((s) => nsOf(s) === nsOf(host) && nameOf(s) === secret);
    if (!known && absenceIsFact(ctx, 'Secret', nsOf(host)))
      b.broken.push(`TLS Secret ${nsOf(host)}/${secret} ${ctx.live ? 'not found' : 'not in the input'}`);
  }
  const result = b.result();
  const hostname = asString(field(host, 'spec', 'hostname'));
  return {
    namespace: nsOf(host),
    name: nameOf(host),
    kind: 'Host',
    service: front ? { namespace: nsOf(front), name: nameOf(front) } : null,
    mode: 'ingress',
    implementation: 'emissary',
    addresses: emissaryAddresses(ctx),
    ports: emissaryPorts(ctx),
    endpoints: front ? serviceEndpoints(ctx, front).endpoints : null,
    sourceIP: front ? serviceSourceIP(front) : 'unknown',
    status: result.status,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(hostname && hostname !== '*' ? { hosts: [hostname] } : {}),
  };
}

export function emissaryExposures(ctx: DiscoveryContext): Exposure[] {
  return [
    ...ctx.snapshot.emissary.hosts.map((h) => hostExposureOf(ctx, h)),
    ...ctx.snapshot.emissary.mappings.map((m) => mappingExposure(ctx, m)),
  ];
}
