// The kubectl that benchmarks compare against: $EXPOSECTL_KUBECTL, else the one built
// with the test control plane, else the first on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function findKubectl(): string {
  const fromEnv = process.env.EXPOSECTL_KUBECTL;
  if (fromEnv) return fromEnv;
  try {
    const dir = execFileSync('bash', ['scripts/cluster/build.sh', '--print-dir'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (existsSync(`${dir}/bin/kubectl`)) return `${dir}/bin/kubectl`;
  } catch {
    // fall through to PATH
  }
  return 'kubectl';
}
