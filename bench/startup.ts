// Start-up benchmark: `exposectl --version` and `exposectl list -f <small file>` against
// `kubectl version --client`, measured in the same run. Target: at most 2x kubectl.
// Run: npm run build && node bench/startup.ts [runs]
import { formatRow, measure } from './measure.ts';
import { findKubectl } from './kubectl.ts';

const runs = Number(process.argv[2] ?? 20);
const node = process.execPath;
const kubectl = findKubectl();

const baseline = measure('kubectl version --client', kubectl, ['version', '--client'], runs);
const rows = [
  measure('node -e 0', node, ['-e', '0'], runs),
  measure('exposectl --version', node, ['bin/run.js', '--version'], runs),
  measure('exposectl list -f examples/demo/web.yaml', node, ['bin/run.js', 'list', '-f', 'examples/demo/web.yaml'], runs),
  measure('exposectl list -f examples/demo -o json', node, ['bin/run.js', 'list', '-f', 'examples/demo', '-o', 'json'], runs),
];
console.log(`startup benchmark, ${runs} runs each (median wall time), node ${process.version}, kubectl at ${kubectl}`);
console.log(formatRow(baseline));
for (const row of rows) console.log(formatRow(row, baseline));
