import { describe, expect, it } from 'vitest';
import { orphans, planPod } from '../../../scripts/lab/kubelet-plan.ts';

const echo = 'exposectl.dev/lab/echo:1';

describe('lab kubelet: what it does with a Pod', () => {
  it('ignores Pods not (yet) on a lab node, and Pods without a container', () => {
    expect(planPod({ deleting: false, image: echo }, undefined)).toBe('ignore');
    expect(planPod({ nodeName: 'worker-7', deleting: false, image: echo }, undefined)).toBe('ignore');
    expect(planPod({ nodeName: 'node-1', deleting: false }, undefined)).toBe('ignore');
  });

  it('starts a new Pod of a lab image, rejects one of another image', () => {
    expect(planPod({ nodeName: 'node-2', deleting: false, image: echo }, undefined)).toBe('start');
    expect(planPod({ nodeName: 'node-2', deleting: false, image: 'nginx:1.27' }, undefined)).toBe('reject');
  });

  it('restarts a Pod whose process exited; an unrunnable one stays as it is', () => {
    expect(planPod({ nodeName: 'node-3', deleting: false, image: echo }, { unrunnable: false, alive: false })).toBe('restart');
    expect(planPod({ nodeName: 'node-3', deleting: false, image: echo }, { unrunnable: false, alive: true })).toBe('keep');
    expect(planPod({ nodeName: 'node-3', deleting: false, image: 'nginx' }, { unrunnable: true, alive: false })).toBe('keep');
  });

  it('removes a Pod being deleted, whether it runs or not', () => {
    expect(planPod({ nodeName: 'node-1', deleting: true, image: echo }, { unrunnable: false, alive: true })).toBe('remove');
    expect(planPod({ nodeName: 'node-1', deleting: true, image: echo }, undefined)).toBe('remove');
  });

  it('orphans: what runs but the API no longer lists', () => {
    expect(orphans(['a', 'b', 'c'], new Set(['b']))).toEqual(['a', 'c']);
    expect(orphans([], new Set(['b']))).toEqual([]);
  });
});
