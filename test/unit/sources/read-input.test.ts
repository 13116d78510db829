// Bounded reading of -f inputs: limits hold while reading, whatever the source.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputBudget, MAX_INPUT_BYTES, MAX_YAML_BYTES, readInput, syntaxOf } from '../../../src/sources/limits.js';
import { UsageError } from '../../../src/util/errors.js';

/** An endless stream of `chunk`, counting what was pulled from it. */
function endless(chunk: Buffer): { stream: Readable; pulled: () => number } {
  let pulled = 0;
  const stream = new Readable({
    read() {
      pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

describe('readBounded', () => {
  it('reads a stream to its end, in order, and charges the budget', async () => {
    const budget = inputBudget(100);
    const buf = await readInput(Readable.from([Buffer.from('{"a":'), '1}']), 'x', budget);
    expect(buf.toString()).toBe('{"a":1}');
    expect(budget.remaining).toBe(93);
  });

  it('an endless YAML-looking stream (yes, /dev/zero) stops just past the YAML limit with the YAML error', async () => {
    for (const byte of ['y\n', '\0']) {
      const src = endless(Buffer.alloc(65536, byte));
      const err = await readInput(src.stream, '<stdin>', inputBudget()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe('<stdin>: over 4 MiB of YAML is more than exposectl reads as YAML (4 MiB)');
      expect(src.pulled()).toBeLessThan(MAX_YAML_BYTES + 4 * 65536);
      expect(src.stream.destroyed).toBe(true);
    }
  });

  it('an endless JSON-looking stream stops at the input limit; one huge line too', async () => {
    const src = endless(Buffer.alloc(2 ** 20, '['));
    const err = await readInput(src.stream, 'big.json', inputBudget()).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      'big.json: more than 64 MiB of input: exposectl reads at most 64 MiB from all -f inputs together',
    );
    expect(src.pulled()).toBeLessThan(MAX_INPUT_BYTES + 4 * 2 ** 20);
  });

  it('the budget is shared: the second input gets what the first left', async () => {
    const budget = inputBudget(10);
    await readInput(Readable.from(['{"a":1}']), 'a.json', budget);
    await expect(readInput(Readable.from(['{"b":2}']), 'b.json', budget)).rejects.toThrow(/^b\.json: more than/);
  });

  it('syntaxOf: the first byte that is not white space or a UTF-8 BOM', () => {
    expect(syntaxOf(Buffer.from('  \n\t'))).toBe('unknown');
    expect(syntaxOf(Buffer.from('\ufeff {'))).toBe('json');
    expect(syntaxOf(Buffer.from('\n['))).toBe('json');
    expect(syntaxOf(Buffer.from([0xff, 0xfe, 0x7b, 0]))).toBe('json'); // UTF-16: the larger limit
    expect(syntaxOf(Buffer.from('apiVersion: v1'))).toBe('yaml');
    expect(syntaxOf(Buffer.from([0]))).toBe('yaml');
  });
});
