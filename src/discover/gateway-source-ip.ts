// SOURCE-IP of a hostNetwork/hostPort HAProxy or nginx gateway (expose --mode hostnetwork,
// or the user's own): the gateway itself receives the client's packets, but the backend
// Pods behind it see the client only when each forward passes the address on (TCP: PROXY
// protocol; HTTP: X-Forwarded-For), else the gateway node's address. A gateway the
// snapshot holds no config for keeps the hostNetwork verdict (`preserved` at that Pod). Pure.
import type { SourceIP } from '../model/exposure.js';
import type { Workload } from '../model/snapshot.js';
import { nsOf } from './context.js';
import { proxyGateways, resolveTarget } from './paths.js';
import { combineSourceIP } from './source-ip.js';

/** What the Services behind the gateway's forwards see, or undefined when it is no gateway with a known config. */
export function gatewaySourceIP(ctx: Parameters<typeof proxyGateways>[0], w: Workload): SourceIP | undefined {
  const verdicts: SourceIP[] = [];
  for (const g of proxyGateways(ctx)) {
    if (g.workload !== w) continue;
    for (const f of g.config.forwards) {
      if (!resolveTarget(ctx, f.host, f.port, nsOf(w))) continue;
      const kept = f.mode === 'tcp' ? f.sendProxy !== false : f.forwardedFor;
      verdicts.push(kept ? 'preserved' : 'lost');
    }
  }
  return verdicts.length > 0 ? combineSourceIP(verdicts) : undefined;
}
