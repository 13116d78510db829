// The endpoints probe's public API: endpoints per node, kube-proxy healthz answers, the
// report that compares them. The judgement is src/analyzers/probe-endpoints.ts.
export { endpointsByNode, nodeInternalIP, nodeReady, receivingNodes } from './nodes.js';
export type { NodeEndpoints, ServiceEndpointsByNode } from './nodes.js';
export { fetchHealthz, parseHealthzBody, probeHealthz } from './healthz.js';
export type { HealthzBody, HealthzResult } from './healthz.js';
export { buildEndpointsReport, healthCheckNodePortOf, healthzTargets, toEndpointsProbe, ENDPOINTS_PROBE_KIND } from './report.js';
export type { EndpointsProbeReport, NodeEndpointsRow, NodeHealthz } from './report.js';
