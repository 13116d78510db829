// `exposectl rbac`: the roles (and bindings) exposectl needs, built from the modes'
// generators; nothing is read or sent. The command only declares and parses the flags.
import { EXPOSE_MODES, type ExposeMode } from '../modes/index.js';
import { buildRbac } from '../rbac/build.js';
import { parseSubject } from '../rbac/subject.js';
import { asList } from '../render/applied.js';
import { UsageError } from '../util/errors.js';
import type { CommandOutput } from './output.js';

export interface RbacFlags {
  mode?: string | undefined;
  'read-only': boolean;
  name?: string | undefined;
  namespace?: string | undefined;
  bind?: string[] | undefined;
  'with-secrets': boolean;
}

export function rbacRoles(flags: RbacFlags): CommandOutput {
  if (!flags.mode && !flags['read-only']) {
    throw new UsageError(
      `say what the role is for: --read-only, or --mode with one of ${EXPOSE_MODES.join(', ')}`,
      'exposectl rbac --mode l2',
    );
  }
  const objects = buildRbac({
    ...(flags.mode ? { mode: flags.mode as ExposeMode } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    subjects: (flags.bind ?? []).map(parseSubject),
    secrets: flags['with-secrets'],
  });
  return {
    data: asList(objects),
    renderers: {
      // One YAML document per object: what `kubectl apply -f -` and reviewers read best.
      yaml: async () => {
        const { toYaml } = await import('../render/yaml.js');
        return objects.map((o) => toYaml(o)).join('---\n');
      },
    },
  };
}
