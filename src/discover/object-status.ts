// Status fields many kinds share, read from objects of the snapshot or read fresh from the
// API server (the probes poll them): conditions, the load-balancer ingress of a Service or
// Ingress, a Gateway's addresses. Pure.
import { arr, rec, str } from './context.js';

type WithStatus = { status?: unknown } | undefined;

/** Whether status.conditions holds the condition `type` with status True. */
export function conditionTrue(o: WithStatus, type: string): boolean {
  return arr(rec(o?.status).conditions)
    .map(rec)
    .some((c) => c.type === type && c.status === 'True');
}

/** status.loadBalancer.ingress of a Service or Ingress: each entry's IP, else its hostname. */
export function loadBalancerIngress(o: WithStatus): string[] {
  return arr(rec(rec(o?.status).loadBalancer).ingress)
    .map(rec)
    .map((i) => str(i.ip) ?? str(i.hostname))
    .filter((x): x is string => !!x);
}

/** status.addresses[].value of a Gateway. */
export function gatewayStatusAddresses(o: WithStatus): string[] {
  return arr(rec(o?.status).addresses)
    .map((a) => str(rec(a).value))
    .filter((x): x is string => !!x);
}
