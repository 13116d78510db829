import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from '../../../src/util/label-selector.js';

const sel = (text: string, labels: Record<string, string>) => matchesLabels(parseLabelSelector(text), labels);

describe('label selectors (kubectl -l)', () => {
  it('parses every operator of apimachinery', () => {
    expect(parseLabelSelector('a=b, c==d,e!=f,g in (x, y),h notin (z),i,!j,k>3,l<-2')).toEqual([
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '==', values: ['d'] },
      { key: 'e', operator: '!=', values: ['f'] },
      { key: 'g', operator: 'in', values: ['x', 'y'] },
      { key: 'h', operator: 'notin', values: ['z'] },
      { key: 'i', operator: 'exists', values: [] },
      { key: 'j', operator: '!', values: [] },
      { key: 'k', operator: '>', values: ['3'] },
      { key: 'l', operator: '<', values: ['-2'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('app.kubernetes.io/name=web')).toEqual([
      { key: 'app.kubernetes.io/name', operator: '=', values: ['web'] },
    ]);
    expect(parseLabelSelector('a=')).toEqual([{ key: 'a', operator: '=', values: [''] }]);
    expect(parseLabelSelector('a in (x,)')).toEqual([{ key: 'a', operator: 'in', values: ['x', ''] }]);
  });

  it('matches as Kubernetes does: != and notin also select objects without the key', () => {
    const labels = { app: 'web', tier: 'frontend', replicas: '5' };
    expect(sel('app=web', labels)).toBe(true);
    expect(sel('app==web,tier=frontend', labels)).toBe(true);
    expect(sel('app=api', labels)).toBe(false);
    expect(sel('app!=api', labels)).toBe(true);
    expect(sel('team!=x', labels)).toBe(true);
    expect(sel('tier in (backend, frontend)', labels)).toBe(true);
    expect(sel('tier in (backend)', labels)).toBe(false);
    expect(sel('team in (a)', labels)).toBe(false);
    expect(sel('tier notin (frontend)', labels)).toBe(false);
    expect(sel('team notin (a)', labels)).toBe(true);
    expect(sel('app', labels)).toBe(true);
    expect(sel('!app', labels)).toBe(false);
    expect(sel('!team', labels)).toBe(true);
    expect(sel('replicas>4,replicas<6', labels)).toBe(true);
    expect(sel('replicas>5', labels)).toBe(false);
    expect(sel('app>1', labels)).toBe(false); // not a number: no match
    expect(sel('', {})).toBe(true);
    expect(sel('a=', {})).toBe(false);
    expect(sel('a=', { a: '' })).toBe(true);
  });

  it.each([
    ['a in ()', /values set can't be empty/],
    ['a in (', /expected/],
    ['a in x', /expected: '\('/],
    ['a b', /expected: in, notin/],
    ['=b', /expected: !, identifier/],
    ['a=b,', /end of string/],
    ['a=b c', /expected: ',' or 'end of string'/],
    ['!', /expected: identifier/],
    ['-a=b', /invalid label key/],
    ['a=-b', /invalid label value/],
    ['a/b/c=d', /invalid label key/],
    [`a=${'x'.repeat(64)}`, /invalid label value/],
    ['a>b', /must be an integer/],
    ['a=(b)', /expected: identifier/],
  ])('refuses %j', (text, message) => {
    expect(() => parseLabelSelector(text)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(text)).toThrow(message);
  });

  it('never throws anything but LabelSelectorError (random input)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          parseLabelSelector(text);
        } catch (error) {
          expect(error).toBeInstanceOf(LabelSelectorError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a=b selects exactly the labels with b under a (random labels)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
    fc.assert(
      fc.property(fc.dictionary(word, word), word, word, (labels, key, value) => {
        expect(sel(`${key}=${value}`, labels)).toBe(labels[key] === value);
        expect(sel(`${key}!=${value}`, labels)).toBe(labels[key] !== value);
        expect(sel(key, labels)).toBe(key in labels);
        expect(sel(`!${key}`, labels)).toBe(!(key in labels));
      }),
    );
  });
});
