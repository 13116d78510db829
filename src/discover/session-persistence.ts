// Gateway API implementations known to accept route `sessionPersistence` (GEP-1619,
// experimental) without applying it: the route is Accepted, and clients still move between
// Pods. Listed by GatewayClass controllerName, only where a public thread shows it; an
// implementation not listed gets no claim either way. Read by the affinity facts
// (src/discover/affinity.ts) and by `expose --mode gateway --sticky` (src/modes/gateway.ts).
// Pure data.

export interface PersistenceIgnored {
  /** For humans: `Traefik`. */
  implementation: string;
  /** The GatewayClass spec.controllerName it registers. */
  controllerName: string;
  /** Where that is shown. */
  thread: string;
  /** The stickiness that works with it, concretely. */
  remedy: string;
}

const IGNORED: readonly PersistenceIgnored[] = [
  // Traefik's Gateway API provider has no sessionPersistence support (open feature request
  // traefik/traefik#11243; PR #12539 closed unmerged); checked against Traefik v3.6.12, where 20
  // requests with one cookie jar reach 3 Pods. Its controllerName is fixed (Traefik docs,
  // "Traefik & Kubernetes with Gateway API"). Its own sticky cookie works: on the Service
  // through an Ingress, or in a TraefikService the route references.
  {
    implementation: 'Traefik',
    controllerName: 'traefik.io/gateway-controller',
    thread: 'traefik/traefik#11243',
    remedy:
      'Traefik\'s own sticky cookie: an Ingress with traefik.ingress.kubernetes.io/service.sticky.cookie: "true" on the Service (exposectl expose SERVICE --mode ingress --sticky --in-place), or a TraefikService with spec.weighted.sticky.cookie referenced from the route\'s backendRefs (group traefik.io, kind TraefikService)',
  },
];

/** The implementation behind a GatewayClass controllerName, when it is known to ignore sessionPersistence. */
export function sessionPersistenceIgnoredBy(controllerName: string | undefined): PersistenceIgnored | undefined {
  if (controllerName === undefined) return undefined;
  return IGNORED.find((i) => i.controllerName === controllerName);
}
