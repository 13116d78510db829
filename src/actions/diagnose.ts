// `exposectl diagnose [CHECK] [SERVICE]`: read the objects, run the probes the selected
// analyzers need (--probe), run the analyzers, and return the DiagnosisReport with its
// text, SARIF and GitHub renderers. The command only declares and parses the flags.
import { closest, distance } from 'fastest-levenshtein';
import { REPOSITORY_URL, sarifRules } from '../analyzers/catalogue/index.js';
import type { Check } from '../model/checks.js';
import { CHECKS } from '../model/checks.js';
import type { DiagnosisReport } from '../model/finding.js';
import type { ObjectRef, Origin } from '../model/kube-object.js';
import { PROBE_NAMES } from '../model/probe-names.js';
import { type Snapshot, snapshotObjects } from '../model/snapshot.js';
import { loadSnapshot, requestTimeoutMs } from '../sources/load.js';
import { appendAll } from '../util/arrays.js';
import { shown, UsageError } from '../util/errors.js';
import { type ProbeFlags, planDiagnoseProbes, probeName, runPlannedProbes } from './diagnose-probes.js';
import type { CommandOutput, Printer } from './output.js';
import { resolveServiceArg, type ServiceRef, serviceIn } from './service-arg.js';

export interface DiagnoseFlags extends ProbeFlags {
  output: string;
  ignore?: string[];
  verbose: boolean;
}

export interface DiagnoseArgs {
  check?: string;
  service?: string;
}

export async function diagnose(
  args: DiagnoseArgs,
  f: DiagnoseFlags,
  printer: Printer,
  toolVersion: string,
): Promise<CommandOutput> {
  const [{ parseIgnore, runAnalyzers, analyzersFor, sourceIpPath, affinityPath, affinitySummary }, { buildContext }] =
    await Promise.all([import('../analyzers/index.js'), import('../discover/context.js')]);
  // `diagnose SERVICE`: one word that is not a check is the Service (every check).
  const serviceOnly = args.check !== undefined && args.service === undefined && !isCheckWord(args.check);
  const checkArg = serviceOnly ? undefined : args.check;
  const serviceArg = serviceOnly ? args.check : args.service;
  let check: Check | undefined;
  if (checkArg !== undefined && checkArg !== 'all') {
    if (!isCheckWord(checkArg)) {
      throw new UsageError(
        `unknown check ${shown(checkArg)}: expected one of ${CHECKS.join(', ')} or all`,
        `to diagnose one Service with every check: exposectl diagnose all ${shown(checkArg)}`,
      );
    }
    check = checkArg as Check;
  }
  const ignore = (f.ignore ?? []).map((text) => {
    const rule = parseIgnore(text);
    if (typeof rule === 'string') throw new UsageError(rule);
    return rule;
  });
  const files = (f.filename ?? []).length > 0;
  const service = serviceArg !== undefined ? await resolveServiceArg(serviceArg, f) : undefined;

  // Probes: only the inputs the selected analyzers read beyond the snapshot.
  const needed = [
    ...new Set(
      analyzersFor(check)
        .flatMap((a) => [...a.inputs, ...(a.optionalInputs ?? [])])
        .filter((i) => i !== 'snapshot'),
    ),
  ];
  const plan = planDiagnoseProbes(f, needed, check, service !== undefined);
  const probeNotices = (plan?.skipped ?? []).map(
    (s) => `--probe: skipped the ${PROBE_NAMES[s.input]} probe: ${s.reason}`,
  );

  const { snapshot, unreadable, readNamespace } = await loadFacts(f, service);
  if (service) {
    try {
      serviceIn(snapshot, service, f);
    } catch (notFound) {
      const typo = serviceOnly ? closeCheck(serviceArg!) : undefined;
      if (typo)
        throw new UsageError(
          `unknown check or Service ${shown(serviceArg!)}`,
          `did you mean the check ${typo}? exposectl diagnose ${typo}`,
        );
      throw notFound;
    }
  }
  const ctx = buildContext(snapshot);
  const gathered =
    plan && plan.run.length > 0
      ? await runPlannedProbes(f, plan.run, ctx, service, printer.note)
      : { probes: {}, notices: [], failed: false };
  appendAll(probeNotices, gathered.notices);
  const facts = {
    snapshot,
    ctx,
    probes: gathered.probes,
    ...(service ? { service } : {}),
    unreadableKinds: unreadable,
    ...(readNamespace ? { readNamespace } : {}),
  };
  const result = runAnalyzers(facts, { now: () => new Date() }, { ...(check ? { check } : {}), ignore });
  // `diagnose source-ip SERVICE` (or all): the ways to the Service, hop by hop, under the findings (text only).
  const path = service && (check === undefined || check === 'source-ip') ? sourceIpPath(facts) : [];
  // `diagnose affinity SERVICE`: each way's hops and what they key stickiness on (text under the findings; JSON field `affinity`).
  const stickyPath = service && check === 'affinity' ? affinityPath(facts) : [];
  const affinity = service && check === 'affinity' ? affinitySummary(facts) : undefined;
  const { describeSourceIpProbe } = await import('../probes/source-ip/compare.js');
  const proofs = (gathered.probes.sourceIpProbe ?? []).map(describeSourceIpProbe);
  let findings = result.findings;
  let suppressed = result.suppressed;
  // Files hold every namespace: -n (without -A) keeps that namespace, as `list` does.
  const ns = files && !f['all-namespaces'] && !service ? f.namespace : undefined;
  if (ns !== undefined) findings = findings.filter((x) => x.subject.namespace === ns || x.subject.namespace === null);
  if (ns !== undefined)
    suppressed = suppressed.filter((x) => x.subject.namespace === ns || x.subject.namespace === null);

  const report: DiagnosisReport = {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'DiagnosisReport',
    findings,
    ...(suppressed.length > 0 ? { suppressed } : {}),
    ...(affinity ? { affinity } : {}),
  };
  // The proof lines are under the findings in text; other formats keep to their schema, so stderr.
  const notices: string[] = [...probeNotices, ...(f.output === 'text' ? [] : proofs)];
  if (f.verbose) {
    notices.push(`ran ${result.ran.length} analyzer(s): ${result.ran.join(', ') || 'none'}`);
    for (const s of result.skipped)
      notices.push(`skipped ${s.analyzer} (${s.check}): needs ${s.missing.map(probeName).join(', ')} facts (--probe)`);
    if (result.ignored > 0) notices.push(`ignored ${result.ignored} finding(s) (--ignore)`);
  }
  const locate = originLocator(snapshot);
  return {
    data: report,
    notices,
    warnings: result.suppressionProblems,
    findings,
    // A probe that could not run is a runtime failure (1), unless findings already fail the run (--fail-on: 3).
    ...(gathered.failed ? { exitCode: 1 } : {}),
    renderers: {
      text: async (rctx) =>
        (await import('../render/diagnosis-text.js')).renderDiagnosisText(report, rctx, [
          ...(path.length > 0 ? ['', ...path] : []),
          ...(stickyPath.length > 0 ? ['', ...stickyPath] : []),
          ...(proofs.length > 0 ? ['', ...proofs] : []),
        ]),
      sarif: async () =>
        (await import('../render/sarif.js')).renderSarif(findings, {
          toolVersion,
          locate,
          suppressed,
          informationUri: REPOSITORY_URL,
          codes: sarifRules(),
        }),
      github: async () => (await import('../render/github.js')).renderGithub(findings, locate),
    },
  };
}

/** The snapshot, and for a live cluster the kinds the user may not list and the namespace read. */
async function loadFacts(
  f: DiagnoseFlags,
  service?: ServiceRef,
): Promise<{ snapshot: Snapshot; unreadable: string[]; readNamespace?: string }> {
  if ((f.filename ?? []).length > 0) return { snapshot: await loadSnapshot(f), unreadable: [] };
  const { loadCluster } = await import('../sources/cluster.js');
  const load = await loadCluster({
    kubeconfig: f.kubeconfig,
    context: f.context,
    namespace: service && !f['all-namespaces'] ? service.namespace : f.namespace,
    allNamespaces: f['all-namespaces'],
    requestTimeoutMs: requestTimeoutMs(f),
    onWarning: (m) => process.stderr.write(`Warning: ${m}\n`),
  });
  return {
    snapshot: load.snapshot,
    unreadable: load.unreadable.map((u) => u.kind),
    ...(load.namespace ? { readNamespace: load.namespace } : {}),
  };
}

/** Where the subject of a finding was read from: the last object of that kind, namespace and name in the input files. */
function originLocator(snapshot: Snapshot): (subject: ObjectRef) => Origin | undefined {
  const index = new Map<string, Origin>();
  for (const o of snapshotObjects(snapshot)) {
    const origin = snapshot.origins.get(o);
    if (!origin) continue;
    index.set(`${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name ?? ''}`, origin);
  }
  return (s) => index.get(`${s.kind}|${s.namespace ?? ''}|${s.name}`);
}

export function isCheckWord(word: string): boolean {
  return word === 'all' || (CHECKS as readonly string[]).includes(word);
}

/** The check a word not found as a Service was probably meant to be (at most 2 edits away). */
function closeCheck(word: string): string | undefined {
  const best = closest(word, [...CHECKS, 'all']);
  return distance(word, best) <= 2 ? best : undefined;
}
