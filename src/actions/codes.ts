// What `exposectl codes [CODE]` does: the catalogue, one family of it, or one code explained.
// An unknown CODE is a usage error that names the closest known code.

import { closestCode, codeList, explainCode } from '../analyzers/catalogue/index.js';
import { isKnownCode } from '../analyzers/codes.js';
import { CHECKS, type Check } from '../analyzers/types.js';
import { shown, UsageError } from '../util/errors.js';
import type { CommandOutput } from './output.js';

export function codesOutput(arg: string | undefined): CommandOutput {
  if (arg === undefined || isCheck(arg.replace(/\/\*$/, ''))) {
    const all = codeList();
    const check = arg?.replace(/\/\*$/, '');
    const list = check ? { ...all, items: all.items.filter((i) => i.check === check) } : all;
    return {
      data: list,
      renderers: { text: async (ctx) => (await import('../render/codes-text.js')).renderCodeList(list, ctx) },
    };
  }
  if (!isKnownCode(arg)) throw unknownCode(arg);
  const explained = explainCode(arg);
  return {
    data: explained,
    renderers: { text: async (ctx) => (await import('../render/codes-text.js')).renderCodeExplanation(explained, ctx) },
  };
}

function isCheck(word: string): word is Check {
  return (CHECKS as readonly string[]).includes(word);
}

/** exit 2, with the closest known code when there is one. */
export function unknownCode(text: string, what = 'code'): UsageError {
  const best = closestCode(text);
  return new UsageError(
    `unknown ${what} ${shown(text)}`,
    best ? `did you mean ${best}? (exposectl codes ${best})` : 'exposectl codes lists every code',
  );
}
