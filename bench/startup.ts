// Start-up benchmark: `exposectl --version` and `exposectl list -f <small file>` against
// `kubectl version --client`, measured in the same run. Target: at most 2x kubectl.
// Run: npm run build && node bench/startup.ts [runs]

import { findKubectl } from './kubectl.ts';
import { formatRow, loadAverages, measureAll, TABLE_HEADER } from './measure.ts';

const runs = Number(process.argv[2] ?? 20);
const node = process.execPath;
const kubectl = findKubectl();

const loadBefore = loadAverages();
const [baseline, ...rows] = measureAll(
  [
    { label: 'kubectl version --client', command: kubectl, args: ['version', '--client'] },
    { label: 'node -e 0', command: node, args: ['-e', '0'] },
    { label: 'exposectl --version', command: node, args: ['bin/run.js', '--version'] },
    {
      label: 'exposectl list -f examples/demo/web.yaml',
      command: node,
      args: ['bin/run.js', 'list', '-f', 'examples/demo/web.yaml'],
    },
    {
      label: 'exposectl list -f examples/demo -o json',
      command: node,
      args: ['bin/run.js', 'list', '-f', 'examples/demo', '-o', 'json'],
    },
  ],
  runs,
);
console.log(
  `startup benchmark, ${runs} interleaved runs each (medians; ratios to kubectl), node ${process.version}, kubectl at ${kubectl}; load average ${loadBefore} before, ${loadAverages()} after`,
);
console.log(TABLE_HEADER);
console.log(formatRow(baseline!));
for (const row of rows) console.log(formatRow(row, baseline));
