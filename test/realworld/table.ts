// The real-world set: cases.json (one record per snapshot in cases/<id>/) and the README
// table generated from it. Pure, apart from loadCases reading the data file.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REALWORLD_DIR = fileURLToPath(new URL('.', import.meta.url));
export const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

/** Codes the contract added on 2026-12-07 that no analyzer emits yet (product.md); affinity/* by prefix. */
export const NEW_CODES = ['lb/no-eligible-announcer', 'lb/annotation-ignored', 'gateway/ref-not-permitted'];

/** The #16 points a miss is waiting for, in the issue's order (plus rules the issue does not name). */
export const POINTS: Record<string, string> = {
  'offline-completeness':
    'offline input completeness: absence judged from files (a kind present, Nodes, or a `kubectl get -o yaml` export)',
  'ingress-class':
    'ingress class resolution (ingressClassName, legacy annotation, controller flags, default class only for Ingresses created after it)',
  announcer:
    'who may announce an address (advertisement node selectors, excluded nodes, Cilium policy): lb/no-eligible-announcer',
  'annotation-ignored':
    "annotations nothing reads (wrong keys, labels, other implementations' keys): lb/annotation-ignored",
  'controller-scope': "controllers' own Service and ConfigMap in scope (the ConfigMap named by --configmap)",
  'reference-grant': 'Gateway API ReferenceGrants: gateway/ref-not-permitted',
  'gateway-semantics':
    'Gateway API semantics: listener/route hostname intersection, redirect-only routes, status conditions',
  version: 'version-dependent behaviour (implementation releases, Kubernetes ipMode)',
  'metallb-pool-rules': 'MetalLB pool selection detail not named in #16 (serviceAllocation: {} selects nothing)',
};

export interface Subject {
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ProblemCase {
  id: string;
  kind: 'problem';
  project: string;
  url: string;
  class: string;
  symptom: string;
  rootCause: string;
  /** The code of the confirmed root cause. */
  expected: string;
  /** What the finding is about. */
  subject: Subject;
  /** Text the finding's fix must hold (#16 point 9: the owner's setting, not an edit of an owned object). */
  fixIncludes?: string;
  /** found: exposectl reports `expected` on `subject` today; open: it does not, `point` will fix it. */
  status: 'found' | 'open';
  point?: string;
}

export interface HealthyCase {
  id: string;
  kind: 'healthy';
  project: string;
  url: string;
}

export type Case = ProblemCase | HealthyCase;

export function loadCases(): Case[] {
  return JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8')) as Case[];
}

/** What is wrong with the records themselves (empty when they are consistent); isKnownCode: the catalogue's. */
export function caseErrors(cases: Case[], isKnownCode: (code: string) => boolean): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) errors.push(`${c.id}: duplicate id`);
    seen.add(c.id);
    if (!/^https:\/\//.test(c.url)) errors.push(`${c.id}: url must be https`);
    if (c.kind !== 'problem') continue;
    if (!isKnownCode(c.expected) && !NEW_CODES.includes(c.expected) && !c.expected.startsWith('affinity/')) {
      errors.push(`${c.id}: ${c.expected} is neither a catalogued code nor one of the contract's new codes`);
    }
    if (c.status === 'open' && (!c.point || !(c.point in POINTS)))
      errors.push(`${c.id}: an open case names the #16 point that will fix it`);
    if (c.status === 'found' && c.point) errors.push(`${c.id}: a found case has no point`);
  }
  return errors;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const subjectText = (s: Subject) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;

/** The generated part of README.md: tallies, the problem table, misses by point, healthy table. */
export function renderTable(cases: Case[]): string {
  const problems = cases.filter((c): c is ProblemCase => c.kind === 'problem');
  const healthy = cases.filter((c): c is HealthyCase => c.kind === 'healthy');
  const found = problems.filter((c) => c.status === 'found');
  const lines: string[] = [];
  lines.push(
    `Baseline: **${found.length}/${problems.length}** root causes found; ${healthy.length} healthy configurations, no error on any.`,
    '',
  );
  lines.push('| id | project | thread | symptom | confirmed root cause | expected | current result |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of problems) {
    const result = c.status === 'found' ? 'found' : `open (#16: ${c.point})`;
    lines.push(
      `| \`${c.id}\` | ${cell(c.project)} | ${c.url} | ${cell(c.symptom)} | ${cell(c.rootCause)} | \`${c.expected}\` on ${cell(subjectText(c.subject))} | ${result} |`,
    );
  }
  lines.push('', '### Misses by #16 point', '');
  for (const [point, what] of Object.entries(POINTS)) {
    const open = problems.filter((c) => c.status === 'open' && c.point === point);
    if (open.length === 0) continue;
    lines.push(`- **${point}** (${open.length}): ${what}. ${open.map((c) => `\`${c.id}\``).join(', ')}`);
  }
  lines.push('', "### Healthy configurations (from the projects' docs)", '');
  lines.push('| id | project | source |');
  lines.push('| --- | --- | --- |');
  for (const c of healthy) lines.push(`| \`${c.id}\` | ${cell(c.project)} | ${c.url} |`);
  return lines.join('\n');
}

export const BEGIN = '<!-- BEGIN generated from cases.json by render-readme.ts -->';
export const END = '<!-- END generated -->';

/** README.md with the generated part replaced. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${BEGIN} ... ${END}`);
  return `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}
