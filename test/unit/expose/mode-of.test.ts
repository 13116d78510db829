// The mode the permission hint names (`exposectl rbac --mode M`), read from the objects.
import { describe, expect, it } from 'vitest';
import { modeOf } from '../../../src/expose/run.js';

describe('modeOf', () => {
  it('reads the mode label, or the in-place annotation, and is undefined without either', () => {
    expect(
      modeOf([
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb', labels: { 'exposectl.dev/mode': 'l2' } } },
      ]),
    ).toBe('l2');
    expect(
      modeOf([
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web', annotations: { 'exposectl.dev/in-place': 'nodeport' } },
        },
      ]),
    ).toBe('nodeport');
    expect(modeOf([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } }])).toBeUndefined();
  });
});
