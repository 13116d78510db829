// lb/annotation-ignored: annotations nothing reads. A key under an implementation's or
// controller's prefix that it does not know (any key under a closed key set such as
// MetalLB's; a key close to a known one elsewhere), a known key written under labels, and
// another implementation's or a cloud provider's load-balancer key on a Service that
// MetalLB, Cilium or kube-vip serves. Known keys: src/discover/annotation-keys.ts. Pure.
import { closest, distance } from 'fastest-levenshtein';
import { isCloudLbKey, type KeyDomain, type KeyOwner, keyDomain } from '../discover/annotation-keys.js';
import { annotationsOf, type DiscoveryContext, labelsOf, nameOf, nsOf } from '../discover/context.js';
import { versionText } from '../discover/image-version.js';
import { classifyLoadBalancer } from '../discover/implementation.js';
import { installedText, unreadByVersion } from '../discover/implementation-versions.js';
import type { Finding } from '../model/finding.js';
import type { KubeObject } from '../model/kube-object.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { latest, subjectOf } from './util.js';

/** Cloud annotations that ask the provider's load balancer to send PROXY protocol. */
const CLOUD_PROXY = /proxy-?protocol|uses-proxyprotocol/i;

/** Close enough to be a typo of a known name: a couple of edits, more for long names. */
const closeEnough = (name: string, known: string): boolean =>
  distance(name.toLowerCase(), known.toLowerCase()) <= Math.max(2, Math.floor(known.length / 6));

const refText = (o: KubeObject<unknown, unknown>): string => `${o.kind} ${nsOf(o)}/${nameOf(o)}`;

/** Ingress controllers' stickiness keys: affinity/annotation-ignored judges them (one cause, one finding). */
const STICKINESS = /sticky|affinity|session-cookie/;

/** The known key a mistyped one was probably meant to be, and whether the key counts as ignored. */
function unknownKey(d: KeyDomain, key: string): { ignored: boolean; suggestion?: string } {
  const name = key.slice(d.prefix.length);
  if (d.names.includes(name)) return { ignored: false };
  if (['ingress-nginx', 'traefik', 'haproxy'].includes(d.owner) && STICKINESS.test(name)) return { ignored: false };
  const best = closest(name, d.names as string[]);
  const near = best !== undefined && closeEnough(name, best);
  // Case only differs: Kubernetes keys are case-sensitive, the owner reads only its spelling.
  const sameCase = best !== undefined && best.toLowerCase() === name.toLowerCase();
  if (!d.closed && !near && !sameCase) return { ignored: false };
  return near || sameCase ? { ignored: true, suggestion: d.prefix + best } : { ignored: true };
}

const OWNER_TEXT: Record<KeyOwner, string> = {
  metallb: 'MetalLB',
  'kube-vip': 'kube-vip',
  cilium: 'Cilium',
  'ingress-nginx': 'ingress-nginx',
  traefik: 'Traefik',
  haproxy: 'HAProxy',
};

function objectFindings(
  ctx: DiscoveryContext,
  o: KubeObject<unknown, unknown>,
  kind: 'Service' | 'Ingress',
  lbImplementation: string | null,
): Finding[] {
  const out: Finding[] = [];
  const annotations = annotationsOf(o);
  const labels = labelsOf(o);
  const who = refText(o);
  for (const key of Object.keys(annotations).sort()) {
    const d = keyDomain(key);
    if (d?.on.includes(kind)) {
      const u = unknownKey(d, key);
      if (u.ignored) {
        out.push(
          finding(
            'lb/annotation-ignored',
            subjectOf(o),
            `${who} has annotation ${key}, which ${OWNER_TEXT[d.owner]} does not read${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ` (its ${d.prefix} keys: ${d.names.slice(0, 6).join(', ')}${d.names.length > 6 ? ', ...' : ''})`}: the setting it asks for is not applied.`,
            u.suggestion
              ? `Rename the annotation to ${u.suggestion} on ${who}.`
              : `Use one of ${OWNER_TEXT[d.owner]}'s keys on ${who} (${d.names.map((n) => d.prefix + n).join(', ')}), or remove ${key}.`,
          ),
        );
        continue;
      }
      // A key the installed release does not read yet (the version from the component's image).
      const old = kind === 'Service' ? unreadByVersion(ctx, key) : undefined;
      if (old) {
        const since = versionText(old.gate.since);
        out.push(
          finding(
            'lb/annotation-ignored',
            subjectOf(o),
            `${who} has annotation ${key}, but ${installedText(old.installed)}, which does not read it: ${old.gate.component} reads it from ${since} on (${old.gate.source}), so the setting it asks for is not applied.`,
            `Write ${old.gate.instead(key)} on ${who} instead (what ${versionText(old.installed.version)} reads), or upgrade ${old.gate.component} to ${since} or later.`,
          ),
        );
        continue;
      }
    }
    if (kind !== 'Service' || !lbImplementation) continue;
    // Another implementation's load-balancer key on a Service this implementation serves.
    const lbOwner = d && ['metallb', 'kube-vip', 'cilium'].includes(d.owner) ? d.owner : undefined;
    if (lbOwner && lbOwner !== lbImplementation && !(d?.labelKeys ?? []).includes(key.slice(d!.prefix.length))) {
      out.push(
        finding(
          'lb/annotation-ignored',
          subjectOf(o),
          `${who} is served by ${lbImplementation}, but its annotation ${key} is ${OWNER_TEXT[lbOwner]}'s: ${lbImplementation} does not read it, so what it asks for is not applied.`,
          `Write ${lbImplementation}'s own setting on ${who} (MetalLB: metallb.io/address-pool, metallb.io/loadBalancerIPs; Cilium: lbipam.cilium.io/ips; kube-vip: kube-vip.io/loadbalancerIPs) and remove ${key}.`,
        ),
      );
    } else if (isCloudLbKey(key)) {
      const proxy = CLOUD_PROXY.test(key);
      out.push(
        finding(
          'lb/annotation-ignored',
          subjectOf(o),
          `${who} is served by ${lbImplementation}, but its annotation ${key} is a cloud provider's load-balancer setting: no cloud controller acts on it here${proxy ? `. ${lbImplementation} routes packets and never adds a PROXY header, so nothing sends PROXY protocol: a receiver that expects it (ingress-nginx use-proxy-protocol, HAProxy accept-proxy) fails every connection (source-ip/proxy-protocol-mismatch)` : ''}.`,
          proxy
            ? `Remove ${key} from ${who} and make the receiver not expect PROXY protocol; keep the client address with externalTrafficPolicy: Local instead.`
            : `Remove ${key} from ${who}, or configure the equivalent in ${lbImplementation} if it has one.`,
        ),
      );
    }
  }
  // Keys written under labels: implementations read these settings from annotations only.
  for (const key of Object.keys(labels).sort()) {
    if (Object.hasOwn(annotations, key)) continue;
    const d = keyDomain(key);
    const name = d ? key.slice(d.prefix.length) : '';
    const known = d?.on.includes(kind) && d.names.includes(name) && !(d.labelKeys ?? []).includes(name);
    if (!known && !isCloudLbKey(key)) continue;
    out.push(
      finding(
        'lb/annotation-ignored',
        subjectOf(o),
        `${who} carries ${key} as a label; ${d ? OWNER_TEXT[d.owner] : 'the cloud provider'} reads it only as an annotation, so the setting is not applied.`,
        `Move ${key} from metadata.labels to metadata.annotations on ${who}.`,
      ),
    );
  }
  return out;
}

const annotationIgnored: Analyzer = {
  name: 'lb-annotations',
  check: 'lb',
  codes: ['lb/annotation-ignored'],
  inputs: ['snapshot'],
  description:
    "Services' and Ingresses' implementation annotations are keys their implementation reads, under annotations, and not another implementation's or a cloud provider's.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of latest(facts.snapshot.services)) {
      const lb =
        (svc.spec as { type?: unknown } | undefined)?.type === 'LoadBalancer'
          ? classifyLoadBalancer(facts.ctx, svc).implementation
          : null;
      out.push(...objectFindings(facts.ctx, svc, 'Service', lb));
    }
    for (const ing of latest(facts.snapshot.ingresses)) out.push(...objectFindings(facts.ctx, ing, 'Ingress', null));
    return out;
  },
};

export const lbAnnotationAnalyzers: Analyzer[] = [annotationIgnored];
