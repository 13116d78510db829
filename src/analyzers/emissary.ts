// Emissary-ingress: a Mapping whose spec.service names a Service that does not exist
// (ingress/backend-missing): Emissary answers 503 (no healthy upstream). Pure; files and
// live alike (absence counts only where it proves something).
import { findService, nameOf, nsOf } from '../discover/context.js';
import { mappingBackend } from '../discover/emissary.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { absenceProves, absentText, isTarget, subjectOf } from './util.js';

const mappingService: Analyzer = {
  name: 'emissary-mapping-service',
  check: 'ingress',
  codes: ['ingress/backend-missing'],
  inputs: ['snapshot'],
  description: 'The Service an Emissary Mapping sends to (spec.service) exists.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const m of facts.snapshot.emissary.mappings) {
      const b = mappingBackend(m);
      if (!b || !isTarget(facts, b.namespace, b.service)) continue;
      if (findService(facts.ctx, b.namespace, b.service)) continue;
      if (!absenceProves(facts, 'Service', b.namespace)) continue;
      const ref = `Mapping ${nsOf(m)}/${nameOf(m)}`;
      out.push(
        finding(
          'ingress/backend-missing',
          subjectOf(m),
          `${ref} sends ${b.match} to Service ${b.namespace}/${b.service} (spec.service), which ${absentText(facts).doesNotExist}: Emissary answers 503 (no healthy upstream).`,
          `Create Service ${b.namespace}/${b.service} or fix spec.service of ${ref}: a name alone means namespace ${nsOf(m)}; elsewhere write NAME.NAMESPACE[:PORT].`,
        ),
      );
    }
    return out;
  },
};

export const emissaryAnalyzers: Analyzer[] = [mappingService];
