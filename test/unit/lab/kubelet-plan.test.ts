import { describe, expect, it } from 'vitest';
import { adoptable, orphans, planPod } from '../../../scripts/lab/kubelet-plan.ts';

const echo = 'exposectl.dev/lab/echo:1';

describe('lab kubelet: what it does with a Pod', () => {
  it('ignores Pods not (yet) on a lab node, and Pods without a container', () => {
    expect(planPod({ deleting: false, image: echo }, undefined)).toBe('ignore');
    expect(planPod({ nodeName: 'worker-7', deleting: false, image: echo }, undefined)).toBe('ignore');
    expect(planPod({ nodeName: 'node-1', deleting: false }, undefined)).toBe('ignore');
  });

  it('starts a new Pod of a lab image, rejects one of another image', () => {
    expect(planPod({ nodeName: 'node-2', deleting: false, image: echo }, undefined)).toBe('start');
    expect(
      planPod({ nodeName: 'node-2', deleting: false, image: 'registry.example.com/shop/web:1.27' }, undefined),
    ).toBe('reject');
  });

  it('restarts a Pod whose process exited; an unrunnable one stays as it is', () => {
    expect(planPod({ nodeName: 'node-3', deleting: false, image: echo }, { unrunnable: false, alive: false })).toBe(
      'restart',
    );
    expect(planPod({ nodeName: 'node-3', deleting: false, image: echo }, { unrunnable: false, alive: true })).toBe(
      'keep',
    );
    expect(planPod({ nodeName: 'node-3', deleting: false, image: 'nginx' }, { unrunnable: true, alive: false })).toBe(
      'keep',
    );
  });

  it('removes a Pod being deleted, whether it runs or not', () => {
    expect(planPod({ nodeName: 'node-1', deleting: true, image: echo }, { unrunnable: false, alive: true })).toBe(
      'remove',
    );
    expect(planPod({ nodeName: 'node-1', deleting: true, image: echo }, undefined)).toBe('remove');
  });

  it('orphans: what runs but the API no longer lists', () => {
    expect(orphans(['a', 'b', 'c'], new Set(['b']))).toEqual(['a', 'c']);
    expect(orphans([], new Set(['b']))).toEqual([]);
  });

  it('adoptable: an unlabelled Pod on a lab node with an image the lab plays (the probe echo); not one being deleted, unscheduled, elsewhere or of another image', () => {
    const probe = {
      labelled: false,
      nodeName: 'node-2',
      deleting: false,
      image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
    };
    expect(adoptable(probe)).toBe(true);
    expect(adoptable({ ...probe, labelled: true })).toBe(false);
    expect(adoptable({ ...probe, deleting: true })).toBe(false);
    expect(adoptable({ ...probe, nodeName: undefined })).toBe(false);
    expect(adoptable({ ...probe, nodeName: 'kind-worker' })).toBe(false);
    expect(adoptable({ ...probe, image: 'registry.example.com/shop/web:1.27' })).toBe(false);
  });
});
