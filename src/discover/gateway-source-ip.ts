// SOURCE-IP of a hostNetwork/hostPort HAProxy or nginx gateway (expose --mode hostnetwork,
// or the user's own): the gateway itself receives the client's packets, but the backend
// Pods behind it see the client only when each forward passes the address on (TCP: PROXY
// protocol; HTTP: X-Forwarded-For), else the gateway node's address. A plain HAProxy/nginx
// whose config the snapshot does not hold is `unknown`: whether it forwards, and how, is in
// that config (an ingress controller's own row keeps its verdict: its Ingress rows judge the
// backends). Pure.
import type { SourceIP } from '../model/exposure.js';
import type { Workload } from '../model/snapshot.js';
import { nsOf } from './context.js';
import { imageImplementation } from './host-exposures.js';
import { proxyGateways, resolveTarget } from './paths.js';
import { combineSourceIP } from './source-ip.js';
import { workloadFactOf } from './workload-facts.js';

/** What the Services behind the gateway's forwards see, or undefined when it is no HAProxy/nginx gateway. */
export function gatewaySourceIP(ctx: Parameters<typeof proxyGateways>[0], w: Workload): SourceIP | undefined {
  const configs = proxyGateways(ctx).filter((g) => g.workload === w);
  if (configs.length === 0) return isPlainProxy(ctx, w) ? 'unknown' : undefined;
  const verdicts: SourceIP[] = [];
  for (const g of configs) {
    for (const f of g.config.forwards) {
      if (!resolveTarget(ctx, f.host, f.port, nsOf(w))) continue;
      const kept = f.mode === 'tcp' ? f.sendProxy !== false : f.forwardedFor;
      verdicts.push(kept ? 'preserved' : 'lost');
    }
  }
  return verdicts.length > 0 ? combineSourceIP(verdicts) : undefined;
}

/** HAProxy or nginx itself, not an ingress controller built on it (haproxytech/kubernetes-ingress, haproxy-ingress). */
function isPlainProxy(ctx: Parameters<typeof proxyGateways>[0], w: Workload): boolean {
  const images = workloadFactOf(ctx, w).images;
  const impl = imageImplementation(images);
  return (impl === 'haproxy' || impl === 'nginx') && !images.some((i) => /ingress/.test(i));
}
