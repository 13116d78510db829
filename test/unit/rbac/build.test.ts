// The role builder: reads come from the kinds table, writes from the mode generators, and
// together they cover every kind exposectl reads or may delete.
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/kube/kinds.js';
import { writableKinds } from '../../../src/kube/objects.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { EXPOSE_MODES, planExpose } from '../../../src/modes/index.js';
import { buildRbac } from '../../../src/rbac/build.js';
import { sampleManifests, writtenKinds } from '../../../src/rbac/mode-writes.js';
import type { PolicyRule } from '../../../src/rbac/policy.js';
import { parseSubject, subjectSlug } from '../../../src/rbac/subject.js';
import { UsageError } from '../../../src/util/errors.js';

/** Every verb the rules give on group/resource. */
function verbsOn(rules: PolicyRule[], group: string, resource: string): string[] {
  return rules
    .filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource))
    .flatMap((r) => r.verbs)
    .sort();
}
const rulesOf = (o: KubeObject) => o.rules as PolicyRule[];
const byKind = (objs: KubeObject[], kind: string) => objs.filter((o) => o.kind === kind);

describe('rbac --read-only', () => {
  const [role, ...rest] = buildRbac({});

  it('is one ClusterRole with get and list of every kind the reader lists, and discovery', () => {
    expect(rest).toEqual([]);
    expect(role).toMatchObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'exposectl-read-only' },
    });
    for (const k of KINDS.filter((k) => k.kind !== 'Secret')) {
      expect(verbsOn(rulesOf(role!), k.group, k.plural), k.kind).toEqual(['get', 'list']);
    }
    expect(rulesOf(role!)).toContainEqual({ nonResourceURLs: ['/apis'], verbs: ['get'] });
  });

  it('writes nothing and does not read Secrets unless asked', () => {
    const verbs = new Set(rulesOf(role!).flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list']);
    expect(verbsOn(rulesOf(role!), '', 'secrets')).toEqual([]);
    expect(verbsOn(rulesOf(buildRbac({ secrets: true })[0]!), '', 'secrets')).toEqual(['list']);
    expect(rulesOf(role!).some((r) => r.resources?.includes('selfsubjectaccessreviews'))).toBe(false);
  });

  it('refuses -n (it has no writes to narrow) and bad names', () => {
    expect(() => buildRbac({ namespace: 'shop' })).toThrow(UsageError);
    expect(() => buildRbac({ name: 'Bad Name' })).toThrow(/not a valid role name/);
  });
});

describe('rbac --mode', () => {
  it('every mode adds create, patch and delete of exactly the kinds its generator writes, plus access reviews', () => {
    for (const mode of EXPOSE_MODES) {
      const objs = buildRbac({ mode });
      expect(objs.map((o) => o.kind)).toEqual(['ClusterRole']);
      const rules = rulesOf(objs[0]!);
      // Group and kind: Calico's BGPPeer and MetalLB's share a kind name.
      const groupOf = (apiVersion: string) =>
        apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const written = new Set(sampleManifests(mode).map((m) => `${groupOf(m.apiVersion)}/${m.kind}`));
      for (const k of KINDS.filter((k) => k.kind !== 'Secret')) {
        expect(verbsOn(rules, k.group, k.plural), `${mode} ${k.kind}`).toEqual(
          written.has(`${k.group}/${k.kind}`) ? ['create', 'delete', 'get', 'list', 'patch'] : ['get', 'list'],
        );
      }
      expect(verbsOn(rules, 'authorization.k8s.io', 'selfsubjectaccessreviews')).toEqual(['create']);
      expect(objs[0]!.metadata.name).toBe(`exposectl-${mode}`);
    }
  });

  it('the samples cover what a plain expose of each mode generates', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api', namespace: 'x' },
      spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    } as never;
    const extra: Record<string, object> = {
      ingress: { ingressClass: 'nginx' },
      l2: { addresses: ['192.0.2.1/32'] },
      bgp: { addresses: ['192.0.2.1/32'], peer: '192.0.2.2', peerASN: 64500, myASN: 64501 },
      gateway: { gatewayClass: 'c' },
    };
    for (const mode of EXPOSE_MODES) {
      const plan = planExpose({ service, mode, ...extra[mode] });
      expect(plan.problems, mode).toEqual([]);
      const kinds = new Set(writtenKinds(mode).map((k) => k.kind));
      for (const m of plan.manifests) expect(kinds.has(m.kind), `${mode} ${m.kind}`).toBe(true);
    }
  });

  it('together the modes cover every kind unexpose may delete', () => {
    const covered = new Set(EXPOSE_MODES.flatMap((m) => writtenKinds(m).map((k) => k.kind)));
    // Calico's default BGPConfiguration is patched (exposectl's entries), never deleted.
    expect([...covered].filter((k) => k !== 'BGPConfiguration').sort()).toEqual(
      writableKinds()
        .map((k) => k.kind)
        .sort(),
    );
  });

  it('with -n: reads in a ClusterRole NAME-read, writes in Roles in the namespace and metallb-system', () => {
    const objs = buildRbac({ mode: 'l2', namespace: 'shop', subjects: [parseSubject('serviceaccount:ci/deployer')] });
    const [cr] = byKind(objs, 'ClusterRole');
    expect(cr!.metadata.name).toBe('exposectl-l2-read');
    expect(
      rulesOf(cr!)
        .flatMap((r) => r.verbs)
        .filter((v) => v !== 'get' && v !== 'list'),
    ).toEqual(['create']); // access reviews only
    const roles = byKind(objs, 'Role');
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['metallb-system', 'shop']);
    const shop = roles.find((r) => r.metadata.namespace === 'shop')!;
    expect(rulesOf(shop)).toEqual([{ apiGroups: [''], resources: ['services'], verbs: ['create', 'patch', 'delete'] }]);
    const metallb = roles.find((r) => r.metadata.namespace === 'metallb-system')!;
    expect(rulesOf(metallb)).toEqual([
      {
        apiGroups: ['metallb.io'],
        resources: ['ipaddresspools', 'l2advertisements'],
        verbs: ['create', 'patch', 'delete'],
      },
    ]);
    const bindings = objs.filter((o) => o.kind.endsWith('Binding'));
    expect(
      bindings.map(
        (b) => `${b.kind} ${b.metadata.namespace ?? ''} ${b.metadata.name} -> ${(b.roleRef as { name: string }).name}`,
      ),
    ).toEqual([
      'ClusterRoleBinding  exposectl-l2-read-sa-ci-deployer -> exposectl-l2-read',
      'RoleBinding shop exposectl-l2-sa-ci-deployer -> exposectl-l2',
      'RoleBinding metallb-system exposectl-l2-sa-ci-deployer -> exposectl-l2',
    ]);
    for (const b of bindings)
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]);
  });

  it('one binding per subject, named after it', () => {
    const objs = buildRbac({
      mode: 'nodeport',
      name: 'web-exposer',
      subjects: [parseSubject('user:alice'), parseSubject('group:sre')],
    });
    expect(byKind(objs, 'ClusterRoleBinding').map((b) => b.metadata.name)).toEqual([
      'web-exposer-user-alice',
      'web-exposer-group-sre',
    ]);
  });
});

describe('--bind subjects', () => {
  it('parses users, groups and service accounts', () => {
    expect(parseSubject('user:alice@example.com')).toEqual({
      kind: 'User',
      apiGroup: 'rbac.authorization.k8s.io',
      name: 'alice@example.com',
    });
    expect(parseSubject('group:system:masters')).toMatchObject({ kind: 'Group', name: 'system:masters' });
    expect(parseSubject('sa:ci/bot')).toEqual({ kind: 'ServiceAccount', namespace: 'ci', name: 'bot' });
  });

  it('refuses malformed subjects with a usage error', () => {
    for (const bad of [
      'alice',
      'user:',
      'robot:x',
      'serviceaccount:bot',
      'serviceaccount:Ci/bot',
      'serviceaccount:a/b/c',
      'user:a b',
    ]) {
      expect(() => parseSubject(bad), bad).toThrow(UsageError);
    }
  });

  it('slugs are valid name parts and distinct when characters were replaced', () => {
    expect(subjectSlug(parseSubject('user:alice'))).toBe('user-alice');
    const a = subjectSlug(parseSubject('user:a@b'));
    const b = subjectSlug(parseSubject('user:a.b'));
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9-]+$/);
  });
});
