// input/*: values in a manifest's Service fields (ports, protocols, addresses) that the API
// server would reject. The Service is then never created, which is an error, not silence. Pure.
import { nameOf, nsOf } from '../discover/context.js';
import { invalidServiceFields } from '../discover/invalid-values.js';
import type { Finding } from '../model/finding.js';
import { finding } from './codes.js';
import type { Analyzer } from './types.js';
import { serviceType, subjectOf } from './util.js';

const invalidValues: Analyzer = {
  name: 'input-invalid-values',
  check: 'input',
  codes: ['input/invalid-value'],
  inputs: ['snapshot'],
  description: 'Service ports, targetPorts, protocols and IP addresses are values the API server accepts.',
  analyze(facts) {
    const out: Finding[] = [];
    for (const svc of facts.snapshot.services) {
      // A NodePort or LoadBalancer Service's bad nodePort is already nodeport/out-of-range.
      const opensNodePorts = ['NodePort', 'LoadBalancer'].includes(serviceType(svc));
      for (const v of invalidServiceFields(svc)) {
        if (opensNodePorts && v.field.endsWith('.nodePort')) continue;
        out.push(
          finding(
            'input/invalid-value',
            subjectOf(svc),
            `Service ${nsOf(svc)}/${nameOf(svc)} has ${v.field} ${v.value}, which ${v.problem}: the API server rejects the Service, so it is never created or exposed.`,
            `Set ${v.field} to ${v.expected}.`,
          ),
        );
      }
    }
    return out;
  },
};

export const inputAnalyzers: Analyzer[] = [invalidValues];
