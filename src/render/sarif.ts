// SARIF 2.1.0 (OASIS) for code scanning: one run, the rules from the codes catalogue
// (given by the caller, each with a helpUri to its section of docs/codes.md: a renderer takes
// data, it does not import the analyzers), one result per finding with its level, message
// (and fix), the file and line the subject was read from (files only), and the subject as a
// logical location. Findings silenced in the manifest are results with a suppression of kind
// "inSource" (SARIF §3.35), so code scanning shows them as dismissed. Pure.
import type { Finding, Severity, SuppressedFinding } from '../model/finding.js';
import type { ObjectRef, Origin } from '../model/kube-object.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  toolVersion: string;
  /** Where the subject of a finding was read from (files), if known. */
  locate?: (subject: ObjectRef) => Origin | undefined;
  /** The codes catalogue (src/analyzers/codes.ts): one SARIF rule each. */
  codes: readonly SarifRule[];
  /** Findings silenced by the exposectl.dev/ignore annotation: results with an inSource suppression. */
  suppressed?: readonly SuppressedFinding[];
  /** The project's home page (the driver's informationUri). */
  informationUri: string;
}

/** What SARIF says of a code: the catalogue's entry. */
export interface SarifRule {
  code: string;
  severity: Severity;
  check: string;
  name: string;
  meaning: string;
  fix: string;
  probe?: boolean;
  /** Where the code is explained (docs/codes.md#anchor). */
  helpUri?: string;
}

function rule(c: SarifRule) {
  return {
    id: c.code,
    name: c.name,
    shortDescription: { text: c.meaning.split(': ')[0]!.replace(/\.$/, '') },
    fullDescription: { text: c.meaning },
    help: { text: `Fix: ${c.fix}` },
    ...(c.helpUri ? { helpUri: c.helpUri } : {}),
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: [c.check, ...(c.probe ? ['probe'] : [])] },
  };
}

/** A path as a relative URI reference (POSIX separators, percent-encoded), or a file: URI for absolute paths. */
export function fileUri(path: string): string {
  const posix = path.replace(/\\/g, '/');
  const enc = (p: string) =>
    p
      .split('/')
      .map((x) => encodeURIComponent(x))
      .join('/');
  const drive = /^([A-Za-z]:)(\/.*)$/.exec(posix);
  if (drive) return `file:///${drive[1]}${enc(drive[2]!)}`;
  if (posix.startsWith('/')) return `file://${enc(posix)}`;
  return enc(posix.replace(/^\.\//, ''));
}

export function toSarif(findings: Finding[], opts: SarifOptions) {
  const index = new Map(opts.codes.map((c, i) => [c.code, i]));
  const all: Array<Finding | SuppressedFinding> = [...findings, ...(opts.suppressed ?? [])];
  const results = all.map((f) => {
    const origin = opts.locate?.(f.subject);
    const fq = `${f.subject.kind}/${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
    const location: Record<string, unknown> = {
      logicalLocations: [{ name: f.subject.name, fullyQualifiedName: fq, kind: 'resource' }],
    };
    if (origin?.file && origin.file !== '<stdin>') {
      location.physicalLocation = {
        artifactLocation: { uri: fileUri(origin.file) },
        ...(origin.line ? { region: { startLine: origin.line } } : {}),
      };
    }
    return {
      ruleId: f.code,
      ...(index.has(f.code) ? { ruleIndex: index.get(f.code)! } : {}),
      level: LEVEL[f.severity],
      message: { text: `${f.message}\nFix: ${f.fix}` },
      locations: [location],
      properties: { check: f.check, subject: f.subject, fix: f.fix },
      ...('suppression' in f
        ? { suppressions: [{ kind: f.suppression.kind, justification: f.suppression.justification }] }
        : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'exposectl',
            version: opts.toolVersion,
            informationUri: opts.informationUri,
            rules: opts.codes.map(rule),
          },
        },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

export function renderSarif(findings: Finding[], opts: SarifOptions): string {
  return `${JSON.stringify(toSarif(findings, opts), null, 2)}\n`;
}
