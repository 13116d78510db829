import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  echoManifests,
  kubeProxyDaemonSet,
  routerPeer,
  speakerDaemonSet,
  traefikManifests,
} from '../../../scripts/lab/manifests.ts';
import { programOf } from '../../../scripts/lab/pod-spec.ts';

const docs = (text: string) =>
  parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Record<string, any>;
  });

describe('lab manifests', () => {
  it('kube-proxy: a hostNetwork DaemonSet the lab kubelet runs, in the chosen mode, hostname from the node, conntrack sysctls untouched', () => {
    const [ds] = docs(kubeProxyDaemonSet({ kubeconfig: '/d/lab/kubeconfig', mode: 'nftables', version: '1.35.4' }));
    const spec = ds!.spec.template.spec;
    expect(ds!.spec.template.metadata.labels['exposectl.dev/lab-kubelet']).toBe('true');
    expect(spec.hostNetwork).toBe(true);
    const c = spec.containers[0];
    expect(programOf(c.image)).toBe('kube-proxy');
    expect(c.args).toEqual(
      expect.arrayContaining([
        '--kubeconfig=/d/lab/kubeconfig',
        '--hostname-override=$(NODE_NAME)',
        '--proxy-mode=nftables',
        '--cluster-cidr=10.244.0.0/16',
        '--conntrack-max-per-core=0',
        '--healthz-bind-address=0.0.0.0:10256',
      ]),
    );
    expect(c.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
  });

  it('speaker: memberlist on the node address among the speaker Pods, labels matching its selector', () => {
    const [ds] = docs(speakerDaemonSet({ kubeconfig: '/d/lab/kubeconfig', version: '0.15.3' }));
    const c = ds!.spec.template.spec.containers[0];
    expect(programOf(c.image)).toBe('metallb-speaker');
    const env = Object.fromEntries(
      c.env.map((e: { name: string; value?: string; valueFrom?: { fieldRef: { fieldPath: string } } }) => [
        e.name,
        e.value ?? e.valueFrom!.fieldRef.fieldPath,
      ]),
    );
    expect(env).toMatchObject({
      METALLB_NODE_NAME: 'spec.nodeName',
      METALLB_ML_BIND_ADDR: 'status.podIP',
      METALLB_ML_LABELS: 'app=metallb,component=speaker',
      KUBECONFIG: '/d/lab/kubeconfig',
    });
    expect(ds!.spec.selector.matchLabels).toEqual({ app: 'metallb', component: 'speaker' });
  });

  it('router peer: the router with the documentation ASNs', () => {
    expect(docs(routerPeer())[0]!.spec).toEqual({
      peerAddress: '192.0.2.1',
      peerASN: 64496,
      myASN: 64497,
      holdTime: '9s',
    });
  });

  it('echo: namespace, Deployment spread one per node before two on any, Service port 80 to the container port', () => {
    const [ns, dep, svc] = docs(echoManifests({ namespace: 'demo', name: 'web', replicas: 3, port: 9000 }));
    expect(ns!.metadata.name).toBe('demo');
    expect(dep!.spec.replicas).toBe(3);
    expect(dep!.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
    });
    expect(dep!.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 9000 }]);
    expect(svc!.spec).toEqual({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 9000 }] });
  });

  it('traefik: a hostNetwork DaemonSet on node-1 the lab kubelet runs, status addresses of node-1, IngressClass and GatewayClass lab as its', () => {
    const [ds, ic, gc] = docs(traefikManifests({ version: '3.6.12' }));
    const pod = ds!.spec.template;
    expect(pod.metadata.labels['exposectl.dev/lab-kubelet']).toBe('true');
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'node-1' });
    const c = pod.spec.containers[0];
    expect(programOf(c.image)).toBe('traefik');
    expect(c.args).toContain('--providers.kubernetesingress.ingressClass=lab');
    expect(c.args).toContain('--providers.kubernetesingress.ingressEndpoint.ip=192.0.2.11');
    expect(c.args).toContain('--providers.kubernetesgateway.statusAddress.ip=192.0.2.11');
    expect(c.ports[0].containerPort).toBe(80);
    expect([ic!.kind, ic!.metadata.name, ic!.spec.controller]).toEqual([
      'IngressClass',
      'lab',
      'traefik.io/ingress-controller',
    ]);
    expect([gc!.kind, gc!.metadata.name, gc!.spec.controllerName]).toEqual([
      'GatewayClass',
      'lab',
      'traefik.io/gateway-controller',
    ]);
  });
});
