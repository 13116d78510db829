// The redactor every printed document and stderr line goes through.
import { describe, expect, it } from 'vitest';
import { toJson } from '../../../src/render/json.js';
import { toYaml } from '../../../src/render/yaml.js';
import { REDACTED, redactSecrets, redactText } from '../../../src/util/redact.js';

const KEY = 'c2VjcmV0LWtleS1ieXRlcw=='; // "secret-key-bytes"
const tlsSecret = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/tls',
  metadata: {
    name: 'shop-tls',
    namespace: 'shop',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"tls.key":"${KEY}"}}`, team: 'web' },
  },
  data: { 'tls.crt': 'Y2VydA==', 'tls.key': KEY },
  stringData: { password: 'hunter2-plain' },
};

describe('redactSecrets', () => {
  it('keeps the keys of a Secret and replaces every value, the last-applied copy too', () => {
    const r = redactSecrets(tlsSecret);
    expect(r.data).toEqual({ 'tls.crt': REDACTED, 'tls.key': REDACTED });
    expect(r.stringData).toEqual({ password: REDACTED });
    expect(r.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration': REDACTED,
      team: 'web',
    });
    expect(r).toMatchObject({
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: 'shop-tls', namespace: 'shop' },
    });
    expect(tlsSecret.data['tls.key']).toBe(KEY); // the input is not changed
  });

  it('finds Secrets at any depth (Lists, nested documents) and leaves other objects alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'haproxy.cfg': 'frontend x' } };
    const list = { apiVersion: 'v1', kind: 'List', items: [cm, { wrapped: [tlsSecret] }] };
    const r = redactSecrets(list);
    expect(r.items[0]).toBe(cm);
    expect(JSON.stringify(r)).not.toContain(KEY);
    expect(JSON.stringify(r)).not.toContain('hunter2-plain');
  });

  it('returns the same object when there is nothing to redact', () => {
    const doc = { items: [{ kind: 'Service', metadata: { name: 'web' } }], n: 1 };
    expect(redactSecrets(doc)).toBe(doc);
    expect(redactSecrets('text')).toBe('text');
    expect(redactSecrets(null)).toBe(null);
  });

  it('is applied by the JSON and YAML renderers', () => {
    for (const text of [toJson({ items: [tlsSecret] }), toYaml({ items: [tlsSecret] })]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('hunter2-plain');
      expect(text).toContain(REDACTED);
      expect(text).toContain('tls.key');
    }
  });
});

describe('redactText', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6Ym90In0.c2lnbmF0dXJl';
  it.each([
    ['Authorization: Bearer abcdefgh12345678', 'abcdefgh12345678'],
    ['request failed: {"authorization":"Bearer s3cr3t-t0k3n-value"}', 's3cr3t-t0k3n-value'],
    ['users:\n- name: x\n  user:\n    token: sha256~AbCdEf0123456789', 'sha256~AbCdEf0123456789'],
    ['client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t', 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t'],
    [`the token ${jwt} expired`, jwt],
    ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDo0\n-----END EC PRIVATE KEY-----', 'MHcCAQEEIDo0'],
    ['"password": "hunter2"', 'hunter2'],
  ])('removes the credential from %j', (text, credential) => {
    const r = redactText(text);
    expect(r).not.toContain(credential);
    expect(r).toContain(REDACTED);
  });

  it('leaves ordinary messages as they are', () => {
    for (const text of [
      'user "viewer" may not create services in namespace "shop"; patch ipaddresspools.metallb.io: nothing was changed',
      '--tls-secret: Secret shop/web-tls does not exist',
      'kube: GET /api/v1/services?limit=500 -> 200 in 12 ms',
      'create selfsubjectaccessreviews.authorization.k8s.io',
    ])
      expect(redactText(text)).toBe(text);
  });
});
