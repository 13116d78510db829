// What `exposectl codes CODE` and docs/codes.md say about each code, beyond the catalogue's
// meaning and fix (src/analyzers/codes.ts): a title for the list, the usual causes (what
// users actually hit, as reported in the projects' issue trackers), and an example. Typed
// `Record<Code, ...>`: a code without an explanation does not compile, and
// test/unit/analyzers/explanations.test.ts runs every example manifest through the analyzers
// and requires its code. Pure data.
import type { Code } from '../codes.js';

export interface Explanation {
  /** One line for `exposectl codes`: what is wrong, lower case, no full stop. */
  title: string;
  /** Why it usually happens, most common first. */
  causes: readonly string[];
  example: {
    /** Manifests (YAML) that give the finding offline: `exposectl diagnose -f example.yaml`. */
    manifest?: string;
    /** The command that gives the finding (the probe's, for probe codes). */
    command: string;
    /**
     * The finding needs the absence of an object to be a fact: it is given for these objects in
     * a live cluster (`command` is then run against it), not from files.
     */
    cluster?: boolean;
    /** For probe codes: what the probe observes when the finding is given. */
    observation?: string;
  };
}

const FILES = 'exposectl diagnose -f example.yaml';
const LIVE = (namespace: string) => `exposectl diagnose -n ${namespace}`;

const POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses:
    - 192.0.2.240-192.0.2.250`;
const L2ADV = `apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lan
  namespace: metallb-system
spec:
  ipAddressPools:
    - lan`;

export const EXPLANATIONS = {
  'source-ip/etp-cluster': {
    title: 'externalTrafficPolicy Cluster: the backend sees a node address, not the client',
    causes: [
      'Cluster is the default: a NodePort or LoadBalancer Service gets it unless externalTrafficPolicy is set (Helm charts usually leave it unset).',
      'kube-proxy forwards traffic that arrives on a node without a local Pod to another node and SNATs it to the node address; the client address survives only with Local policy.',
      'Local was avoided on purpose (to spread load across nodes) and the application now needs the client address (logs, rate limits, allow-lists).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080`,
      command: FILES,
    },
  },
  'source-ip/proxy-protocol-missing': {
    title: 'a proxy in front of the backend hides the client address',
    causes: [
      'A TCP-mode proxy (HAProxy `mode tcp`, nginx `stream`) opens its own connection to the backend and sends no PROXY protocol header (`send-proxy`/`send-proxy-v2`, `proxy_protocol on`).',
      'An HTTP-mode proxy does not add X-Forwarded-For (HAProxy without `option forwardfor`), or the receiver does not trust it (ingress-nginx without `use-forwarded-headers`).',
      'A Gateway API TCPRoute, TLSRoute or UDPRoute: there is no portable setting to pass the client address, each implementation has its own (or none).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-cfg
  namespace: edge
data:
  haproxy.cfg: |
    defaults
      mode tcp
    frontend fe
      bind :443
      default_backend be
    backend be
      server s1 web.shop.svc.cluster.local:443
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: edge
  namespace: edge
spec:
  selector:
    matchLabels: { app: edge }
  template:
    metadata:
      labels: { app: edge }
    spec:
      hostNetwork: true
      containers:
        - name: haproxy
          image: haproxy:3.2
          ports:
            - containerPort: 443
      volumes:
        - name: config
          configMap:
            name: edge-cfg
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 443`,
      command: FILES,
    },
  },
  'source-ip/proxy-protocol-mismatch': {
    title: 'one side speaks PROXY protocol and the other does not: connections break',
    causes: [
      'ingress-nginx has `use-proxy-protocol: "true"` behind MetalLB, kube-vip or a NodePort: nothing in front sends the header, so every request is answered with a broken-header error (400) or dropped.',
      'A cloud load balancer annotation turns PROXY protocol on, and the controller behind it was not told to expect it (or the reverse after a migration to bare metal: the annotation is kept, nothing sends PROXY any more).',
      'A gateway sends `send-proxy`/`send-proxy-v2` to a backend that does not `accept-proxy`: the backend reads the header as the start of the request.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
data:
  use-proxy-protocol: "true"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
      app.kubernetes.io/component: controller
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
        app.kubernetes.io/component: controller
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.12.0
          args:
            - /nginx-ingress-controller
            - --configmap=$(POD_NAMESPACE)/ingress-nginx-controller
          ports:
            - { name: http, containerPort: 80 }
            - { name: https, containerPort: 443 }
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
  ports:
    - { name: http, port: 80, targetPort: http }
    - { name: https, port: 443, targetPort: https }
---
${POOL}
---
${L2ADV}`,
      command: FILES,
    },
  },
  'endpoints/none-ready': {
    title: 'the exposed Service has no ready endpoint',
    causes: [
      'The Pods fail their readiness probe (wrong path or port, a dependency down), crash-loop, or cannot pull their image.',
      'The Pods are Pending: no node fits their requests, taints or node selector.',
      'The workload is scaled to zero, or a Service without a selector has hand-made EndpointSlices whose endpoints are not ready.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  ports:
    - port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  namespace: shop
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
ports:
  - port: 80
endpoints:
  - addresses: ["10.244.1.7"]
    conditions:
      ready: false
    nodeName: n1`,
      command: FILES,
    },
  },
  'endpoints/selector-matches-nothing': {
    title: 'the Service selector matches no Pod',
    causes: [
      'A label differs between spec.selector and the Pod template (a typo, `app` against `app.kubernetes.io/name`, a Helm release name in one of them).',
      'The selector carries a label only some Pods have (a version or track label) and those Pods are gone.',
      'The Pods run in another namespace: a Service selects Pods of its own namespace only.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9-x2k4q
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  nodeName: n1
  containers:
    - name: web
      image: nginx:1.27
status:
  phase: Running
  conditions:
    - type: Ready
      status: "True"`,
      command: LIVE('shop'),
      cluster: true,
    },
  },
  'endpoints/target-port-mismatch': {
    title: "the Service's targetPort is not a port of its Pods",
    causes: [
      'A named targetPort (`targetPort: http`) that no container port is named: the EndpointSlice controller leaves those Pods out, so the Service has no endpoints for that port.',
      'A numeric targetPort that differs from the port the application listens on (the Service says 80, the container listens on 8080): connections are refused.',
      'The container port was renamed or renumbered in the Deployment and the Service was not changed with it.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: web
              containerPort: 8080`,
      command: FILES,
    },
  },
  'endpoints/local-policy-blackhole': {
    title: 'Local policy, and nodes that receive traffic have no ready endpoint',
    causes: [
      'A NodePort (or externalIPs) Service with externalTrafficPolicy Local is reached through every node (DNS round robin, an external load balancer that ignores the healthCheckNodePort): kube-proxy drops what arrives on a node without a local ready Pod.',
      'Fewer replicas than receiving nodes, or Pods packed on some nodes by scheduling.',
      "A load balancer that sends to every node instead of following kube-proxy's /healthz on the healthCheckNodePort (which answers 503 on nodes without a local endpoint).",
    ],
    example: {
      manifest: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      type: NodePort
      externalTrafficPolicy: Local
      selector:
        app: web
      ports:
        - port: 80
          nodePort: 30080
  - apiVersion: v1
    kind: Node
    metadata:
      name: n1
    status:
      addresses:
        - { type: InternalIP, address: 192.0.2.11 }
  - apiVersion: v1
    kind: Node
    metadata:
      name: n2
    status:
      addresses:
        - { type: InternalIP, address: 192.0.2.12 }
  - apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata:
      name: web-1
      namespace: shop
      labels:
        kubernetes.io/service-name: web
    addressType: IPv4
    ports:
      - port: 80
    endpoints:
      - addresses: ["10.244.1.7"]
        conditions:
          ready: true
        nodeName: n1`,
      command: FILES,
    },
  },
  'lb/pending': {
    title: 'a LoadBalancer Service without an address',
    causes: [
      'No load-balancer implementation runs in the cluster (bare metal, kubeadm, kind): nothing ever writes status.loadBalancer, and `kubectl get svc` shows EXTERNAL-IP <pending> forever.',
      'MetalLB is installed but has no IPAddressPool (since v0.13 the configuration is CRDs, the old ConfigMap is ignored).',
      "spec.loadBalancerClass names a class no controller handles, or the implementation's controller is not running.",
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
    - port: 80
status:
  loadBalancer: {}`,
      command: FILES,
    },
  },
  'lb/no-pool': {
    title: 'no address pool can serve the Service',
    causes: [
      'Every pool has `autoAssign: false`: MetalLB then assigns from it only to Services that name it (`metallb.io/address-pool: POOL`) or ask for one of its addresses.',
      'serviceAllocation limits the pools to other namespaces or Service labels (`namespaces`, `namespaceSelectors`, `serviceSelectors`); an empty serviceAllocation selects nothing.',
      'The `metallb.io/address-pool` annotation names a pool that does not exist, or a dual-stack Service meets single-family pools.',
    ],
    example: {
      manifest: `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: reserved
  namespace: metallb-system
spec:
  autoAssign: false
  addresses:
    - 192.0.2.240-192.0.2.250
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lan
  namespace: metallb-system
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'lb/pool-exhausted': {
    title: 'the matching pools have no free address',
    causes: [
      'The pool is small (a few addresses reserved on the LAN) and every LoadBalancer Service takes one, including ingress controllers and test Services left behind.',
      '`avoidBuggyIPs: true` removes the .0 and .255 addresses of each /24 from the pool.',
      'Services that could share one address (`metallb.io/allow-shared-ip`) each take their own.',
    ],
    example: {
      manifest: `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: lan
  namespace: metallb-system
spec:
  addresses:
    - 192.0.2.240/32
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: old
  namespace: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ports:
    - port: 80
status:
  loadBalancer:
    ingress:
      - ip: 192.0.2.240
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ports:
    - port: 80
status:
  loadBalancer: {}`,
      command: FILES,
    },
  },
  'lb/ip-not-in-pool': {
    title: 'the requested address is in no pool',
    causes: [
      'A typo in spec.loadBalancerIP or in the `metallb.io/loadBalancerIPs` annotation (MetalLB logs "no available IPs"/"not allowed in config").',
      'The pools were changed (renumbered, split) and the Services that ask for fixed addresses were not.',
      'An address of a pool with `avoidBuggyIPs: true` that ends in .0 or .255.',
    ],
    example: {
      manifest: `${POOL}
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    metallb.io/loadBalancerIPs: 192.0.2.25
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'lb/sharing-conflict': {
    title: 'Services on one address disagree on how to share it',
    causes: [
      'The Services do not all carry the same `metallb.io/allow-shared-ip` key (or one has none): MetalLB shares an address only between Services with the same key.',
      'Two Services use the same port and protocol on the address (DNS over TCP and UDP must be two Services with different protocols, not the same one twice).',
      'Their externalTrafficPolicy differs, or with Local their selectors differ: Local traffic can only go to nodes with endpoints, so MetalLB requires the same Pods behind every Service on the address.',
    ],
    example: {
      manifest: `${POOL}
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: dns-tcp
  namespace: dns
  annotations:
    metallb.io/allow-shared-ip: dns
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.245
  externalTrafficPolicy: Local
  selector:
    app: dns
  ports:
    - { port: 53, protocol: TCP }
---
apiVersion: v1
kind: Service
metadata:
  name: dns-udp
  namespace: dns
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.245
  externalTrafficPolicy: Local
  selector:
    app: dns
  ports:
    - { port: 53, protocol: UDP }`,
      command: FILES,
    },
  },
  'lb/no-advertisement': {
    title: 'addresses come from a pool that nothing announces',
    causes: [
      'Since MetalLB v0.13 a pool is announced only when an L2Advertisement or BGPAdvertisement selects it: with none, Services get addresses that nobody answers ARP for or routes.',
      'The advertisement lists other pools in spec.ipAddressPools, or its ipAddressPoolSelectors match other labels.',
      "The advertisement was created in another namespace than MetalLB's, where MetalLB does not read it.",
    ],
    example: {
      manifest: `${POOL}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lan
  namespace: metallb-system
spec:
  ipAddressPools:
    - office
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.241
  externalTrafficPolicy: Local
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'lb/pool-overlap': {
    title: 'two address pools overlap',
    causes: [
      'A pool copied from another and only partly edited, or a CIDR and a range written for the same addresses.',
      'A second pool added for reserved addresses inside the main pool\'s range (MetalLB\'s webhook rejects it with "overlaps with already defined CIDR"; without the webhook MetalLB reports the configuration invalid and does not apply it).',
    ],
    example: {
      manifest: `${POOL}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: reserved
  namespace: metallb-system
spec:
  autoAssign: false
  addresses:
    - 192.0.2.248/29`,
      command: FILES,
    },
  },
  'lb/implementation-conflict': {
    title: 'two load-balancer implementations claim the Service',
    causes: [
      "k3s's ServiceLB (klipper-lb) left enabled after installing MetalLB: both serve every LoadBalancer Service without a loadBalancerClass, ServiceLB's svclb DaemonSets take the Service ports as hostPorts on every node and write node addresses into the status, MetalLB writes its pool's address.",
      'The same with another built-in or added implementation (Cilium LB-IPAM, kube-vip) next to ServiceLB; two pool-based implementations that could both serve a Service are shown as ambiguous by list/describe instead.',
    ],
    example: {
      manifest: `${POOL}
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: svclb-web-1a2b3c4d
  namespace: kube-system
  labels:
    svccontroller.k3s.cattle.io/svcname: web
    svccontroller.k3s.cattle.io/svcnamespace: default
spec:
  selector:
    matchLabels:
      app: svclb-web-1a2b3c4d
  template:
    metadata:
      labels:
        app: svclb-web-1a2b3c4d
    spec:
      containers:
        - name: lb-tcp-80
          image: rancher/klipper-lb:v0.4.9
          ports:
            - containerPort: 80
              hostPort: 80
              protocol: TCP`,
      command: FILES,
    },
  },
  'lb/no-eligible-announcer': {
    title: 'no node may announce the address',
    causes: [
      'Since MetalLB v0.14 speakers skip nodes labelled node.kubernetes.io/exclude-from-external-load-balancers, which kubeadm puts on control-plane nodes: a single-node or control-plane-only cluster announces nothing after the upgrade.',
      'The L2Advertisement/BGPAdvertisement nodeSelectors (or the CiliumL2AnnouncementPolicy nodeSelector, often copied from the docs with a label such as role=worker) select no node.',
      'externalTrafficPolicy Local, and the only nodes allowed to announce run no ready Pod of the Service: MetalLB and Cilium announce a Local Service only from a node with a ready endpoint, so nobody announces it.',
      'The speaker, agent or kube-vip DaemonSet cannot run on the nodes allowed to announce (nodeSelector, affinity, an untolerated taint).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: solo
  labels:
    node-role.kubernetes.io/control-plane: ""
    node.kubernetes.io/exclude-from-external-load-balancers: ""
---
${POOL}
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.241
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'lb/annotation-ignored': {
    title: 'an annotation nothing reads',
    causes: [
      "A key that looks right but is not the implementation's: metallb.universe.tf/pool-name instead of metallb.io/address-pool, a typo in an ingress-nginx or Traefik key.",
      'The key written under metadata.labels: implementations read these settings from annotations only.',
      "Another implementation's key (kube-vip.io/loadbalancerIPs on a Service MetalLB serves), or a cloud provider's (service.beta.kubernetes.io/aws-load-balancer-*) in a cluster whose load balancer is MetalLB, Cilium or kube-vip: nothing acts on it; a cloud PROXY-protocol annotation there makes nothing send PROXY protocol.",
    ],
    example: {
      manifest: `${POOL}
---
${L2ADV}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
    metallb.universe.tf/pool-name: lan
spec:
  type: LoadBalancer
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'lb/announcer-not-eligible': {
    title: 'the reported announcer may not announce the address',
    causes: [
      'A ServiceL2Status left behind naming the node that announced before a failover or a configuration change: MetalLB 0.15.2 and 0.15.3 cannot move status.node ("Value is immutable"), so the status keeps the old node until the speakers restart.',
      'The L2Advertisement nodeSelectors, the node.kubernetes.io/exclude-from-external-load-balancers label or the speaker DaemonSet placement changed, and the speaker on the reported node has not withdrawn yet (stuck, or no longer running there).',
      'A Cilium cilium-l2announce Lease still held by a node the CiliumL2AnnouncementPolicy no longer selects (its agent keeps renewing, or the Lease has not expired).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: edge-1
  labels:
    edge: "true"
---
apiVersion: v1
kind: Node
metadata:
  name: worker-1
---
${POOL}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: lan
  namespace: metallb-system
spec:
  ipAddressPools:
    - lan
  nodeSelectors:
    - matchLabels:
        edge: "true"
---
apiVersion: metallb.io/v1beta1
kind: ServiceL2Status
metadata:
  name: l2-x7k2p
  namespace: metallb-system
status:
  node: worker-1
  serviceName: web
  serviceNamespace: shop
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  ports:
    - port: 80
status:
  loadBalancer:
    ingress:
      - ip: 192.0.2.241`,
      command: FILES,
    },
  },
  'nodeport/out-of-range': {
    title: 'a nodePort outside the NodePort range',
    causes: [
      "A nodePort chosen to look like the service port (80, 443, 8080): NodePorts come from the API server's --service-node-port-range, 30000-32767 by default.",
      'A chart written for a cluster with a wider --service-node-port-range.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      nodePort: 8080`,
      command: FILES,
    },
  },
  'input/invalid-value': {
    title: 'a Service field the API server rejects',
    causes: [
      'A protocol that is an application protocol (HTTP, HTTPS, gRPC): Service protocols are TCP, UDP or SCTP; the application protocol goes in appProtocol.',
      'A named targetPort that is not an IANA service name (at most 15 characters, lower case letters, digits and single hyphens, at least one letter).',
      'A port out of 1-65535, a port written as a string, or an address that is not an IP.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: HTTP`,
      command: FILES,
    },
  },
  'nodeport/collision': {
    title: 'two Services ask for the same nodePort',
    causes: [
      'A manifest copied to make a second Service, keeping its fixed nodePort.',
      'Two charts (or two releases of one) that pin the same nodePort: the API server allocates a nodePort once per protocol and rejects the second Service ("provided port is already allocated").',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: web-canary
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web-canary
  ports:
    - port: 80
      nodePort: 30080`,
      command: FILES,
    },
  },
  'hostnetwork/port-conflict': {
    title: 'two hostNetwork or hostPort workloads claim one port on a node',
    causes: [
      'Two ingress controllers (or a controller and a node-local proxy) both run with hostNetwork on ports 80/443 on the same nodes: the second cannot bind and crash-loops.',
      "k3s's ServiceLB (svclb DaemonSets with hostPort) left on next to another load balancer or a hostNetwork ingress: the scheduler cannot place Pods that ask for a taken hostPort.",
      'A rolling update of a hostPort DaemonSet with maxSurge: the new Pod cannot start where the old one still holds the port.',
    ],
    example: {
      manifest: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: haproxy
  namespace: edge
spec:
  selector:
    matchLabels: { app: haproxy }
  template:
    metadata:
      labels: { app: haproxy }
    spec:
      hostNetwork: true
      containers:
        - name: haproxy
          image: haproxy:3.2
          ports:
            - containerPort: 80
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nginx
  namespace: edge
spec:
  selector:
    matchLabels: { app: nginx }
  template:
    metadata:
      labels: { app: nginx }
    spec:
      hostNetwork: true
      containers:
        - name: nginx
          image: nginx:1.27
          ports:
            - containerPort: 80`,
      command: FILES,
    },
  },
  'hostnetwork/no-gateway-nodes': {
    title: "the gateway's node selector matches no node",
    causes: [
      "The nodes were never labelled (or lost the label when they were replaced) for the gateway's nodeSelector, e.g. `node-role.kubernetes.io/edge`.",
      "A typo in the label key or value of the DaemonSet's nodeSelector.",
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: n1
  labels:
    kubernetes.io/hostname: n1
status:
  addresses:
    - { type: InternalIP, address: 192.0.2.11 }
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: edge
  namespace: edge
spec:
  selector:
    matchLabels: { app: edge }
  template:
    metadata:
      labels: { app: edge }
    spec:
      hostNetwork: true
      nodeSelector:
        node-role.kubernetes.io/edge: "true"
      containers:
        - name: envoy
          image: envoyproxy/envoy:v1.33.0
          ports:
            - containerPort: 443`,
      command: FILES,
    },
  },
  'ingress/no-controller': {
    title: 'no ingress controller serves the Ingress',
    causes: [
      'spec.ingressClassName names a class that does not exist (a class name from another cluster or chart: `nginx` against `ingress-nginx`).',
      'The Ingress names no class and no IngressClass is marked default (ingressclass.kubernetes.io/is-default-class), or two are.',
      'The legacy kubernetes.io/ingress.class annotation names a class the controller does not watch (ingress-nginx compares it with --ingress-class, Traefik with providers.kubernetesIngress.ingressClass, HAProxy with --ingress.class).',
      "The controller's own flags leave it out: ingress-nginx 1.x takes an Ingress without a class only with --watch-ingress-without-class, HAProxy with --ingress.class only with --empty-ingress-class, Traefik and Contour not once a class is configured; an IngressClass whose spec.controller is not the controller's --controller-class.",
      'The default class was created (or marked default) after the Ingress: the API server sets the default only on Ingresses created afterwards, so the older one keeps no class.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata:
      name: traefik
      annotations:
        ingressclass.kubernetes.io/is-default-class: "true"
    spec:
      controller: traefik.io/ingress-controller
  - apiVersion: networking.k8s.io/v1
    kind: IngressClass
    metadata:
      name: haproxy
      annotations:
        ingressclass.kubernetes.io/is-default-class: "true"
    spec:
      controller: haproxy.org/ingress-controller/haproxy
  - apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      selector:
        app: web
      ports:
        - port: 80
  - apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      namespace: shop
    spec:
      rules:
        - host: shop.example.com
          http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service:
                    name: web
                    port:
                      number: 80`,
      command: FILES,
    },
  },
  'ingress/backend-missing': {
    title: 'an Ingress or route backend names a missing Service or port',
    causes: [
      'The backend port is the container port (8080) instead of the Service port (80), or a port name the Service does not have.',
      "The Service was renamed, or lives in another namespace: an Ingress backend is always in the Ingress's namespace.",
      'The Service is created by another chart that is not installed yet.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: traefik
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080`,
      command: FILES,
    },
  },
  'ingress/tls-secret-missing': {
    title: 'a TLS section names a missing Secret',
    causes: [
      'The Secret is in another namespace: an Ingress can only use Secrets of its own namespace.',
      'cert-manager has not issued the certificate yet (or failed): the Secret appears only after the Certificate is Ready.',
      'A typo in spec.tls[].secretName; the controller then serves its default (self-signed) certificate, which clients reject.',
    ],
    example: {
      manifest: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: cert-manager
type: kubernetes.io/tls
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: traefik
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80`,
      command: LIVE('shop'),
      cluster: true,
    },
  },
  'ingress/retired-controller': {
    title: 'the Ingress is served by ingress-nginx, which is retired',
    causes: [
      'The Ingress uses the `nginx` class of the kubernetes/ingress-nginx controller, which its maintainers retired: no more releases or security fixes.',
    ],
    example: {
      manifest: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80`,
      command: FILES,
    },
  },
  'affinity/client-ip-hidden': {
    title: 'a ClientIP-affine Service whose clients arrive through a hop that replaces their address',
    causes: [
      "A hostNetwork HAProxy/nginx gateway or another proxy connects to the Service's ClusterIP or name without passing the client on: kube-proxy keys the affinity on the proxy's address.",
      'externalTrafficPolicy Cluster (or a NAT in front) SNATs the client to a node address before the Service picks a Pod.',
      "sessionAffinity: ClientIP was added to fix stickiness behind an Ingress or gateway, where it sees only the gateway's address.",
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  sessionAffinity: ClientIP
  clusterIP: 10.96.0.10
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gw-cfg
  namespace: default
data:
  haproxy.cfg: |
    defaults
        mode tcp
    frontend fe
        bind :80
        default_backend be
    backend be
        server s1 10.96.0.10:80
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: gw
  namespace: default
spec:
  selector:
    matchLabels:
      app: gw
  template:
    metadata:
      labels:
        app: gw
    spec:
      hostNetwork: true
      containers:
        - name: haproxy
          image: haproxy:3.2
          ports:
            - containerPort: 80
              hostPort: 80
      volumes:
        - name: config
          configMap:
            name: gw-cfg`,
      command: FILES,
    },
  },
  'affinity/bypassed-by-proxy': {
    title: 'Service affinity bypassed by an L7 controller that sends to the endpoints directly',
    causes: [
      "ingress-nginx, Traefik, HAProxy Ingress and most Gateway implementations balance over the EndpointSlices themselves, so the Service's sessionAffinity is never consulted.",
      "Stickiness must be set in the controller: ingress-nginx `nginx.ingress.kubernetes.io/affinity: cookie`, Traefik's sticky cookie on the Service, Gateway API sessionPersistence.",
    ],
    example: {
      manifest: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
spec:
  ingressClassName: nginx
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  sessionAffinity: ClientIP`,
      command: FILES,
    },
  },
  'affinity/per-entry-node': {
    title: 'ClientIP affinity with several ways in: each entry node keeps its own table',
    causes: [
      'kube-proxy keeps ClientIP affinity per node: a NodePort reached on two nodes, or BGP ECMP spreading one client over several nodes, picks a Pod per node.',
      'Several gateway replicas with stick tables that are not shared (no HAProxy `peers`).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {}
status:
  addresses:
    - type: InternalIP
      address: 192.0.2.11
---
apiVersion: v1
kind: Node
metadata:
  name: n2
  labels: {}
status:
  addresses:
    - type: InternalIP
      address: 192.0.2.12
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  type: NodePort
  sessionAffinity: ClientIP`,
      command: FILES,
    },
  },
  'affinity/annotation-ignored': {
    title: 'a stickiness annotation that the controller in front does not act on',
    causes: [
      'Traefik reads its sticky-cookie annotations on the Service, not on the Ingress (traefik/traefik#2392, #6916).',
      'Cookie affinity with ingress-nginx `service-upstream: true`: the controller sends to the ClusterIP and the cookie pins nothing.',
      'An annotation of another controller than the one the IngressClass selects.',
    ],
    example: {
      manifest: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  type: ClusterIP
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations:
    traefik.ingress.kubernetes.io/service.sticky.cookie: "true"
spec:
  ingressClassName: traefik
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80`,
      command: FILES,
    },
  },
  'affinity/proxy-sticks-to-service': {
    title: 'a sticky gateway whose only server is the Service: kube-proxy still picks the Pod',
    causes: [
      'HAProxy `balance source`/stick tables or nginx `ip_hash` pin the client to a server, but the only server is the Service: kube-proxy spreads the connections behind it.',
      'Point the gateway at the Pods (a headless Service resolved by DNS, as `expose --sticky --mode hostnetwork` does) or set sessionAffinity on the Service.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  type: ClusterIP
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: gw-cfg
  namespace: default
data:
  haproxy.cfg: |
    frontend fe
      bind :80
      default_backend be
    backend be
      balance source
      server s1 web:80
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: gw
  namespace: default
spec:
  selector:
    matchLabels:
      app: gw
  template:
    metadata:
      labels:
        app: gw
    spec:
      hostNetwork: true
      containers:
        - name: haproxy
          image: haproxy:3.2
          ports:
            - containerPort: 80
              hostPort: 80
      volumes:
        - name: config
          configMap:
            name: gw-cfg`,
      command: FILES,
    },
  },
  'affinity/session-persistence-ignored': {
    title: 'route sessionPersistence on a Gateway whose implementation does not apply it',
    causes: [
      "Traefik's Gateway API provider accepts an HTTPRoute with sessionPersistence and sets no cookie (traefik/traefik#11243; PR #12539 closed unmerged): the route is Accepted and every request is balanced afresh.",
      'The field is experimental (GEP-1619): other implementations have accepted it without applying it too (kgateway-dev/kgateway#10461); exposectl reports only the implementations known to.',
      "Fix with the implementation's own stickiness: for Traefik, an Ingress with its sticky cookie on the Service (`expose --mode ingress --sticky --in-place`) or a TraefikService with a sticky cookie as the route's backend.",
    ],
    example: {
      manifest: `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: traefik
spec:
  controllerName: traefik.io/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: default
spec:
  gatewayClassName: traefik
  listeners:
    - name: web
      protocol: HTTP
      port: 8000
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - port: 80
      protocol: TCP
  type: ClusterIP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: default
spec:
  parentRefs:
    - name: public
  rules:
    - backendRefs:
        - name: web
          port: 80
      sessionPersistence:
        type: Cookie
        sessionName: web-session`,
      command: FILES,
    },
  },
  'gateway/ref-not-permitted': {
    title: 'a cross-namespace backendRef or certificateRef that no ReferenceGrant permits',
    causes: [
      "The route (or the Gateway's certificateRef) points into another namespace and no ReferenceGrant in that namespace allows its kind from its namespace: the implementation refuses it (ResolvedRefs False, RefNotPermitted).",
      'A ReferenceGrant exists but names another namespace, kind or target name in from/to.',
    ],
    example: {
      manifest: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: default
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces:
          from: All
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: apps
spec:
  parentRefs:
    - name: public
      namespace: default
  rules:
    - backendRefs:
        - name: api
          namespace: backend
          port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: backend
spec:
  selector:
    app: api
  ports:
    - port: 80
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-other
  namespace: backend
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: other
  to:
    - group: ""
      kind: Service`,
      command: FILES,
    },
  },
  'gateway/route-not-attached': {
    title: "a route's parentRef reaches no Gateway listener",
    causes: [
      'sectionName names a listener the Gateway does not have (`https` when the listener is called `websecure`).',
      'The route is in another namespace than the Gateway and the listener keeps the default `allowedRoutes.namespaces.from: Same`.',
      "The listener's protocol or allowedRoutes.kinds does not admit the route's kind (a TCPRoute on an HTTP listener), or its hostname does not intersect the route's hostnames.",
    ],
    example: {
      manifest: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: infra
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  parentRefs:
    - name: public
      namespace: infra
  rules:
    - backendRefs:
        - name: web
          port: 80`,
      command: FILES,
    },
  },
  'arp/no-reply': {
    title: 'nobody answers ARP for the address',
    causes: [
      'No L2Advertisement selects the pool, or its nodeSelectors/interfaces exclude every node on the segment.',
      'The speaker (MetalLB speaker, kube-vip) does not run on the nodes of that segment, or it is excluded (nodes labelled node.kubernetes.io/exclude-from-external-load-balancers are skipped by MetalLB since v0.14).',
      'The address is not in the subnet of the segment the client is on, so a router never asks for it there.',
    ],
    example: {
      command: 'sudo exposectl diagnose arp --probe --interface eth0',
      observation: 'three ARP requests for 192.0.2.241 from eth0, no reply',
    },
  },
  'arp/multiple-replies': {
    title: 'more than one MAC answers ARP for the address',
    causes: [
      "Two implementations announce the same address (MetalLB and kube-vip, or k3s's ServiceLB next to MetalLB).",
      'The address is also configured statically on a host or router, or two clusters use overlapping pools on one LAN.',
    ],
    example: {
      command: 'sudo exposectl diagnose arp --probe --interface eth0',
      observation: '192.0.2.241 answered by 02:00:00:00:00:01 (node n1) and 02:00:00:00:00:99 (no known node)',
    },
  },
  'arp/holder-mismatch': {
    title: 'the MAC that answers is not the announcer the implementation reports',
    causes: [
      'A stale entry: the previous announcer still answers (or a switch or client cache still points to it) after a failover.',
      "The node has several interfaces and answers from another one than the implementation reports, or a bond/bridge MAC differs from the node's recorded MAC.",
    ],
    example: {
      command: 'sudo exposectl diagnose arp --probe --interface eth0',
      observation: "MetalLB's ServiceL2Status names node n1 for shop/web; 192.0.2.241 is answered by the MAC of n2",
    },
  },
  'bgp/session-down': {
    title: 'an expected BGP peer has no established session',
    causes: [
      'AS numbers or the peer address differ between the BGPPeer (or CiliumBGPPeeringPolicy) and the router.',
      'TCP port 179 is blocked between the nodes and the router, or the router expects another source address (multi-homed nodes) or a password.',
      'The speaker does not run on that node (node selectors, taints) or cannot bind port 179 because another BGP daemon holds it.',
    ],
    example: {
      command: 'exposectl diagnose bgp --probe --bgp-listen 192.0.2.10:1179 --bgp-local-as 64500 --bgp-peer 192.0.2.12',
      observation: 'peer 192.0.2.12 never reached Established within --bgp-duration',
    },
  },
  'bgp/not-advertised': {
    title: 'a LoadBalancer address is advertised by no peer',
    causes: [
      'No BGPAdvertisement selects the pool that holds the address (MetalLB v0.13+ announces nothing without one).',
      'With Local policy no node has a ready endpoint, so every speaker withdraws the route.',
      "The advertisement's peers or nodeSelectors leave out the peers the router talks to.",
      "Calico: the address is outside the BGPConfiguration's serviceLoadBalancerIPs/serviceExternalIPs, or no BGPPeer takes routes out of the cluster.",
    ],
    example: {
      // From files: Calico advertises only the ranges of its BGPConfiguration.
      manifest: `apiVersion: crd.projectcalico.org/v1
kind: BGPConfiguration
metadata:
  name: default
spec:
  serviceLoadBalancerIPs:
    - cidr: 198.51.100.0/24
---
apiVersion: crd.projectcalico.org/v1
kind: BGPPeer
metadata:
  name: tor
spec:
  peerIP: 192.0.2.1
  asNumber: 65001
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  loadBalancerIP: 192.0.2.77
  selector:
    app: web
  ports:
    - port: 80`,
      command: FILES,
    },
  },
  'bgp/peer-not-established': {
    title: 'the implementation reports a BGP session not established',
    causes: [
      'The node\'s localASN and the router\'s ASN swapped or mistyped: the router answers with "as number mismatch" and the session stays in active.',
      'The peer address is wrong or port 179 is filtered between the node and the router (connect/active).',
      "The router has no neighbor entry for the node's address (new node, or the router peers with a different interface address), or requires a password or eBGP multihop the peer configuration lacks.",
    ],
    example: {
      manifest: `apiVersion: cilium.io/v2
kind: CiliumBGPNodeConfig
metadata:
  name: node01
spec:
  bgpInstances:
    - name: home
      localASN: 64513
      peers:
        - name: router
          peerAddress: 10.0.0.1
          peerASN: 64514
status:
  bgpInstances:
    - name: home
      localASN: 64513
      peers:
        - name: router
          peerAddress: 10.0.0.1
          peerASN: 64514
          peeringState: active`,
      command: FILES,
    },
  },
  'bgp/nexthop-without-endpoints': {
    title: 'a BGP next hop has no local ready endpoint under Local policy',
    causes: [
      'A speaker that announces from every node regardless of endpoints (a static route, kube-vip or Cilium settings that do not follow endpoints), with externalTrafficPolicy Local: traffic routed to a node without a Pod is dropped.',
      'Endpoints just moved and the speaker has not withdrawn the route yet.',
    ],
    example: {
      command: 'exposectl diagnose bgp --probe --bgp-listen 192.0.2.10:1179 --bgp-local-as 64500',
      observation:
        '198.51.100.10/32 advertised with next hop 192.0.2.12 (node n2), which has no ready Pod of the Service',
    },
  },
  'dns/gateway-not-on-node': {
    title: 'a DNS name points at a node where its gateway does not run',
    causes: [
      'The target annotation or a DNSEndpoint lists every node address, while the hostNetwork gateway runs only on the nodes of its nodeSelector (edge nodes).',
      "The gateway's nodeSelector or tolerations changed (or a node was replaced) and the hand-written targets were not updated: external-dns publishes what it is told.",
      'A node was cordoned or tainted and the gateway Pod left it, while the record still points there.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: edge-1
  labels:
    role: edge
status:
  addresses:
    - type: InternalIP
      address: 192.0.2.11
---
apiVersion: v1
kind: Node
metadata:
  name: worker-1
status:
  addresses:
    - type: InternalIP
      address: 192.0.2.21
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: edge-gateway
  namespace: infra
spec:
  selector:
    matchLabels:
      app: edge-gateway
  template:
    metadata:
      labels:
        app: edge-gateway
    spec:
      hostNetwork: true
      nodeSelector:
        role: edge
      containers:
        - name: haproxy
          image: haproxy:3.2
          ports:
            - containerPort: 443
---
apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata:
  name: shop
  namespace: infra
spec:
  endpoints:
    - dnsName: shop.example.com
      recordType: A
      targets:
        - 192.0.2.11
        - 192.0.2.21`,
      command: FILES,
    },
  },
  'dns/target-unserved': {
    title: 'a DNS name points at an address no exposure serves',
    causes: [
      'The LoadBalancer address changed (a new pool, the Service recreated) and a hand-written target annotation or DNSEndpoint still has the old one.',
      'The Service or gateway the record was made for was removed, and the DNSEndpoint (which external-dns keeps publishing) was left behind.',
      'A typo in the target annotation (external-dns publishes any address it is given).',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Node
metadata:
  name: node-1
status:
  addresses:
    - type: InternalIP
      address: 192.0.2.11
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: default
spec:
  type: LoadBalancer
  selector:
    app: shop
  ports:
    - port: 443
status:
  loadBalancer:
    ingress:
      - ip: 198.51.100.11
---
apiVersion: externaldns.k8s.io/v1alpha1
kind: DNSEndpoint
metadata:
  name: shop
  namespace: default
spec:
  endpoints:
    - dnsName: shop.example.com
      recordType: A
      targets:
        - 198.51.100.10`,
      command: FILES,
    },
  },
  'lan/network-missing': {
    title: 'a Pod asks Multus for a network that does not exist',
    causes: [
      "The NetworkAttachmentDefinition lives in another namespace: a name without a namespace in the annotation means the Pod's own namespace.",
      'The NetworkAttachmentDefinition was never applied (it came with another chart or overlay), or its name is misspelt in the annotation.',
    ],
    example: {
      manifest: `apiVersion: v1
kind: Pod
metadata:
  name: camera
  namespace: iot
  annotations:
    k8s.v1.cni.cncf.io/networks: lan
spec:
  containers:
    - name: app
      image: nginx:1.29
      ports:
        - containerPort: 80
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: lan0
  namespace: iot
spec:
  config: '{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth0", "mode": "bridge"}'`,
      command: FILES,
    },
  },
  'lan/networks-invalid': {
    title: "a Pod's Multus networks annotation cannot be read",
    causes: ['A JSON list with a syntax error (a missing quote or comma, single quotes), often from templating.'],
    example: {
      manifest: `apiVersion: v1
kind: Pod
metadata:
  name: camera
  namespace: iot
  annotations:
    k8s.v1.cni.cncf.io/networks: '[{"name": "lan", "interface": "net1"'
spec:
  containers:
    - name: app
      image: nginx:1.29
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: lan
  namespace: iot
spec:
  config: '{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth0", "mode": "bridge"}'`,
      command: FILES,
    },
  },
  'reach/refused': {
    title: 'a way in refuses the connection',
    causes: [
      'The nodePort is not open on that node: kube-proxy does not run there, runs in another mode, or has not synced the Service yet.',
      'The gateway or Ingress controller does not listen on that port or address (hostNetwork DaemonSet not scheduled on that node, a listener or entry point missing).',
      'A host firewall (firewalld, nftables, a cloud security group) rejects the port with a TCP reset or ICMP port unreachable.',
    ],
    example: {
      command: 'exposectl probe reach web',
      observation: 'nodePort node-2 192.0.2.12:30080: connection refused (ECONNREFUSED)',
    },
  },
  'reach/timed-out': {
    title: 'a way in never completes the TCP handshake',
    causes: [
      'externalTrafficPolicy Local and the node has no ready Pod of the Service: kube-proxy drops the packets there, and a client sent to that node hangs.',
      'A firewall drops the port silently (a DROP rule, a security group without the NodePort range).',
      'The address is announced by nobody, or by a node that does not route it (a stale ARP entry, a BGP next hop without the address), or the return path is asymmetric and rp_filter drops the answers.',
    ],
    example: {
      command: 'exposectl probe reach web --timeout 2s',
      observation:
        'nodePort node-3 192.0.2.13:30080: no connection within 2000 ms (node-3 has no ready endpoint, policy Local)',
    },
  },
  'reach/reset': {
    title: 'a way in accepts and then resets the connection',
    causes: [
      'PROXY protocol on one side only: the receiving proxy expects a header the sender does not send (or reads a header as garbage) and closes the connection.',
      'TLS sent to a plain-HTTP port or plain HTTP to a TLS port of a TCP passthrough, so the backend aborts.',
      'The backend process crashes or restarts while serving, or a proxy limit (max connections) is reached.',
    ],
    example: {
      command: 'exposectl probe reach http://198.51.100.10/',
      observation: 'http://198.51.100.10/: connected in 1 ms, then ECONNRESET before any answer',
    },
  },
  'reach/unreachable': {
    title: 'a way in cannot be reached from here: no route, or no address for its name',
    causes: [
      'A BGP-announced address the client network has no route to: the router does not peer with the speakers or filters the prefix.',
      'The LoadBalancer pool is outside the subnet of the client segment in L2 mode, so nobody ARPs for it on the path.',
      'The host name of an Ingress or listener is not in DNS yet (or only in a split-horizon view the client does not use).',
      'The probe runs from a network that is not meant to reach the exposure (a VPN, another VLAN).',
    ],
    example: {
      command: 'exposectl probe reach 203.0.113.10:80',
      observation: '203.0.113.10:80: EHOSTUNREACH (no route to host)',
    },
  },
  'reach/no-answer': {
    title: 'a way in accepts the connection but never answers',
    causes: [
      'A proxy that expects a PROXY protocol header waits for it and never answers a plain request.',
      'The backend accepts and hangs (a full worker pool, a deadlock) or is slower than --timeout.',
      'TLS expected where plain HTTP is sent: the server waits for a ClientHello.',
    ],
    example: {
      command: 'exposectl probe reach http://192.0.2.12:8080/ --timeout 2s',
      observation: 'http://192.0.2.12:8080/: connected in 1 ms, no HTTP answer within 2000 ms',
    },
  },
  'reach/intermittent': {
    title: 'a way in answers some tries and fails others',
    causes: [
      'A load balancer or ECMP router spreads connections over nodes, and nodes without a local Pod (externalTrafficPolicy Local) drop their share.',
      'A not-ready or terminating Pod still receives traffic, or one replica of the backend is broken.',
      'Two hosts answer ARP for the address, and the client flips between them.',
    ],
    example: {
      command: 'exposectl probe reach http://203.0.113.10/ --count 20',
      observation: 'http://203.0.113.10/: 14 of 20 connected, 6 timed out',
    },
  },
  'reach/tls-name-mismatch': {
    title: 'the certificate of a way in does not name the host',
    causes: [
      'The host is missing from the Ingress TLS section (or the Secret is missing or invalid), so the controller serves its default "fake" certificate.',
      "The Secret holds a certificate for another host, or the Gateway listener's certificateRefs point at the wrong Secret.",
      'The client asks by address or by another name than the certificate carries (no SNI, so the default certificate is served).',
    ],
    example: {
      command: 'exposectl probe reach web',
      observation:
        'Ingress https://shop.example.com/: certificate for "Kubernetes Ingress Controller Fake Certificate", not for shop.example.com',
    },
  },
  'reach/tls-expired': {
    title: 'the certificate of a way in has expired or is not valid yet',
    causes: [
      'cert-manager could not renew it (a failed ACME challenge behind the same exposure, rate limits, a deleted Issuer).',
      'A certificate made by hand and forgotten; or the clock of the client or server is wrong.',
    ],
    example: {
      command: 'exposectl probe reach https://shop.example.com/',
      observation: 'https://shop.example.com/: certificate valid until 2026-01-02T00:00:00.000Z',
    },
  },
  'reach/tls-untrusted': {
    title: 'the certificate of a way in is not trusted',
    causes: [
      'A self-signed or private-CA certificate, which clients without that CA refuse.',
      'The Secret holds only the leaf certificate, without the intermediates, so clients cannot build the chain.',
    ],
    example: {
      command: 'exposectl probe reach https://shop.example.com/',
      observation: 'https://shop.example.com/: DEPTH_ZERO_SELF_SIGNED_CERT, issuer shop.example.com',
    },
  },
  'reach/http-error': {
    title: 'a way in answers HTTP 5xx',
    causes: [
      'The Ingress controller or Gateway has no ready endpoint for the backend (502/503), or its backend port is wrong.',
      'The backend answers an error itself, or is slower than the proxy timeout (504).',
    ],
    example: {
      command: 'exposectl probe reach web',
      observation: 'Ingress http://shop.example.com/: 503 from the controller',
    },
  },
  'reach/not-sticky': {
    title: 'a ClientIP-sticky client reached several Pods',
    causes: [
      'externalTrafficPolicy Cluster with several entry nodes: each node keys affinity on its own, and SNAT hides the client.',
      'A proxy in front (Ingress controller, hostNetwork gateway) opens its own connections, so the Service sees the proxy, or the proxy picks Pods itself.',
    ],
    example: {
      command: 'exposectl probe reach web --count 20',
      observation: 'LoadBalancer 198.51.100.10:80: 20 answers from 3 Pods (web-a 7, web-b 7, web-c 6)',
    },
  },
} as const satisfies Record<Code, Explanation>;

/** The explanation of a code. */
export function explanationOf(code: Code): Explanation {
  return EXPLANATIONS[code];
}
