#!/usr/bin/env node
// exposectl's entry point. Start-up matters in scripts: Node's compile cache is on, and
// `--version` is answered without loading the CLI framework.
import module from 'node:module';

module.enableCompileCache?.();

// A reader that stops early (`exposectl list | head -1`) is not an error: end quietly.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { readFileSync } = await import('node:fs');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`exposectl/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const { main } = await import('../dist/main.js');
  await main(import.meta.url);
}
