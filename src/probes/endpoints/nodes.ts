// Endpoints per node and the nodes that receive a Service's external traffic are
// snapshot facts (src/discover/endpoints-per-node.ts, receiving-nodes.ts): the probe and
// the analyzers read the same ones.
export { endpointsByNode, type NodeEndpoints, type ServiceEndpointsByNode } from '../../discover/endpoints-per-node.js';
export { nodeInternalIP, nodeReady } from '../../discover/nodes.js';
export { receivingNodes, receivingNodesOf } from '../../discover/receiving-nodes.js';
