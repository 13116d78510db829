export * from './helpers.js';

import { service } from './helpers.js';
export const lb = (name: string, spec: Record<string, unknown> = {}) =>
  service(name, { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ...spec });
