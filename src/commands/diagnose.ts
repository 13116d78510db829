import { Args, Flags } from '@oclif/core';
import { BaseCommand, outputFlag } from '../cli/base-command.js';
import { RuntimeError, UsageError } from '../cli/errors.js';
import type { CommandOutput } from '../cli/output.js';
import { CHECKS, type Check } from '../analyzers/types.js';
import type { Snapshot } from '../model/snapshot.js';
import type { ObjectRef, Origin } from '../model/kube-object.js';
import type { DiagnosisReport } from '../model/finding.js';
import { FAIL_ON, meetsFailOn } from '../cli/fail-on.js';


export default class Diagnose extends BaseCommand<typeof Diagnose> {
  static override summary = 'Find what is wrong with exposures, why, and exactly what to change.';
  static override description = `Runs the analyzers over the objects of the cluster (or of files with -f) and reports
findings with stable codes (exposectl.dev codes such as source-ip/etp-cluster, lb/no-pool):
each names its subject, says what happens to traffic, and gives the fix as a concrete change.

CHECK limits the run to one family: ${CHECKS.join(', ')} (or "all").
SERVICE (NAME or NAMESPACE/NAME) limits the findings to the objects on that Service's path:
the Service, the Ingresses, routes, Gateways and gateways in front of it, their
controllers, its address pools. "diagnose source-ip SERVICE" follows the path and names
every hop that replaces the client address.

Probe-based codes (arp/*, bgp/*, and the healthz view of endpoints/local-policy-blackhole)
need facts from the network: --probe runs the probes that the check needs, and fails
with exit 1 when one of them is not available in this version.

Exit status: 0 without findings at or above --fail-on (default error), 3 with, 1 when
the facts could not be read, 2 for a bad CHECK, flag or input.`;
  static override examples = [
    { description: 'Everything wrong in the current namespace', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Where does the client IP of Service web get lost?', command: '<%= config.bin %> <%= command.id %> source-ip web' },
    { description: 'Every check for one Service, from files', command: '<%= config.bin %> <%= command.id %> all shop/web -f deploy/' },
    { description: 'Lint manifests in CI: fail on warnings, annotate the pull request', command: '<%= config.bin %> <%= command.id %> -f deploy/ --fail-on warning -o github' },
    { description: 'SARIF for code scanning, ignoring one accepted finding', command: '<%= config.bin %> <%= command.id %> -f deploy/ -o sarif --ignore source-ip/etp-cluster=shop/web > exposectl.sarif' },
  ];

  static override args = {
    check: Args.string({ description: `The check to run: ${CHECKS.join(', ')}, or all (default).`, required: false }),
    service: Args.string({ description: 'Only findings on the path of this Service: NAME or NAMESPACE/NAME.', required: false }),
  };

  static override flags = {
    output: outputFlag(['text', 'json', 'sarif', 'github']),
    'fail-on': Flags.string({ summary: 'Exit 3 when a finding has this severity or a worse one (none: never).', options: [...FAIL_ON], default: 'error' }),
    ignore: Flags.string({ summary: 'Drop findings of CODE (or CHECK/*), optionally only about one object: CODE=NAMESPACE/NAME.', multiple: true }),
    probe: Flags.boolean({ summary: 'Also gather facts from the network with the probes the check needs (arp, bgp, healthz, source-ip echo).', default: false }),
    verbose: Flags.boolean({ char: 'v', summary: 'Say on stderr which analyzers ran and which were skipped, and why.', default: false }),
  };

  protected async execute(): Promise<CommandOutput> {
    const [{ parseIgnore, runAnalyzers, analyzersFor, sourceIpPath }, { buildContext }] = await Promise.all([
      import('../analyzers/index.js'), import('../discover/context.js'),
    ]);
    const checkArg = this.args.check;
    let check: Check | undefined;
    if (checkArg !== undefined && checkArg !== 'all') {
      if (!(CHECKS as readonly string[]).includes(checkArg)) {
        throw new UsageError(`unknown check "${checkArg}": expected one of ${CHECKS.join(', ')} or all`,
          `to diagnose one Service with every check: exposectl diagnose all ${checkArg}`);
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
    if (this.args.service !== undefined) {
      const { contextNamespace } = await import('../kube/kubeconfig.js');
      const { parseServiceArg } = await import('../topology/service-arg.js');
      const defaultNamespace = this.flags.namespace ?? contextNamespace({ kubeconfig: this.flags.kubeconfig, context: this.flags.context });
      service = parseServiceArg(this.args.service, defaultNamespace, this.flags.namespace);
    }

    // Probes: the inputs the selected analyzers need beyond the snapshot.
    const needed = [...new Set(analyzersFor(check).flatMap((a) => [...a.inputs, ...(a.optionalInputs ?? [])]).filter((i) => i !== 'snapshot'))];
    if (this.flags.probe && needed.length > 0) {
      const missing = needed.filter((i) => !AVAILABLE_PROBES.includes(i));
      throw new RuntimeError(
        `--probe: the ${missing.map(probeName).join(', ')} probe${missing.length === 1 ? ' is' : 's are'} not available in this version, so ${check ? `check ${check}` : 'the probe-based checks'} cannot be proven from the network`,
        'run without --probe for the snapshot-based findings',
      );
    }

    const { snapshot, unreadable, readNamespace } = await this.loadFacts(service);
    if (service) {
      const { serviceNotFound } = await import('../topology/service-arg.js');
      if (!snapshot.services.some((s) => (s.metadata.namespace ?? 'default') === service.namespace && s.metadata.name === service.name)) {
        throw serviceNotFound(service, files ? 'files' : 'cluster');
      }
    }
    const facts = { snapshot, ctx: buildContext(snapshot), probes: {}, ...(service ? { service } : {}), unreadableKinds: unreadable, ...(readNamespace ? { readNamespace } : {}) };
    const result = runAnalyzers(facts, { now: () => new Date() }, { ...(check ? { check } : {}), ignore });
    // `diagnose source-ip SERVICE` (or all): the ways to the Service, hop by hop, under the findings (text only).
    const path = service && (check === undefined || check === 'source-ip') ? sourceIpPath(facts) : [];
    let findings = result.findings;
    // Files hold every namespace: -n (without -A) keeps that namespace, as `list` does.
    const ns = files && !this.flags['all-namespaces'] && !service ? this.flags.namespace : undefined;
    if (ns !== undefined) findings = findings.filter((f) => f.subject.namespace === ns || f.subject.namespace === null);

    const report: DiagnosisReport = { apiVersion: 'exposectl.dev/v1alpha1', kind: 'DiagnosisReport', findings };
    const failOn = this.flags['fail-on'] as (typeof FAIL_ON)[number];
    const failed = meetsFailOn(findings, failOn);
    const notices: string[] = [];
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
      ...(failed ? { exitCode: 3 } : {}),
      renderers: {
        text: async (ctx) => (await import('../render/diagnosis-text.js')).renderDiagnosisText(report, ctx, path.length > 0 ? ['', ...path] : []),
        sarif: async () => (await import('../render/sarif.js')).renderSarif(findings, { toolVersion: version, locate }),
        github: async () => (await import('../render/github.js')).renderGithub(findings, locate),
      },
    };
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

/** Probes diagnose can run itself. None yet: the ARP, healthz and source-ip echo probes come later. */
const AVAILABLE_PROBES: string[] = [];

function probeName(input: string): string {
  return ({ arp: 'ARP', bgp: 'BGP', endpointsProbe: 'healthz (probe endpoints)', sourceIpProbe: 'source-ip echo' } as Record<string, string>)[input] ?? input;
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
