// The API server's conflict message, as exposectl prints it: one line.
import { describe, expect, it } from 'vitest';
import { oneLineConflict } from '../../../src/kube/objects.js';

describe('oneLineConflict', () => {
  it('keeps a one-field conflict as the server wrote it', () => {
    expect(oneLineConflict('Apply failed with 1 conflict: conflict with "other": .spec.externalTrafficPolicy')).toBe(
      'Apply failed with 1 conflict: conflict with "other": .spec.externalTrafficPolicy',
    );
  });

  it('puts the fields of a multi-field conflict on the same line, comma-separated', () => {
    expect(
      oneLineConflict(
        'Apply failed with 2 conflicts: conflicts with "other":\n- .spec.externalTrafficPolicy\n- .spec.sessionAffinity',
      ),
    ).toBe('Apply failed with 2 conflicts: conflicts with "other": .spec.externalTrafficPolicy, .spec.sessionAffinity');
  });
});
