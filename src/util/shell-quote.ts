// Commands suggested to the user (a finding's fix) are built from names read from files
// or the cluster: each word is quoted for a POSIX shell, so copying the command runs
// that command with that argument and nothing else (no `;`, `$( )`, globbing or split).

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: as is when it has only safe characters, else in single quotes. */
export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
