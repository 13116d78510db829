// gateway/*: Gateway API routes and references.
// - gateway/route-not-attached: a route whose parentRefs name no existing Gateway, no
//   listener of it, or listeners that do not admit the route (namespace, kind, protocol,
//   hostname); in a live cluster also a parent that reports Accepted=False.
// - gateway/ref-not-permitted: a cross-namespace backendRef or certificateRef that no
//   ReferenceGrant in the target namespace allows.
// Attachment and grants are discovery facts (discover/gateway-api.ts), the same `list` reads. Pure.
import {
  attachmentsOf,
  gatewayApiFacts,
  type ObjectReference,
  type RouteFact,
  unpermittedBackendRefs,
  unpermittedCertificateRefs,
} from '../discover/gateway-api.js';
import { listenerStatusSays, routeStatusSays } from '../discover/gateway-status.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer, Facts } from './types.js';
import { absenceProves, absentText, list, subjectOf } from './util.js';

const routeText = (r: RouteFact) => `${r.kind} ${r.namespace}/${r.name}`;

/** The implementation's own words when its status is in the input, else what it is expected to say. */
const statusOrExpected = (says: string[], expected: string) =>
  says.length > 0 ? `the implementation refuses it (${uniqText(says)})` : expected;

const uniqText = (xs: string[]) => [...new Set(xs)].join('; ');

const attached: Analyzer = {
  name: 'gateway-route-attachment',
  check: 'gateway',
  codes: ['gateway/route-not-attached'],
  inputs: ['snapshot'],
  description: 'Routes attach to an existing Gateway listener that admits them.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const route of gatewayApiFacts(facts.ctx).routes) {
      const reasons: string[] = [];
      for (const a of attachmentsOf(facts.ctx, route)) {
        if (a.state === 'refused') reasons.push(a.why);
        else if (a.state === 'missing' && absenceProves(facts, 'gateway.networking.k8s.io/Gateway', a.ref.namespace)) {
          reasons.push(
            `parentRef names Gateway ${a.ref.namespace}/${a.ref.name}, which ${absentText(facts).doesNotExist}`,
          );
        }
      }
      // What the implementation wrote: the cause when nothing else explains it, else cited as confirmation.
      const says = routeStatusSays(route, ['Accepted']);
      if (reasons.length === 0 && says.length === 0) continue;
      const rref = routeText(route);
      const cause = reasons.length > 0 ? reasons.join('; ') : says.join('; ');
      const cited = reasons.length > 0 && says.length > 0 ? ` (status: ${says.join('; ')})` : '';
      out.push(
        finding(
          'gateway/route-not-attached',
          subjectOf(route.object),
          `${rref} is not attached: ${cause}${cited}; the Gateway does not route its traffic, so its hostnames and rules are not served there.`,
          `Set spec.parentRefs of ${rref} to an existing Gateway (and sectionName to one of its listeners), and make that listener admit it (allowedRoutes.namespaces.from: All or Selector for other namespaces; allowedRoutes.kinds including ${route.kind}; a listener protocol that carries ${route.kind}; a listener hostname that matches one of spec.hostnames).`,
        ),
      );
    }
    return out;
  },
};

/** Grants are judged only where their absence is known: live and readable, or an input complete for them there. */
function grantsKnown(facts: Facts, namespace: string): boolean {
  return absenceProves(facts, 'ReferenceGrant', namespace);
}

function grantFix(fromKind: string, fromNamespace: string, to: ObjectReference): string {
  return `Add a ReferenceGrant in namespace ${to.namespace} with spec.from [{group: gateway.networking.k8s.io, kind: ${fromKind}, namespace: ${fromNamespace}}] and spec.to [{group: "${to.group}", kind: ${to.kind}, name: ${to.name}}], or move the ${to.kind} into namespace ${fromNamespace}.`;
}

const refs: Analyzer = {
  name: 'gateway-reference-grants',
  check: 'gateway',
  codes: ['gateway/ref-not-permitted'],
  inputs: ['snapshot'],
  description: 'Cross-namespace backendRefs and certificateRefs are allowed by a ReferenceGrant.',
  analyze(facts) {
    const out: Finding[] = [];
    const gapi = gatewayApiFacts(facts.ctx);
    for (const route of gapi.routes) {
      const refused = unpermittedBackendRefs(facts.ctx, route).filter((b) => grantsKnown(facts, b.namespace));
      for (const b of refused) {
        const to = { group: b.group, kind: b.kind, namespace: b.namespace, name: b.name };
        out.push(
          finding(
            'gateway/ref-not-permitted',
            subjectOf(route.object),
            `${routeText(route)} ${b.field} sends to ${b.kind} ${b.namespace}/${b.name} in another namespace, and no ReferenceGrant in ${b.namespace} allows ${route.kind}s from ${route.namespace}: ${statusOrExpected(routeStatusSays(route, ['ResolvedRefs']), 'the implementation refuses the reference (ResolvedRefs=False, RefNotPermitted)')} and requests for that rule get an error.`,
            grantFix(route.kind, route.namespace, to),
          ),
        );
      }
    }
    for (const gw of [...gapi.gateways.values()].flat()) {
      const refused = unpermittedCertificateRefs(facts.ctx, gw).filter((c) => grantsKnown(facts, c.ref.namespace));
      if (refused.length === 0) continue;
      const listeners = [...new Set(refused.map((c) => c.listener.name ?? String(c.listener.port ?? '?')))];
      const secrets = [...new Set(refused.map((c) => `${c.ref.namespace}/${c.ref.name}`))];
      out.push(
        finding(
          'gateway/ref-not-permitted',
          subjectOf(gw.object),
          `Gateway ${gw.namespace}/${gw.name} listener ${list(listeners)} uses certificate ${list(secrets)} from another namespace, and no ReferenceGrant there allows Gateways from ${gw.namespace}: ${statusOrExpected(
            listeners.flatMap((l) => listenerStatusSays(gw.object, l, ['ResolvedRefs', 'Programmed'])),
            'the listener is not programmed (ResolvedRefs=False, RefNotPermitted)',
          )} and HTTPS clients cannot connect.`,
          grantFix('Gateway', gw.namespace, refused[0]!.ref),
        ),
      );
    }
    return out;
  },
};

export const gatewayAnalyzers: Analyzer[] = [attached, refs];
