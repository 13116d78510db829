// The analyzer registry: every analyzer, which inputs each needs, and the run: skip the
// analyzers whose inputs are absent (and say so), run the others, scope the findings to
// one Service's path when asked, apply --ignore, dedupe and sort. Pure.

import { ingressBackends, routeBackends, sendsTo } from '../discover/backends.js';
import { labelsOf, nameOf, nsOf } from '../discover/context.js';
import { gatewayApiFacts } from '../discover/gateway-api.js';
import { classifyLoadBalancer, loadBalancerAddresses } from '../discover/implementation.js';
import { ingressControllers } from '../discover/ingress-controllers.js';
import { ingressExposure } from '../discover/ingress-exposures.js';
import { virtualServiceBackends, virtualServiceGatewayRefs } from '../discover/istio.js';
import { poolOwns, readPool } from '../discover/metallb.js';
import { ingressNginxControllers, proxyGateways, resolveTarget, servicesOf } from '../discover/paths.js';
import type { Finding, SuppressedFinding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import { appendAll } from '../util/arrays.js';
import { affinityAnalyzers } from './affinity.js';
import { calicoAnalyzers } from './calico.js';
import { closestCode } from './catalogue/index.js';
import { isKnownCode, SEVERITY_RANK } from './codes.js';
import { dnsAnalyzers } from './dns.js';
import { emissaryAnalyzers } from './emissary.js';
import { endpointsAnalyzers } from './endpoints.js';
import { gatewayAnalyzers } from './gateway.js';
import { hostnetworkAnalyzers } from './hostnetwork.js';
import { ingressAnalyzers } from './ingress.js';
import { inputAnalyzers } from './input.js';
import { istioAnalyzers } from './istio.js';
import { lanAnalyzers } from './lan.js';
import { lbAnalyzers } from './lb.js';
import { lbAnnotationAnalyzers } from './lb-annotations.js';
import { lbAnnouncerAnalyzers } from './lb-announcer.js';
import { lbClaimAnalyzers } from './lb-claims.js';
import { lbStatusAnalyzers } from './lb-status.js';
import { nodeportAnalyzers } from './nodeport.js';
import { reachAnalyzer } from './probe-reach.js';
import { probeAnalyzers } from './probes.js';
import { sourceIpAnalyzers } from './source-ip.js';
import { applyIgnoreAnnotations } from './suppressions.js';
import { type Analyzer, type AnalyzerInput, CHECKS, type Check, type Clock, type Facts } from './types.js';

export const ANALYZERS: readonly Analyzer[] = [
  ...sourceIpAnalyzers,
  ...affinityAnalyzers,
  ...endpointsAnalyzers,
  ...lbAnalyzers,
  ...lbAnnouncerAnalyzers,
  ...lbStatusAnalyzers,
  ...lbAnnotationAnalyzers,
  ...lbClaimAnalyzers,
  ...nodeportAnalyzers,
  ...hostnetworkAnalyzers,
  ...ingressAnalyzers,
  ...gatewayAnalyzers,
  ...probeAnalyzers,
  reachAnalyzer,
  ...inputAnalyzers,
  ...calicoAnalyzers,
  ...istioAnalyzers,
  ...dnsAnalyzers,
  ...lanAnalyzers,
  ...emissaryAnalyzers,
];

export interface IgnoreRule {
  /** A code (`lb/pool-overlap`) or a whole check (`lb/*`). */
  code: string;
  /** Only findings about this object (`namespace/name`, or `name` for cluster-scoped subjects). */
  namespace?: string | null;
  name?: string;
}

/** Parses `CODE` or `CODE=namespace/name` (or `CODE=name` for a cluster-scoped subject). */
export function parseIgnore(text: string): IgnoreRule | string {
  const eq = text.indexOf('=');
  const code = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!/^[a-z0-9-]+\/([a-z0-9-]+|\*)$/.test(code))
    return `--ignore ${JSON.stringify(text)}: expected CODE or CODE=namespace/name (e.g. lb/pool-overlap=metallb-system/pool-a)`;
  // A misspelt code would silence nothing, and the finding it was meant for would still fail the run.
  const family = code.slice(0, code.indexOf('/'));
  if (code.endsWith('/*') ? !(CHECKS as readonly string[]).includes(family) : !isKnownCode(code)) {
    const best = code.endsWith('/*') ? undefined : closestCode(code);
    return `--ignore ${JSON.stringify(text)}: unknown ${code.endsWith('/*') ? `check ${family}` : `code ${code}`}${best ? `; did you mean ${best}?` : ''} (exposectl codes lists every code)`;
  }
  if (eq < 0) return { code };
  const target = text.slice(eq + 1).trim();
  const parts = target.split('/');
  if (target === '' || parts.length > 2 || parts.some((p) => p === ''))
    return `--ignore ${JSON.stringify(text)}: expected namespace/name or name after =`;
  return parts.length === 2
    ? { code, namespace: parts[0]!, name: parts[1]! }
    : { code, namespace: null, name: parts[0]! };
}

export function ignores(rule: IgnoreRule, f: Finding): boolean {
  const codeOk = rule.code.endsWith('/*') ? f.code.startsWith(rule.code.slice(0, -1)) : f.code === rule.code;
  if (!codeOk) return false;
  if (rule.name === undefined) return true;
  return f.subject.name === rule.name && (rule.namespace === null ? true : f.subject.namespace === rule.namespace);
}

export interface SkippedAnalyzer {
  analyzer: string;
  check: Check;
  missing: AnalyzerInput[];
}

export interface RunOptions {
  check?: Check;
  ignore?: IgnoreRule[];
  analyzers?: readonly Analyzer[];
}

export interface RunResult {
  findings: Finding[];
  /** Findings their subject silences with the exposectl.dev/ignore annotation (suppressions.ts). */
  suppressed: SuppressedFinding[];
  /** Annotation entries that name no known code. */
  suppressionProblems: string[];
  ran: string[];
  skipped: SkippedAnalyzer[];
  ignored: number;
}

export function availableInputs(facts: Facts): Set<AnalyzerInput> {
  const inputs = new Set<AnalyzerInput>(['snapshot']);
  if (facts.probes.arp) inputs.add('arp');
  if (facts.probes.bgp) inputs.add('bgp');
  if (facts.probes.endpointsProbe) inputs.add('endpointsProbe');
  if (facts.probes.sourceIpProbe) inputs.add('sourceIpProbe');
  if (facts.probes.reachProbe) inputs.add('reachProbe');
  return inputs;
}

/** The analyzers of a check (all without one), and the inputs they need that no probe has given. */
export function analyzersFor(check: Check | undefined, analyzers: readonly Analyzer[] = ANALYZERS): Analyzer[] {
  return analyzers.filter((a) => !check || a.check === check);
}

const subjectKey = (r: ObjectRef) => `${r.kind}|${r.namespace ?? ''}|${r.name}`;

export function runAnalyzers(facts: Facts, clock: Clock, opts: RunOptions = {}): RunResult {
  const available = availableInputs(facts);
  const ran: string[] = [];
  const skipped: SkippedAnalyzer[] = [];
  let findings: Finding[] = [];
  for (const a of analyzersFor(opts.check, opts.analyzers)) {
    const missing = a.inputs.filter((i) => !available.has(i));
    if (missing.length > 0) {
      skipped.push({ analyzer: a.name, check: a.check, missing });
      continue;
    }
    ran.push(a.name);
    appendAll(findings, a.analyze(facts, clock));
  }
  if (facts.service) {
    const related = relatedSubjects(facts);
    findings = findings.filter(
      (f) => related.has(subjectKey(f.subject)) || f.subject.kind === 'BGPPeer' || f.subject.kind === 'IPAddress',
    );
  }
  // One finding per (code, subject, message); the first analyzer's wins.
  const seen = new Set<string>();
  findings = findings.filter((f) => {
    const k = `${f.code}|${subjectKey(f.subject)}|${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const before = findings.length;
  findings = findings.filter((f) => !(opts.ignore ?? []).some((r) => ignores(r, f)));
  const ignored = before - findings.length;
  const annotated = applyIgnoreAnnotations(findings, facts.snapshot);
  return {
    findings: sortFindings(annotated.findings),
    suppressed: sortFindings(annotated.suppressed) as SuppressedFinding[],
    suppressionProblems: annotated.problems,
    ran,
    skipped,
    ignored,
  };
}

export function sortFindings(findings: Finding[]): Finding[] {
  const c = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      c(a.subject.namespace ?? '', b.subject.namespace ?? '') ||
      c(a.subject.kind, b.subject.kind) ||
      c(a.subject.name, b.subject.name) ||
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      c(a.code, b.code) ||
      c(a.message, b.message),
  );
}

/**
 * The objects on a Service's path, whose findings `diagnose CHECK SERVICE` reports: the
 * Service; Ingresses and routes that send to it, their Gateways and controllers (ingress-nginx's
 * Services and ConfigMaps, a Gateway's data-plane Service); hostNetwork gateways that forward
 * to it and their ConfigMaps; its address pools; Services on the same address; for an ingress
 * controller's own Service, the controller's workload and the ConfigMaps its flags name
 * (--configmap, TCP/UDP services), whatever their labels.
 */
export function relatedSubjects(facts: Facts): Set<string> {
  const out = new Set<string>();
  const target = facts.service;
  if (!target) return out;
  const { ctx, snapshot } = facts;
  const add = (kind: string, namespace: string | null, name: string) => out.add(`${kind}|${namespace ?? ''}|${name}`);
  add('Service', target.namespace, target.name);
  const svc = snapshot.services.filter((s) => nsOf(s) === target.namespace && nameOf(s) === target.name).at(-1);
  const addService = (s: { metadata?: unknown; kind: string }) => add('Service', nsOf(s), nameOf(s));
  // The target is an ingress controller's own Service: its workload and the ConfigMaps its flags name are its configuration.
  if (svc)
    for (const c of ingressControllers(ctx)) {
      if (!servicesOf(ctx, c.workload).includes(svc)) continue;
      add(c.workload.kind, nsOf(c.workload), nameOf(c.workload));
      for (const ref of c.configMapRefs)
        add('ConfigMap', ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1));
    }
  let viaNginx = false;
  for (const ing of snapshot.ingresses) {
    if (!ingressBackends(ing).some((b) => sendsTo(b, target))) continue;
    add('Ingress', nsOf(ing), nameOf(ing));
    if (ingressExposure(ctx, ing).implementation === 'ingress-nginx') viaNginx = true;
  }
  if (viaNginx) {
    for (const c of ingressNginxControllers(ctx)) {
      add(c.workload.kind, nsOf(c.workload), nameOf(c.workload));
      if (c.configMap) add('ConfigMap', nsOf(c.configMap), nameOf(c.configMap));
      c.services.forEach(addService);
    }
    for (const cm of snapshot.configMaps)
      if (/tcp-services|udp-services/.test(nameOf(cm))) add('ConfigMap', nsOf(cm), nameOf(cm));
  }
  for (const r of gatewayApiFacts(ctx).routes) {
    if (!routeBackends(r).some((b) => sendsTo(b, target))) continue;
    add(r.kind, r.namespace, r.name);
    for (const p of r.parentRefs) {
      add('Gateway', p.namespace, p.name);
      for (const s of snapshot.services)
        if (nsOf(s) === p.namespace && labelsOf(s)['gateway.networking.k8s.io/gateway-name'] === p.name) addService(s);
    }
  }
  // Istio: VirtualServices that send to it, their Gateways and the ingress gateway Services.
  for (const vs of snapshot.istio.virtualServices) {
    if (!virtualServiceBackends(vs).some((b) => sendsTo(b, target))) continue;
    add('VirtualService', nsOf(vs), nameOf(vs));
    for (const r of virtualServiceGatewayRefs(vs)) add('Gateway', r.namespace, r.name);
  }
  for (const g of proxyGateways(ctx)) {
    if (
      !g.config.forwards.some((f) => {
        const t = resolveTarget(ctx, f.host, f.port, nsOf(g.workload));
        return t && nsOf(t.service) === target.namespace && nameOf(t.service) === target.name;
      })
    )
      continue;
    add(g.workload.kind, nsOf(g.workload), nameOf(g.workload));
    add('ConfigMap', nsOf(g.configMap), nameOf(g.configMap));
  }
  if (svc && svc.spec?.type === 'LoadBalancer') {
    const lbc = classifyLoadBalancer(ctx, svc);
    const addrs = [...loadBalancerAddresses(svc).assigned, ...loadBalancerAddresses(svc).requested];
    for (const p of snapshot.metallb.ipAddressPools) {
      if (lbc.pools.includes(nameOf(p)) || addrs.some((a) => poolOwns(readPool(p), a)))
        add('IPAddressPool', nsOf(p), nameOf(p));
    }
    for (const p of snapshot.cilium.loadBalancerIPPools)
      if (lbc.pools.includes(nameOf(p))) add(p.kind, null, nameOf(p));
    for (const other of snapshot.services) {
      const oa = [...loadBalancerAddresses(other).assigned, ...loadBalancerAddresses(other).requested];
      if (oa.some((a) => addrs.includes(a))) addService(other);
    }
  }
  return out;
}
