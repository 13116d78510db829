import { describe, expect, it } from 'vitest';
import { neverFromStdin, suggestCommand } from '../../../src/cli/hooks.js';

const COMMANDS = [
  'list',
  'ls',
  'describe',
  'diagnose',
  'topology',
  'expose',
  'unexpose',
  'rbac',
  'version',
  'probe',
  'probe arp',
  'probe bgp',
  'probe endpoints',
  'help',
  'autocomplete',
];

describe('suggestCommand', () => {
  it.each([
    ['lsit', 'list'],
    ['dignose', 'diagnose'],
    ['diagnos', 'diagnose'],
    ['topolgy', 'topology'],
    ['probe arpp', 'probe arp'],
    ['versoin', 'version'],
    ['rbca', 'rbac'],
    ['prob', 'probe'],
    ['unexpos', 'unexpose'],
  ])('%s -> %s', (typed, expected) => {
    expect(suggestCommand(typed, COMMANDS)).toBe(expected);
  });

  it.each(['xyz', 'kubectl', 'deploy', ''])('%j: nothing close enough', (typed) => {
    expect(suggestCommand(typed, COMMANDS)).toBeUndefined();
  });
});

describe('neverFromStdin', () => {
  it('marks every argument so that oclif never reads it from stdin', () => {
    const args: Record<string, { ignoreStdin?: boolean }> = { check: {}, service: { ignoreStdin: false } };
    neverFromStdin(args);
    expect(args).toEqual({ check: { ignoreStdin: true }, service: { ignoreStdin: true } });
    expect(() => neverFromStdin(undefined)).not.toThrow();
  });
});
