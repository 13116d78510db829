// Which ConfigMaps the sources keep for the analyzers (src/kube/kinds.ts keepConfigMap).
import { describe, expect, test } from 'vitest';
import { keepConfigMap } from '../../../src/kube/kinds.js';
import type { KubeObject } from '../../../src/model/kube-object.js';

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'x', ...(labels ? { labels } : {}) },
  data,
});

describe('keepConfigMap', () => {
  test.each([
    ['kube-vip ranges', cm('kubevip', { 'range-global': '192.0.2.10-192.0.2.20' }), true],
    ['an HAProxy config by file name', cm('gw', { 'haproxy.cfg': 'global\n' }), true],
    ['an nginx config by file name', cm('gw', { 'nginx.conf': 'events {}\n' }), true],
    ['an HAProxy config under another name', cm('gw', { 'edge.cfg': 'frontend fe\n  bind :80\n' }), true],
    ['an nginx stream config under another name', cm('gw', { 'default.conf': 'stream {\n}\n' }), true],
    [
      'ingress-nginx settings by label',
      cm('ingress-nginx-controller', {}, { 'app.kubernetes.io/name': 'ingress-nginx' }),
      true,
    ],
    ['ingress-nginx settings by key', cm('ctrl', { 'use-proxy-protocol': 'true' }), true],
    ['ingress-nginx TCP services', cm('tcp-services', { 9000: 'default/db:5432' }), true],
    ['application settings', cm('app', { 'app.conf': 'debug = true\n', 'settings.json': '{}' }), false],
    ['no data', cm('empty', {}), false],
  ] as const)('%s', (_, o, kept) => {
    expect(keepConfigMap(o)).toBe(kept);
  });
});
