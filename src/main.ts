// The CLI's entry after bin/run.js: hands the command line to oclif. Bundled together
// with the commands so that start-up reads a few files instead of hundreds.
import { execute } from '@oclif/core';

export async function main(binUrl: string): Promise<void> {
  await execute({ dir: binUrl });
}
