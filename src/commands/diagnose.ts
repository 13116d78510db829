import { Args, Flags } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import type { CommandOutput } from '../cli/output.js';
import { CHECKS, type Check } from '../analyzers/types.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ObjectRef, Origin } from '../model/kube-object.js';
import type { DiagnosisReport } from '../model/finding.js';
import { FAIL_ON, meetsFailOn } from '../cli/fail-on.js';
import { parseDuration } from '../cli/duration.js';
import { ExposectlError, shown } from '../cli/errors.js';
import { closest, distance } from 'fastest-levenshtein';
import type { DiscoveryContext } from '../discover/context.js';
import { ECHO_IMAGE, PROBE_NAMES, type ProbeInput } from '../probes/names.js';
import type { ProbePlan } from '../probes/diagnose-plan.js';
import type { ProbeRunResult } from '../probes/diagnose-run.js';
import { appendAll } from '../util/arrays.js';


export default class Diagnose extends BaseCommand<typeof Diagnose> {
  static override summary = 'Find what is wrong with exposures, why, and exactly what to change.';
  static override description = `Runs the analyzers over the objects of the cluster (or of files with -f) and reports findings with stable codes (exposectl.dev codes such as source-ip/etp-cluster, lb/no-pool): each names its subject, says what happens to traffic, and gives the fix as a concrete change.

CHECK limits the run to one family: ${CHECKS.join(', ')} (or "all"). A single word that is no check is the SERVICE: "diagnose web" runs every check on the path of web. SERVICE (NAME or NAMESPACE/NAME) limits the findings to the objects on that Service's path: the Service, the Ingresses, routes, Gateways and gateways in front of it, their controllers, its address pools. "diagnose source-ip SERVICE" follows the path and names every hop that replaces the client address.

Probe-based codes (arp/*, bgp/*, the healthz view of endpoints/local-policy-blackhole, and the source-IP proof) need facts from the network: --probe runs only the probes the selected check needs. ARP asks who answers for each L2 LoadBalancer address from --interface; BGP listens as a passive peer (--bgp-listen, --bgp-local-as) for --bgp-duration; healthz asks each node's kube-proxy healthCheckNodePort of Local-policy Services. A probe whose flags are missing is an error (exit 2) when its check is named ("diagnose arp --probe" without --interface), and is skipped with a notice otherwise.

"diagnose source-ip SERVICE --probe" proves where the client address goes: it deploys a temporary echo Pod (${ECHO_IMAGE} netexec, --echo-image to change it) and exposes it the same way as SERVICE without touching SERVICE: a temporary Service of the same type, externalTrafficPolicy, loadBalancerClass and pool annotations (or, for a Service reached through an Ingress or HTTPRoute, a temporary Ingress/HTTPRoute on the same class or Gateway with a host of its own), all labelled app.kubernetes.io/managed-by=exposectl. Once the mirror has an address and a ready endpoint (--echo-timeout), it sends GET /clientip through it, compares the address the echo saw with its own source address, names the hop that rewrote it, and always deletes the temporary objects (also on failure and Ctrl-C). Exposures it cannot mirror (a hostNetwork gateway whose config exposectl does not own, externalIPs) are reported as not probed, with the reason. Run it from where clients come from: the proof is about the path from this host.

Exit status: 0 without findings at or above --fail-on (default error), 3 with, 1 when the facts could not be read or a probe could not run (the echo was not reachable), 2 for a bad CHECK, flag or input, 130 when interrupted (the echo objects are removed first).`;
  static override examples = [
    { description: 'Everything wrong in the current namespace', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Every check on the path of Service web', command: '<%= config.bin %> <%= command.id %> web' },
    { description: 'Where does the client IP of Service web get lost?', command: '<%= config.bin %> <%= command.id %> source-ip web' },
    { description: 'Every check for one Service, from files', command: '<%= config.bin %> <%= command.id %> all shop/web -f deploy/' },
    { description: 'Lint manifests in CI: fail on warnings, annotate the pull request', command: '<%= config.bin %> <%= command.id %> -f deploy/ --fail-on warning -o github' },
    { description: 'Prove it: send a request through the exposure of web to a temporary echo, and name the hop that lost the client IP', command: '<%= config.bin %> <%= command.id %> source-ip web --probe' },
    { description: 'Who answers ARP for every L2 address, from eth0', command: 'sudo <%= config.bin %> <%= command.id %> arp --probe --interface eth0' },
    { description: 'Listen 20 s as a passive BGP peer and compare what the speakers advertise', command: '<%= config.bin %> <%= command.id %> bgp --probe --bgp-listen 192.0.2.10:1179 --bgp-local-as 64500 --bgp-duration 20s' },
    { description: 'Calico in BGP mode: LoadBalancer addresses outside the BGPConfiguration ranges, or with no BGPPeer', command: '<%= config.bin %> <%= command.id %> bgp -f examples/calico-bgp' },
    { description: 'SARIF for code scanning, ignoring one accepted finding', command: '<%= config.bin %> <%= command.id %> -f deploy/ -o sarif --ignore source-ip/etp-cluster=shop/web > exposectl.sarif' },
  ];

  static override args = {
    check: Args.string({ description: `The check to run: ${CHECKS.join(', ')}, or all (default). A word that is none of them is the SERVICE.`, required: false }),
    service: Args.string({ description: 'Only findings on the path of this Service: NAME or NAMESPACE/NAME.', required: false }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'sarif', 'github']),
    'fail-on': Flags.string({ summary: 'Exit 3 when a finding has this severity or a worse one (none: never).', options: [...FAIL_ON], default: 'error' }),
    ignore: Flags.string({ summary: 'Drop findings of CODE (or CHECK/*), optionally only about one object: CODE=NAMESPACE/NAME.', multiple: true }),
    probe: Flags.boolean({ summary: 'Also gather facts from the network with the probes the check needs (arp, bgp, healthz, source-ip echo).', default: false }),
    interface: Flags.string({ char: 'i', summary: 'With --probe: the interface to send ARP requests from (on the segment of the L2 addresses).' }),
    'arp-count': Flags.integer({ summary: 'With --probe: ARP requests per address.', default: 3, min: 1, max: 100 }),
    'bgp-listen': Flags.string({ summary: 'With --probe: where the passive BGP peer listens: ADDRESS[:PORT] (default port 179).' }),
    'bgp-local-as': Flags.integer({ summary: "With --probe: the BGP peer's AS number.", min: 1, max: 4294967295 }),
    'bgp-peer': Flags.string({ summary: 'With --probe: a BGP peer that must connect (repeatable).', multiple: true }),
    'bgp-duration': Flags.string({ summary: 'With --probe: how long to listen for BGP speakers.', default: '30s' }),
    'probe-timeout': Flags.string({ summary: 'With --probe: how long to wait for each ARP reply window, /healthz answer and echo request.', default: '2s' }),
    'echo-timeout': Flags.string({ summary: 'With --probe: how long to wait for the source-ip echo to be reachable through the mirror exposure.', default: '90s' }),
    'echo-image': Flags.string({ summary: 'With --probe: the echo image (agnhost netexec: GET /clientip answers the peer address).', default: ECHO_IMAGE }),
    verbose: Flags.boolean({ char: 'v', summary: 'Say on stderr which analyzers ran and which were skipped, and why.', default: false }),
  };

  protected async execute(): Promise<CommandOutput> {
    const [{ parseIgnore, runAnalyzers, analyzersFor, sourceIpPath }, { buildContext }] = await Promise.all([
      import('../analyzers/index.js'), import('../discover/context.js'),
    ]);
    // `diagnose SERVICE`: one word that is not a check is the Service (every check).
    const serviceOnly = this.args.check !== undefined && this.args.service === undefined && !isCheckWord(this.args.check);
    const checkArg = serviceOnly ? undefined : this.args.check;
    const serviceArg = serviceOnly ? this.args.check : this.args.service;
    let check: Check | undefined;
    if (checkArg !== undefined && checkArg !== 'all') {
      if (!isCheckWord(checkArg)) {
        throw new UsageError(`unknown check ${shown(checkArg)}: expected one of ${CHECKS.join(', ')} or all`,
          `to diagnose one Service with every check: exposectl diagnose all ${shown(checkArg)}`);
      }
      check = checkArg as Check;
    }
    const ignore = (this.flags.ignore ?? []).map((text) => {
      const rule = parseIgnore(text);
      if (typeof rule === 'string') throw new UsageError(rule);
      return rule;
    });
    const files = (this.flags.filename ?? []).length > 0;

    let service: { namespace: string; name: string } | undefined;
    if (serviceArg !== undefined) {
      const { contextNamespace } = await import('../kube/kubeconfig.js');
      const { parseServiceArg } = await import('../topology/service-arg.js');
      const defaultNamespace = this.flags.namespace ?? contextNamespace({ kubeconfig: this.flags.kubeconfig, context: this.flags.context });
      service = parseServiceArg(serviceArg, defaultNamespace, this.flags.namespace);
    }

    // Probes: only the inputs the selected analyzers read beyond the snapshot.
    const needed = [...new Set(analyzersFor(check).flatMap((a) => [...a.inputs, ...(a.optionalInputs ?? [])]).filter((i) => i !== 'snapshot'))];
    const plan = await this.planProbes(needed, check, service !== undefined, files);
    const probeNotices: string[] = [];
    for (const s of plan?.skipped ?? []) probeNotices.push(`--probe: skipped the ${PROBE_NAMES[s.input]} probe: ${s.reason}`);

    const { snapshot, unreadable, readNamespace } = await this.loadFacts(service);
    if (service) {
      const { serviceNotFound } = await import('../topology/service-arg.js');
      if (!snapshot.services.some((s) => (s.metadata.namespace ?? 'default') === service.namespace && s.metadata.name === service.name)) {
        const typo = serviceOnly ? closeCheck(serviceArg!) : undefined;
        if (typo) throw new UsageError(`unknown check or Service ${shown(serviceArg!)}`, `did you mean the check ${typo}? exposectl diagnose ${typo}`);
        throw serviceNotFound(service, files ? 'files' : 'cluster');
      }
    }
    const ctx = buildContext(snapshot);
    const gathered = plan && plan.run.length > 0 ? await this.runProbes(plan.run, ctx, service) : { probes: {}, notices: [], failed: false };
    appendAll(probeNotices, gathered.notices);
    const facts = { snapshot, ctx, probes: gathered.probes, ...(service ? { service } : {}), unreadableKinds: unreadable, ...(readNamespace ? { readNamespace } : {}) };
    const result = runAnalyzers(facts, { now: () => new Date() }, { ...(check ? { check } : {}), ignore });
    // `diagnose source-ip SERVICE` (or all): the ways to the Service, hop by hop, under the findings (text only).
    const path = service && (check === undefined || check === 'source-ip') ? sourceIpPath(facts) : [];
    const { describeSourceIpProbe } = await import('../probes/source-ip/compare.js');
    const proofs = (gathered.probes.sourceIpProbe ?? []).map(describeSourceIpProbe);
    let findings = result.findings;
    // Files hold every namespace: -n (without -A) keeps that namespace, as `list` does.
    const ns = files && !this.flags['all-namespaces'] && !service ? this.flags.namespace : undefined;
    if (ns !== undefined) findings = findings.filter((f) => f.subject.namespace === ns || f.subject.namespace === null);

    const report: DiagnosisReport = { apiVersion: 'exposectl.dev/v1alpha1', kind: 'DiagnosisReport', findings };
    const failOn = this.flags['fail-on'] as (typeof FAIL_ON)[number];
    const failed = meetsFailOn(findings, failOn);
    // The proof lines are under the findings in text; other formats keep to their schema, so stderr.
    const notices: string[] = [...probeNotices, ...(this.flags.output === 'text' ? [] : proofs)];
    if (this.flags.verbose) {
      notices.push(`ran ${result.ran.length} analyzer(s): ${result.ran.join(', ') || 'none'}`);
      for (const s of result.skipped) notices.push(`skipped ${s.analyzer} (${s.check}): needs ${s.missing.map(probeName).join(', ')} facts (--probe)`);
      if (result.ignored > 0) notices.push(`ignored ${result.ignored} finding(s) (--ignore)`);
    }
    const locate = originLocator(snapshot);
    const version = this.config.version;
    return {
      data: report,
      notices,
      // A probe that could not run is a runtime failure (1), unless findings already fail the run.
      ...(failed ? { exitCode: 3 } : gathered.failed ? { exitCode: 1 } : {}),
      renderers: {
        text: async (rctx) => (await import('../render/diagnosis-text.js')).renderDiagnosisText(report, rctx, [...(path.length > 0 ? ['', ...path] : []), ...(proofs.length > 0 ? ['', ...proofs] : [])]),
        sarif: async () => (await import('../render/sarif.js')).renderSarif(findings, { toolVersion: version, locate }),
        github: async () => (await import('../render/github.js')).renderGithub(findings, locate),
      },
    };
  }

  /**
   * Which probes run: usage errors first (probe flags without --probe, bad values, and a
   * missing flag of a probe whose check is named), before anything is read or sent.
   */
  private async planProbes(needed: string[], check: Check | undefined, hasService: boolean, files: boolean): Promise<ProbePlan | undefined> {
    const f = this.flags;
    const probeFlags = ['interface', 'bgp-listen', 'bgp-local-as', 'bgp-peer'] as const;
    if (!f.probe) {
      const given = probeFlags.filter((k) => f[k] !== undefined);
      if (given.length > 0) throw new UsageError(`--${given[0]} is for --probe`, `add --probe to gather facts from the network: exposectl diagnose ${check ?? 'all'} --probe --${given[0]} ...`);
      return undefined;
    }
    for (const k of ['bgp-duration', 'probe-timeout', 'echo-timeout'] as const) parseDuration(f[k], k);
    if (f['bgp-listen'] !== undefined || f['bgp-peer'] !== undefined) {
      const { parseListen, parsePeers } = await import('./probe/bgp.js');
      if (f['bgp-listen'] !== undefined) parseListen(f['bgp-listen']);
      parsePeers(f['bgp-peer'] ?? [], 'bgp-peer');
    }
    if (f.interface !== undefined) {
      const { validateInterface } = await import('../probes/arp/validate.js');
      try { validateInterface(f.interface); } catch (e) { throw new UsageError((e as Error).message); }
    }
    const { planProbes } = await import('../probes/diagnose-plan.js');
    const plan = planProbes(needed, { interface: f.interface, bgpListen: f['bgp-listen'], bgpLocalAs: f['bgp-local-as'], service: hasService, files });
    // A check named on the command line must be proven: its missing probe flag is a usage error.
    const blocking = check ? plan.skipped.find((s) => s.input !== 'endpointsProbe') : undefined;
    if (blocking) throw new UsageError(`--probe: check ${check} needs the ${probeName(blocking.input)} probe, but ${blocking.reason}`);
    return plan;
  }

  /** Runs the planned probes (src/probes/diagnose-run.ts) with the flags' settings; Ctrl-C stops them after the echo objects are removed. */
  private async runProbes(run: ProbeInput[], ctx: DiscoveryContext, service: { namespace: string; name: string } | undefined): Promise<ProbeRunResult> {
    const f = this.flags;
    const { runDiagnoseProbes } = await import('../probes/diagnose-run.js');
    const listen = f['bgp-listen'] !== undefined ? (await import('./probe/bgp.js')).parseListen(f['bgp-listen']) : undefined;
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await runDiagnoseProbes(run, ctx, {
        service,
        ...(f.interface ? { arp: { interface: f.interface, count: f['arp-count'] } } : {}),
        ...(listen && f['bgp-local-as'] !== undefined ? { bgp: { ...listen, localAs: f['bgp-local-as'], peers: f['bgp-peer'] ?? [], durationMs: parseDuration(f['bgp-duration'], 'bgp-duration'), label: f['bgp-listen']!, durationText: f['bgp-duration'] } } : {}),
        echo: {
          timeoutMs: parseDuration(f['echo-timeout'], 'echo-timeout'), image: f['echo-image'],
          connect: async () => (await import('../kube/client.js')).connect({ kubeconfig: f.kubeconfig, context: f.context, requestTimeoutMs: this.requestTimeoutMs() }),
        },
        timeoutMs: parseDuration(f['probe-timeout'], 'probe-timeout'),
        signal: controller.signal,
        progress: (line) => process.stderr.write(`${line}\n`),
      });
      if (controller.signal.aborted) throw new ExposectlError('interrupted: the probes were stopped (temporary echo objects were removed)', 130);
      return result;
    } catch (e) {
      if (e instanceof Error && e.name === 'ProbeRunError') {
        const pe = e as import('../probes/diagnose-run.js').ProbeRunError;
        throw pe.usage ? new UsageError(pe.message, pe.hint, { cause: e }) : new RuntimeError(pe.message, pe.hint, { cause: e });
      }
      throw e;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }

  /** The snapshot, and for a live cluster the kinds the user may not list and the namespace read. */
  private async loadFacts(service?: { namespace: string }): Promise<{ snapshot: Snapshot; unreadable: string[]; readNamespace?: string }> {
    if ((this.flags.filename ?? []).length > 0) return { snapshot: await this.loadSnapshot(), unreadable: [] };
    const { loadCluster } = await import('../sources/cluster.js');
    const load = await loadCluster({
      kubeconfig: this.flags.kubeconfig,
      context: this.flags.context,
      namespace: service && !this.flags['all-namespaces'] ? service.namespace : this.flags.namespace,
      allNamespaces: this.flags['all-namespaces'],
      requestTimeoutMs: this.requestTimeoutMs(),
      onWarning: (m) => process.stderr.write(`Warning: ${m}\n`),
    });
    return { snapshot: load.snapshot, unreadable: load.unreadable.map((u) => u.kind), ...(load.namespace ? { readNamespace: load.namespace } : {}) };
  }
}

function probeName(input: string): string {
  return PROBE_NAMES[input as ProbeInput] ?? input;
}

/** Where the subject of a finding was read from: the last object of that kind, namespace and name in the input files. */
function originLocator(snapshot: Snapshot): (subject: ObjectRef) => Origin | undefined {
  const index = new Map<string, Origin>();
  const all: Array<{ kind: string; metadata: { name?: string; namespace?: string } }> = [
    ...snapshot.services, ...snapshot.endpointSlices, ...snapshot.pods, ...snapshot.nodes, ...snapshot.ingresses, ...snapshot.ingressClasses,
    ...snapshot.workloads, ...snapshot.secrets, ...snapshot.configMaps, ...snapshot.gatewayClasses, ...snapshot.gateways, ...snapshot.routes,
    ...snapshot.referenceGrants, ...Object.values(snapshot.metallb).flat(), ...Object.values(snapshot.cilium).flat(),
  ] as never;
  for (const o of all) {
    const origin = snapshot.origins.get(o);
    if (!origin) continue;
    index.set(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`, origin);
  }
  return (s) => index.get(`${s.kind}|${s.namespace ?? ''}|${s.name}`);
}

function isCheckWord(word: string): boolean {
  return word === 'all' || (CHECKS as readonly string[]).includes(word);
}

/** The check a word not found as a Service was probably meant to be (at most 2 edits away). */
function closeCheck(word: string): string | undefined {
  const best = closest(word, [...CHECKS, 'all']);
  return distance(word, best) <= 2 ? best : undefined;
}
