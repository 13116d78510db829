// Turns expose's command-line values into an ExposeSpec: splits comma lists, parses
// key=value selectors and numbers. Pure; bad values become UsageErrors (exit 2).

import type { Service } from '../model/snapshot.js';
import type { ExposeMode, ExposeOptions, ExposeSpec, GatewayImpl, Labels } from '../modes/index.js';
import { UsageError } from '../util/errors.js';

export interface ExposeFlagValues {
  mode: ExposeMode;
  port?: string | undefined;
  'node-port'?: number | undefined;
  host?: string | undefined;
  path?: string | undefined;
  'ingress-class'?: string | undefined;
  'tls-secret'?: string | undefined;
  pool?: string | undefined;
  addresses?: string[] | undefined;
  ip?: string | undefined;
  interfaces?: string[] | undefined;
  'advertise-node-selector'?: string[] | undefined;
  peer?: string | undefined;
  'peer-asn'?: number | undefined;
  'my-asn'?: number | undefined;
  communities?: string[] | undefined;
  'local-pref'?: number | undefined;
  'aggregation-length'?: number | undefined;
  'share-ip'?: string | undefined;
  'node-selector'?: string[] | undefined;
  'gateway-impl'?: string | undefined;
  'gateway-image'?: string | undefined;
  hostname?: string[] | undefined;
  gateway?: string | undefined;
  'gateway-class'?: string | undefined;
  'http-ports'?: string[] | undefined;
  'preserve-source-ip'?: boolean | undefined;
  sticky?: boolean | undefined;
  'sticky-timeout'?: number | undefined;
  'in-place'?: boolean | undefined;
}

/** "a,b" "c" -> [a, b, c]; undefined when nothing was given. */
export function splitList(values: readonly string[] | undefined): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  const items = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return items.length > 0 ? items : undefined;
}

/** "k=v,k2=v2" -> { k: v, k2: v2 }; kubectl's equality selector syntax. */
export function parseSelector(text: string, flag: string): Labels {
  const labels: Labels = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)=([-A-Za-z0-9_.]*)$/.exec(part);
    if (!m) throw new UsageError(`${flag}: ${JSON.stringify(part)} is not a label selector of the form key=value`);
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

const portOrName = (v: string): number | string => (/^\d+$/.test(v) ? Number(v) : v);

export function specFromFlags(service: Service, f: ExposeFlagValues): ExposeSpec {
  return { service, ...optionsFromFlags(f) };
}

/** The options alone (no Service needed): what expose checks before its first request. */
export function optionsFromFlags(f: ExposeFlagValues): ExposeOptions {
  const spec: ExposeOptions = { mode: f.mode };
  const set = <K extends keyof ExposeOptions>(key: K, value: ExposeOptions[K] | undefined) => {
    if (value !== undefined && value !== false) spec[key] = value;
  };
  set('port', f.port === undefined ? undefined : portOrName(f.port));
  set('nodePort', f['node-port']);
  set('host', f.host);
  set('path', f.path);
  set('ingressClass', f['ingress-class']);
  set('tlsSecret', f['tls-secret']);
  set('pool', f.pool);
  set('addresses', splitList(f.addresses));
  set('ip', f.ip);
  set('interfaces', splitList(f.interfaces));
  set(
    'nodeSelectors',
    f['advertise-node-selector']?.map((s) => parseSelector(s, '--advertise-node-selector')),
  );
  set('peer', f.peer);
  set('peerASN', f['peer-asn']);
  set('myASN', f['my-asn']);
  set('communities', splitList(f.communities));
  set('localPref', f['local-pref']);
  set('aggregationLength', f['aggregation-length']);
  set('shareIP', f['share-ip']);
  if (f['node-selector'] && f['node-selector'].length > 0) {
    spec.nodeSelector = Object.assign(
      {},
      ...f['node-selector'].map((s) => parseSelector(s, '--node-selector')),
    ) as Labels;
  }
  set('gatewayImpl', f['gateway-impl'] as GatewayImpl | undefined);
  set('gatewayImage', f['gateway-image']);
  set('hostnames', splitList(f.hostname));
  set('gateway', f.gateway);
  set('gatewayClass', f['gateway-class']);
  set('httpPorts', splitList(f['http-ports'])?.map(portOrName));
  set('preserveSourceIP', f['preserve-source-ip']);
  set('sticky', f.sticky);
  set('stickyTimeout', f['sticky-timeout']);
  set('inPlace', f['in-place']);
  return spec;
}
