// What the topology builder offers the files that draw one implementation's path (Istio,
// Emissary, Multus LAN Pods): its methods, so that those files need no access to its class.
import type { ServiceBackend } from '../discover/backends.js';
import type { DiscoveryContext } from '../discover/context.js';
import type { Exposure, ServiceRef } from '../model/exposure.js';
import type { Pod } from '../model/snapshot.js';

export interface Drawing {
  ctx: DiscoveryContext;
  client(): string;
  address(e: Exposure): string;
  service(ref: ServiceRef, status?: Exposure['status']): string;
  gatewayNode(kind: string, namespace: string, name: string, e: Exposure | undefined, details?: string[]): string;
  backend(fromId: string, b: ServiceBackend, only: ServiceRef | undefined, stream: boolean): void;
  pod(fromId: string, p: Pod): void;
  node(n: Record<string, unknown>): void;
  edge(from: string, to: string, e?: Record<string, unknown>): void;
  /** The exposure `list` shows for an object of an implementation, when discovery found one. */
  exposureOf(kind: string, implementation: string, namespace: string, name: string): Exposure | undefined;
}
