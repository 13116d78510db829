// Reads an example manifest of the catalogue the way a user would: saved to a file and read
// with -f (src/sources/files.ts), so examples are judged exactly as `exposectl diagnose -f` does;
// an example marked `cluster` is judged as the same objects read from a live cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Snapshot } from '../../../src/model/snapshot.js';
import { readManifests } from '../../../src/sources/files.js';

export async function snapshotFromText(yaml: string, cluster = false): Promise<Snapshot> {
  const dir = mkdtempSync(join(tmpdir(), 'exposectl-example-'));
  try {
    const file = join(dir, 'example.yaml');
    writeFileSync(file, `${yaml}\n`);
    const snapshot = await readManifests([file]);
    return cluster
      ? { ...snapshot, source: { kind: 'cluster', description: 'the example objects in a cluster' } }
      : snapshot;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
