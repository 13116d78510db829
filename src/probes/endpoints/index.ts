// The endpoints probe's public API: endpoints per node, kube-proxy healthz answers, the
// report that compares them. The judgement is src/analyzers/probe-endpoints.ts.

export type { EndpointsProbeReport, NodeEndpointsRow, NodeHealthz } from '../../discover/endpoints-report.js';
export {
  buildEndpointsReport,
  ENDPOINTS_PROBE_KIND,
  healthCheckNodePortOf,
  healthzTargets,
  toEndpointsProbe,
} from '../../discover/endpoints-report.js';
export type { HealthzBody, HealthzResult } from './healthz.js';
export { fetchHealthz, parseHealthzBody, probeHealthz } from './healthz.js';
export type { NodeEndpoints, ServiceEndpointsByNode } from './nodes.js';
export { endpointsByNode, nodeInternalIP, nodeReady, receivingNodes } from './nodes.js';
