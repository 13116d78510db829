#!/usr/bin/env node
// exposectl's entry point. Start-up matters in scripts: Node's compile cache is on, and
// `--version` is answered without loading the CLI framework.
import module from 'node:module';

// The bundled HTTP client (undici 8) needs zlib's zstd (Node 22.15 / 23.8) and declares
// Node >=22.19; Node 23 is end-of-life. Say so in one line before loading anything else.
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 22 && minor >= 19) || major >= 24)) {
  process.stderr.write(
    `error: exposectl needs Node.js 22.19.0 or newer (23.x is not supported); this is Node.js ${process.version}\n`,
  );
  process.exit(1);
}

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
