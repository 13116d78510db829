// build-lib.sh's gomod_directive_flags: a dependency's replace and exclude directives (Traefik's)
// carried into the shared build module as `go mod edit` flags, in every form go.mod allows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const LIB = path.resolve(import.meta.dirname, '../../../scripts/cluster/build-lib.sh');
const dir = mkdtempSync(path.join(tmpdir(), 'gomod-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function flagsOf(gomod: string) {
  const file = path.join(dir, `go-${Math.random().toString(36).slice(2)}.mod`);
  writeFileSync(file, gomod);
  const r = spawnSync('bash', ['-c', `source "$0" && gomod_directive_flags "$1"`, LIB, file], { encoding: 'utf8' });
  return { status: r.status, flags: r.stdout.split('\n').filter(Boolean), stderr: r.stderr, file };
}

describe('gomod_directive_flags', () => {
  it('turns single-line and block replace and exclude directives into go mod edit flags; requires and comments are left out', () => {
    const r = flagsOf(`module example.com/app

go 1.25.0

require github.com/gorilla/mux v1.8.1 // indirect

replace github.com/abbot/go-http-auth => github.com/containous/go-http-auth v0.4.1-0.20200324110947-a37a7636d23e

replace (
	github.com/gorilla/mux => github.com/containous/mux v0.0.0-20250523120546-41b6ec3aed59 // fork
	github.com/old/pinned v1.2.0 => github.com/new/pinned v1.3.0
)

// ambiguous import
exclude github.com/tencentcloud/tencentcloud-sdk-go v3.0.83+incompatible

exclude (
	example.com/broken v0.1.0
)
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.flags).toEqual([
      '-replace=github.com/abbot/go-http-auth=github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e',
      '-replace=github.com/gorilla/mux=github.com/containous/mux@v0.0.0-20250523120546-41b6ec3aed59',
      '-replace=github.com/old/pinned@v1.2.0=github.com/new/pinned@v1.3.0',
      '-exclude=github.com/tencentcloud/tencentcloud-sdk-go@v3.0.83+incompatible',
      '-exclude=example.com/broken@v0.1.0',
    ]);
  });

  it('a go.mod without directives gives no flags', () => {
    const r = flagsOf('module example.com/app\n\ngo 1.25.0\n\nrequire golang.org/x/net v0.47.0\n');
    expect(r).toMatchObject({ status: 0, flags: [] });
  });

  it('a replacement by a local path cannot be carried into another module: it fails, naming the file and the directive', () => {
    const r = flagsOf(
      'module example.com/app\n\nreplace (\n\texample.com/api => ./api\n\tgithub.com/a/b => github.com/c/b v1.0.0\n)\n',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${r.file}: cannot carry over replace`);
    expect(r.stderr).toContain('example.com/api => ./api (a local path)');
  });
});
