// Builds release/ once per run (scripts/package/run.js: the npm tarball, the single
// executable, the krew archive and manifest, SHA256SUMS). `npm test` has built dist/ and
// oclif.manifest.json already; the package script bundles its own copies from them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

export default function setup(): void {
  if (!existsSync(join(root, 'oclif.manifest.json'))) throw new Error('oclif.manifest.json is missing: run npm run build before the release tests');
  execFileSync(process.execPath, ['scripts/package/run.js'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
