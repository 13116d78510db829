// A Service's ports and external IPs, for discovery code that follows a path through a
// Service (paths.ts) and for the analyzers (re-exported by analyzers/util.ts): one reading,
// the Service facts of services.ts. Pure.
import type { Service } from '../model/snapshot.js';
import { readService, type ServicePortFact } from './services.js';

export type PortSpec = ServicePortFact;

export const portsOf = (svc: Service): PortSpec[] => readService(svc).ports;

export const externalIPsOf = (svc: Service): string[] => readService(svc).externalIPs;
