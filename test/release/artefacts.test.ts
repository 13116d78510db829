// release/'s checksums and the krew plugin: every file is listed in SHA256SUMS with its
// hash, the krew manifest's sha256 is the archive's, and the archive holds the executable
// under the name kubectl gives plugins.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { executable, krewArchive, krewManifest, pkg, release, tarball } from './helpers.ts';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('SHA256SUMS', () => {
  it('lists every release file with its sha256, in sha256sum format', () => {
    const lines = readFileSync(join(release, 'SHA256SUMS'), 'utf8').trimEnd().split('\n');
    const listed = lines.map((line) => {
      const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { hash: match![1]!, file: match![2]! };
    });
    expect(listed.map((l) => l.file).sort()).toEqual(readdirSync(release).filter((f) => f !== 'SHA256SUMS').sort());
    expect(listed.map((l) => l.file)).toEqual(expect.arrayContaining([basename(tarball), basename(executable), basename(krewArchive), basename(krewManifest)]));
    for (const { hash, file } of listed) expect(sha256(join(release, file)), file).toBe(hash);
    // The same check a user runs.
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: release, encoding: 'utf8' })).toMatch(new RegExp(`${basename(executable)}: OK`));
  });
});

describe('krew plugin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-krew-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a manifest krew accepts: the plugin, its version, linux/amd64 with the archive sha256', () => {
    const manifest = parse(readFileSync(krewManifest, 'utf8')) as Record<string, any>;
    expect(manifest['apiVersion']).toBe('krew.googlecontainertools.github.com/v1alpha2');
    expect(manifest['kind']).toBe('Plugin');
    expect(manifest['metadata']).toEqual({ name: 'exposectl' });
    expect(manifest['spec'].version).toBe(`v${pkg.version}`);
    expect(manifest['spec'].shortDescription.length).toBeLessThanOrEqual(50);
    expect(manifest['spec'].homepage).toMatch(/^https:\/\//);
    expect(manifest['spec'].platforms).toHaveLength(1);
    const [platform] = manifest['spec'].platforms;
    expect(platform.selector).toEqual({ matchLabels: { os: 'linux', arch: 'amd64' } });
    expect(platform.uri).toMatch(new RegExp(`^https://.+/${basename(krewArchive).replace(/\./g, '\\.')}$`));
    expect(platform.sha256).toBe(sha256(krewArchive));
    expect(platform.bin).toBe('kubectl-exposectl');
    expect(platform.files).toEqual([{ from: 'kubectl-exposectl', to: '.' }]);
  });

  it('archives the executable as kubectl-exposectl, executable by everyone', () => {
    expect(execFileSync('tar', ['-tvzf', krewArchive], { encoding: 'utf8' })).toMatch(/^-rwxr-xr-x \S+ +\d+ .* kubectl-exposectl\n$/);
    execFileSync('tar', ['-xzf', krewArchive, '-C', dir]);
    expect(sha256(join(dir, 'kubectl-exposectl'))).toBe(sha256(executable));
  });
});
