// The SERVICE argument of `topology` and `describe`: `name` or `namespace/name`, and
// the one error both commands give for a Service that is not there.
import { RuntimeError, UsageError } from '../util/errors.js';
import type { ServiceRef } from './build.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Splits `namespace/name` (or `name`, in the default namespace); exit 2 on anything else. */
export function parseServiceArg(arg: string, defaultNamespace: string, namespaceFlag?: string): ServiceRef {
  const parts = arg.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new UsageError(`invalid SERVICE ${JSON.stringify(arg)}: expected NAME or NAMESPACE/NAME`);
  }
  const [namespace, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [defaultNamespace, parts[0]!];
  if (!DNS_LABEL.test(name) || !DNS_LABEL.test(namespace)) {
    throw new UsageError(`invalid SERVICE ${JSON.stringify(arg)}: names are lower-case letters, digits, "-" and "."`);
  }
  if (parts.length === 2 && namespaceFlag !== undefined && namespaceFlag !== namespace) {
    throw new UsageError(`SERVICE ${arg} names namespace ${namespace} but --namespace is ${namespaceFlag}`);
  }
  return { namespace, name };
}

/**
 * A Service that is not in the cluster or in the files: exit 1, with kubectl's message
 * (`services "x" not found`), whatever the source. Not finding it is an answer about
 * the input, not a misuse of the command, and scripts get one code for it.
 */
export function serviceNotFound(ref: ServiceRef, source: 'cluster' | 'files'): RuntimeError {
  return new RuntimeError(
    `services "${ref.name}" not found in namespace "${ref.namespace}"${source === 'files' ? ' of the input files' : ''}`,
    source === 'files'
      ? 'list what the files expose with `exposectl list -f ...`, or name the namespace: NAMESPACE/NAME or -n'
      : 'list the exposures with `exposectl list -A`, or name the namespace: NAMESPACE/NAME or -n',
  );
}
