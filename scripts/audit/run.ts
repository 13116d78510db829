#!/usr/bin/env node
// npm run audit: fails (exit 1) on high or critical advisories in production
// dependencies. When the advisory endpoint cannot be asked (no network, a proxy that
// refuses it), it says so loudly and exits 0, since CI must not fail for what it cannot
// control, unless EXPOSECTL_AUDIT_REQUIRED=1 (then exit 1: use it where the endpoint is
// known to be reachable).
import { spawnSync } from 'node:child_process';
import { auditVerdict } from './verdict.ts';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['audit', '--omit=dev', '--json'], {
  encoding: 'utf8',
  timeout: 120_000,
  maxBuffer: 64 * 1024 * 1024,
});
const verdict = run.error
  ? { kind: 'unknown' as const, reason: `npm audit did not run: ${run.error.message}` }
  : auditVerdict(run.stdout);

if (verdict.kind === 'pass') {
  console.log(
    `npm audit (production dependencies): no high or critical advisories (${Object.entries(verdict.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
} else if (verdict.kind === 'fail') {
  console.error('npm audit (production dependencies): high or critical advisories:');
  for (const p of verdict.packages) console.error(`  ${p.name} (${p.severity}): ${p.advisories.join('; ')}`);
  console.error(
    'fix: bump the pinned version in package.json (npm install NAME@FIXED --save-exact) or add an override, then npm run audit',
  );
  process.exitCode = 1;
} else {
  const required = process.env.EXPOSECTL_AUDIT_REQUIRED === '1';
  console.error(`${required ? 'error' : 'warning'}: npm audit NOT checked: ${verdict.reason}`);
  if (required) process.exitCode = 1;
}
