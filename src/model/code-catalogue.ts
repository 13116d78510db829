// The documents of `exposectl codes`: the catalogue of finding codes (CodeList) and one code
// explained (CodeExplanation). Built by src/actions/codes.ts, rendered by src/render/codes-*.ts.

export interface CodeSummary {
  code: string;
  severity: 'error' | 'warning' | 'info';
  check: string;
  title: string;
  /** Found only with a probe's facts (`diagnose --probe`). */
  probe: boolean;
  /** The code's section in docs/codes.md. */
  helpUri: string;
}

export interface CodeList {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'CodeList';
  items: CodeSummary[];
}

export interface CodeExplanation extends CodeSummary {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'CodeExplanation';
  /** What is wrong and what it does to traffic. */
  meaning: string;
  /** Why it usually happens. */
  causes: string[];
  /** The default fix (a finding may give a more precise one). */
  fix: string;
  example: {
    /** Manifests that give the finding. */
    manifest?: string;
    command: string;
    /** The finding needs these objects in a live cluster (absence is a fact only there). */
    cluster?: boolean;
    /** What the probe observes, for probe codes. */
    observation?: string;
  };
}
