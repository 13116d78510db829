// The checks of expose's options alone, before the Service or any cluster fact is read:
// `expose` runs them before its first request, so a wrong flag exits 2 even with the
// cluster down. Each check is the one the mode's validation runs later (same function,
// same message); this only gathers those that need nothing but the options.
import { bgpOptionProblems } from './bgp.js';
import { optionFitProblems } from './common.js';
import { l2OptionProblems } from './l2.js';
import { addressOptionProblems } from './metallb-plan.js';
import type { ExposeOptions, Problem } from './spec.js';

export function optionProblems(options: ExposeOptions): Problem[] {
  const problems = optionFitProblems(options);
  if (options.mode === 'l2') problems.push(...l2OptionProblems(options), ...addressOptionProblems(options));
  if (options.mode === 'bgp') problems.push(...bgpOptionProblems(options), ...addressOptionProblems(options));
  return problems;
}
