// The objects lab:up and lab:echo apply: the data plane's DaemonSets (run for real by the
// lab kubelet), MetalLB's BGP peer (the router), and the echo Deployment and Service. Pure:
// YAML text from parameters.

import { LAB_IMAGES } from './pod-spec.ts';
import type { ProxyMode } from './state.ts';
import { CLUSTER_CIDR, LAB_KUBELET_LABEL, NODE_ASN, NODES, ROUTER, ROUTER_ASN } from './topology.ts';

const labLabel = `${LAB_KUBELET_LABEL.key}: "${LAB_KUBELET_LABEL.value}"`;
const fieldEnv = (name: string, fieldPath: string): string =>
  `{ name: ${name}, valueFrom: { fieldRef: { fieldPath: ${fieldPath} } } }`;

export const LAB_ROUTER_PEER = 'lab-router';

/** kube-proxy on every node, in the node's network namespace (hostNetwork), as kubeadm runs it. */
export function kubeProxyDaemonSet(opts: { kubeconfig: string; mode: ProxyMode; version: string }): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: kube-proxy, namespace: kube-system, labels: { k8s-app: kube-proxy } }
spec:
  selector: { matchLabels: { k8s-app: kube-proxy } }
  template:
    metadata: { labels: { k8s-app: kube-proxy, ${labLabel} } }
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      tolerations: [{ operator: Exists }]
      containers:
      - name: kube-proxy
        image: ${LAB_IMAGES.kubeProxy}:v${opts.version}
        env: [${fieldEnv('NODE_NAME', 'spec.nodeName')}]
        args:
        - --kubeconfig=${opts.kubeconfig}
        - --hostname-override=$(NODE_NAME)
        - --proxy-mode=${opts.mode}
        - --cluster-cidr=${CLUSTER_CIDR}
        # conntrack table sizes are global (not per network namespace): leave them alone
        - --conntrack-max-per-core=0
        - --conntrack-tcp-timeout-established=0
        - --conntrack-tcp-timeout-close-wait=0
        - --metrics-bind-address=127.0.0.1:10249
        - --healthz-bind-address=0.0.0.0:10256
        - --v=1
        ports: [{ name: healthz, containerPort: 10256 }]
`;
}

/** The MetalLB speaker on every node (hostNetwork; memberlist on the node addresses, native BGP). */
export function speakerDaemonSet(opts: { kubeconfig: string; version: string }): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: speaker, namespace: metallb-system, labels: { app: metallb, component: speaker } }
spec:
  selector: { matchLabels: { app: metallb, component: speaker } }
  template:
    metadata: { labels: { app: metallb, component: speaker, ${labLabel} } }
    spec:
      hostNetwork: true
      tolerations: [{ operator: Exists }]
      containers:
      - name: speaker
        image: ${LAB_IMAGES.speaker}:v${opts.version}
        env:
        - ${fieldEnv('METALLB_NODE_NAME', 'spec.nodeName')}
        - ${fieldEnv('METALLB_POD_NAME', 'metadata.name')}
        - ${fieldEnv('METALLB_HOST', 'status.hostIP')}
        - ${fieldEnv('METALLB_ML_BIND_ADDR', 'status.podIP')}
        - { name: METALLB_ML_LABELS, value: "app=metallb,component=speaker" }
        - { name: METALLB_NAMESPACE, value: metallb-system }
        - { name: KUBECONFIG, value: ${opts.kubeconfig} }
        args: [--port=7472, --log-level=info]
        ports: [{ name: monitoring, containerPort: 7472 }]
`;
}

/** Where Traefik runs (hostNetwork): the address Ingress and Gateway status report, and clients connect to. */
export const TRAEFIK_NODE = NODES[0]!;
export const LAB_CLASS = 'lab';

/**
 * Traefik, the lab's Ingress and Gateway API controller, on node-1 (hostNetwork, ports 80
 * and 443), outside any cluster networking: it reads the API through the lab's kubeconfig
 * and proxies to Pod addresses from the EndpointSlices. IngressClass and GatewayClass `lab`
 * are its; it writes the node's address into their objects' status.
 */
export function traefikManifests(opts: { version: string }): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: traefik, namespace: kube-system, labels: { app: traefik } }
spec:
  selector: { matchLabels: { app: traefik } }
  template:
    metadata: { labels: { app: traefik, ${labLabel} } }
    spec:
      hostNetwork: true
      nodeSelector: { kubernetes.io/hostname: ${TRAEFIK_NODE.name} }
      tolerations: [{ operator: Exists }]
      containers:
      - name: traefik
        image: ${LAB_IMAGES.traefik}:v${opts.version}
        args:
        - --entryPoints.web.address=:80
        - --entryPoints.websecure.address=:443
        - --providers.kubernetesingress=true
        - --providers.kubernetesingress.ingressClass=${LAB_CLASS}
        - --providers.kubernetesingress.ingressEndpoint.ip=${TRAEFIK_NODE.ip}
        - --providers.kubernetesgateway=true
        - --providers.kubernetesgateway.statusAddress.ip=${TRAEFIK_NODE.ip}
        - --log.level=INFO
        ports: [{ name: web, containerPort: 80 }, { name: websecure, containerPort: 443 }]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: ${LAB_CLASS} }
spec: { controller: traefik.io/ingress-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: ${LAB_CLASS} }
spec: { controllerName: traefik.io/gateway-controller }
`;
}

/** The router as MetalLB's BGP peer (expose --mode bgp reuses a peer with this address). */
export function routerPeer(): string {
  return `apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: { name: ${LAB_ROUTER_PEER}, namespace: metallb-system }
spec: { peerAddress: ${ROUTER.ip}, peerASN: ${ROUTER_ASN}, myASN: ${NODE_ASN}, holdTime: 9s }
`;
}

/** Echo Pods spread evenly over the nodes (one per node before a second on any), and a ClusterIP Service selecting them. */
export function echoManifests(opts: { namespace: string; name: string; replicas: number; port: number }): string {
  const { namespace, name, replicas, port } = opts;
  return `apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, ${labLabel} } }
    spec:
      topologySpreadConstraints:
      - { maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app: ${name} } } }
      containers:
      - name: echo
        image: ${LAB_IMAGES.echo}:1
        env:
        - ${fieldEnv('POD_NAME', 'metadata.name')}
        - ${fieldEnv('POD_NAMESPACE', 'metadata.namespace')}
        - ${fieldEnv('NODE_NAME', 'spec.nodeName')}
        - ${fieldEnv('POD_IP', 'status.podIP')}
        - { name: PORT, value: "${port}" }
        ports: [{ name: http, containerPort: ${port} }]
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  selector: { app: ${name} }
  # targetPort by number: nginx's --sticky gateway reaches the Pods by address and port number
  ports: [{ name: http, port: 80, targetPort: ${port} }]
`;
}
