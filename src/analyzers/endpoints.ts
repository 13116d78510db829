// endpoints/*: whether an exposed Service has Pods behind it, on the right port, and on
// the nodes that receive its traffic. Pure.

import {
  backendPodPorts,
  endpointsOf as endpointsOfSvc,
  selectedPods as selectedPodsOf,
} from '../discover/backend-pods.js';
import { nameOf, nsOf } from '../discover/context.js';
import type { EndpointFacts } from '../discover/endpoints.js';
import { buildEndpointsReport } from '../discover/endpoints-report.js';
import { backendServiceKeys } from '../discover/paths.js';
import { receivingNodesOf } from '../discover/receiving-nodes.js';
import type { Finding } from '../model/finding.js';
import type { Pod, Service } from '../model/snapshot.js';
import { appendAll } from '../util/arrays.js';
import { shellCommand, shellQuote } from '../util/shell-quote.js';
import { finding } from './codes.js';
import { localPolicyBlackholeFindings } from './probe-endpoints.js';
import type { Analyzer, Facts } from './types.js';
import {
  absenceProves,
  isExternallyExposed,
  isTarget,
  list,
  portsOf,
  selectorOf,
  serviceType,
  subjectOf,
  trafficPolicy,
} from './util.js';

/** serviceEndpoints, memoized per snapshot (src/discover/backend-pods.ts). */
export function endpointsOf(facts: Facts, svc: Service): EndpointFacts {
  return endpointsOfSvc(facts.ctx, svc);
}

/** The Pods of the snapshot a Service's selector matches (none without a selector), memoized per snapshot. */
export function selectedPods(facts: Facts, svc: Service): Pod[] {
  return selectedPodsOf(facts.ctx, svc);
}

/** Services the analyzers judge: exposed ones, backends of Ingresses/routes/gateways, and the one asked about. */
export function judgedServices(facts: Facts): Service[] {
  const backends = backendServiceKeys(facts.ctx);
  const seen = new Set<string>();
  const out: Service[] = [];
  // The last version read wins (files may hold alternatives), as kubectl apply would leave it.
  for (const svc of [...facts.snapshot.services].reverse()) {
    const ns = nsOf(svc);
    const key = `${ns}/${nameOf(svc)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (serviceType(svc) === 'ExternalName') continue;
    const wanted = facts.service ? isTarget(facts, ns, nameOf(svc)) : isExternallyExposed(svc) || backends.has(key);
    if (wanted) out.push(svc);
  }
  return out.reverse();
}

function describe(svc: Service): string {
  const t = serviceType(svc);
  return `Service ${nsOf(svc)}/${nameOf(svc)}${t === 'ClusterIP' ? '' : ` (${t})`}`;
}

const noneReady: Analyzer = {
  name: 'endpoints-ready',
  check: 'endpoints',
  codes: ['endpoints/none-ready', 'endpoints/selector-matches-nothing'],
  inputs: ['snapshot'],
  description:
    'Exposed Services (and backends of Ingresses and routes) have ready endpoints, and their selector matches Pods.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of judgedServices(facts)) {
      const ep = endpointsOf(facts, svc);
      const subject = subjectOf(svc);
      const selector = selectorOf(svc);
      const selText = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      // In a live cluster the EndpointSlice controller makes an empty slice for a selector
      // that matches nothing, so the Pods decide, not the slices. From files, the pod
      // template of a workload in the input stands for the Pods it will make.
      const noPod =
        ep.selectorMatchesNothing ||
        ((!ep.endpoints || ep.endpoints.total === 0) &&
          Object.keys(selector).length > 0 &&
          absenceProves(facts, 'Pod', nsOf(svc)) &&
          (facts.ctx.live ? selectedPods(facts, svc) : backendPodPorts(facts.ctx, svc)).length === 0);
      if (noPod) {
        out.push(
          finding(
            'endpoints/selector-matches-nothing',
            subject,
            `${describe(svc)} selects Pods with ${selText}, and no Pod ${facts.ctx.live ? '' : 'or pod template of the input '}in namespace ${nsOf(svc)} has these labels: the Service has no endpoints, so every connection to it is refused.`,
            `Set spec.selector of ${nsOf(svc)}/${nameOf(svc)} to the labels of the Pods that should serve it (${shellCommand(['kubectl', 'get', 'pods', '-n', nsOf(svc), '--show-labels'])}), or add ${selText} to those Pods' template labels.`,
          ),
        );
        continue;
      }
      if (!ep.endpoints || ep.endpoints.ready > 0) continue;
      const what =
        ep.endpoints.total === 0 ? 'has no endpoint at all' : `has ${ep.endpoints.total} endpoint(s) and none is ready`;
      out.push(
        finding(
          'endpoints/none-ready',
          subject,
          `${describe(svc)} ${what}: connections to it are refused or time out.`,
          ep.endpoints.total === 0 && Object.keys(selector).length === 0
            ? `The Service has no selector: create an EndpointSlice labelled kubernetes.io/service-name: ${nameOf(svc)} with the backend addresses, or give it a selector.`
            : `Make a Pod of the Service ready: ${selText ? shellCommand(['kubectl', 'get', 'pods', '-n', nsOf(svc), '-l', selText]) : `kubectl get pods -n ${shellQuote(nsOf(svc))} -l SELECTOR`} and kubectl describe pod show why they are not (readiness probe, crash loop, image pull, scheduling).`,
        ),
      );
    }
    return out;
  },
};

const targetPort: Analyzer = {
  name: 'endpoints-target-port',
  check: 'endpoints',
  codes: ['endpoints/target-port-mismatch'],
  inputs: ['snapshot'],
  description: "Each Service port's targetPort (name or number) is a port of the Pods it selects.",
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of judgedServices(facts)) {
      const sources = backendPodPorts(facts.ctx, svc);
      if (sources.length === 0) continue;
      for (const p of portsOf(svc)) {
        const tp = p.targetPort ?? p.port;
        // A numeric targetPort need not be declared: judge it only against Pods that declare their ports.
        const judged =
          typeof tp === 'number' ? sources.filter((s) => s.ports.some((c) => c.protocol === p.protocol)) : sources;
        if (judged.length === 0) continue;
        const ok = judged.some((s) =>
          s.ports.some((c) => (typeof tp === 'number' ? c.port === tp : c.name === tp) && c.protocol === p.protocol),
        );
        if (ok) continue;
        const declared = [
          ...new Set(judged.flatMap((s) => s.ports.map((c) => `${c.name ? `${c.name}=` : ''}${c.port}/${c.protocol}`))),
        ];
        const effect =
          typeof tp === 'number'
            ? `traffic to port ${p.port} is sent to port ${tp} of the Pods, which they do not declare (${list(declared)}): connections are refused unless something listens there undeclared`
            : `no container port is named ${tp} (${declared.length > 0 ? list(declared) : 'no named ports'}), so the Pods get no endpoint for port ${p.port} and its traffic is refused`;
        out.push(
          finding(
            'endpoints/target-port-mismatch',
            subjectOf(svc),
            `${describe(svc)} port ${p.port}/${p.protocol} has targetPort ${tp}, not a port of ${list(
              judged.map((s) => s.what),
              3,
            )}: ${effect}.`,
            `Set spec.ports[${p.name ? `name=${p.name}` : `port=${p.port}`}].targetPort of ${nsOf(svc)}/${nameOf(svc)} to one of ${list(declared) || "the Pods' container ports"}, or add containerPort ${tp} to the Pods' containers.`,
          ),
        );
      }
    }
    return out;
  },
};

const localPolicy: Analyzer = {
  name: 'endpoints-local-policy',
  check: 'endpoints',
  codes: ['endpoints/local-policy-blackhole'],
  inputs: ['snapshot'],
  optionalInputs: ['endpointsProbe'],
  description:
    'With externalTrafficPolicy Local, every node that receives traffic has a local ready endpoint (from the nodes and EndpointSlices, or from the healthCheckNodePort /healthz answers with --probe).',
  analyze(facts, clock) {
    const out: Finding[] = [];
    const probes = facts.probes.endpointsProbe ?? [];
    for (const svc of judgedServices(facts)) {
      if (trafficPolicy(svc) !== 'Local' || !['NodePort', 'LoadBalancer'].includes(serviceType(svc))) continue;
      const probe = probes.find((p) => p.service.namespace === nsOf(svc) && p.service.name === nameOf(svc));
      // Only nodes that answered speak for kube-proxy; with no answer at all, judge as without the probe.
      const answered = probe?.answers.filter((a) => a.status !== null) ?? [];
      if (answered.length === 0) {
        // From the snapshot alone: the nodes that receive the traffic (src/discover/receiving-nodes.ts,
        // the same fact `probe endpoints` reports), when the snapshot knows them.
        if (facts.ctx.nodes.length === 0 || !receivingNodesOf(facts.ctx, svc).known) continue;
        const ep = endpointsOf(facts, svc);
        if (!ep.endpoints || ep.endpoints.ready === 0 || ep.readyNodes.size === 0) continue;
      }
      // One judgement for `probe endpoints` and diagnose: the probe's report and its finding.
      const report = buildEndpointsReport(facts.ctx, svc, {
        ...(answered.length > 0 ? { healthz: answered } : {}),
        at: clock.now(),
      });
      appendAll(
        out,
        localPolicyBlackholeFindings(report).map((f) => ({ ...f, subject: subjectOf(svc) })),
      );
    }
    return out;
  },
};

export const endpointsAnalyzers: Analyzer[] = [noneReady, targetPort, localPolicy];
