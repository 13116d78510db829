// The readable catalogue: every code with its severity, check, title, meaning, causes, fix and
// example, and where it is documented (docs/codes.md, the SARIF rules' helpUri). Pure.
import { closest, distance } from 'fastest-levenshtein';
import type { CodeExplanation, CodeList, CodeSummary } from '../../model/code-catalogue.js';
import { CODES, type Code, type CodeInfo, isKnownCode } from '../codes.js';
import { EXPLANATIONS, type Explanation } from './explanations.js';

/**
 * Where docs/codes.md is published: the repository named in package.json ("repository"),
 * branch main. SARIF viewers (GitHub code scanning) link each rule there.
 */
export const REPOSITORY_URL = 'https://github.com/exposectl/exposectl';
export const CODES_DOC_URL = `${REPOSITORY_URL}/blob/main/docs/codes.md`;

/** The HTML anchor of a code's section in docs/codes.md: `lb/no-pool` -> `lb-no-pool`. */
export function codeAnchor(code: string): string {
  return code.replace(/\//g, '-');
}

export function helpUri(code: string): string {
  return `${CODES_DOC_URL}#${codeAnchor(code)}`;
}

const explanation = (code: Code): Explanation => (EXPLANATIONS as Record<Code, Explanation>)[code];

function summary(info: CodeInfo<Code>): CodeSummary {
  return {
    code: info.code,
    severity: info.severity,
    check: info.check,
    title: explanation(info.code).title,
    probe: info.probe === true,
    helpUri: helpUri(info.code),
  };
}

export function codeList(): CodeList {
  return { apiVersion: 'exposectl.dev/v1alpha1', kind: 'CodeList', items: CODES.map(summary) };
}

export function explainCode(code: Code): CodeExplanation {
  const info = CODES.find((c) => c.code === code)!;
  const e = explanation(code);
  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'CodeExplanation',
    ...summary(info),
    meaning: info.meaning,
    causes: [...e.causes],
    fix: info.fix,
    example: { ...e.example },
  };
}

/** The known code closest to `text` (a typo, a missing family, underscores), if one is near enough to suggest. */
export function closestCode(text: string): Code | undefined {
  const codes = CODES.map((c) => c.code);
  const normalized = text.trim().toLowerCase().replace(/_/g, '-');
  if (isKnownCode(normalized)) return normalized;
  // A bare name ("no-pool") is the code of that name in whichever family has it.
  const byName = codes.filter((c) => c.slice(c.indexOf('/') + 1) === normalized);
  if (byName.length === 1) return byName[0];
  const best = closest(normalized, codes) as Code;
  return distance(normalized, best) <= Math.max(3, Math.floor(best.length / 4)) ? best : undefined;
}

/** The catalogue as SARIF rules: every code with the link to its explanation. */
export function sarifRules(): Array<(typeof CODES)[number] & { helpUri: string }> {
  return CODES.map((c) => ({ ...c, helpUri: helpUri(c.code) }));
}
