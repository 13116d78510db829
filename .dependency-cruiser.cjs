// The layers of src/ (docs/architecture.md), checked by `npm run lint:deps` in `npm test`.
// A folder imports only folders of lower layers (and util/ and model/ from anywhere):
//
//   8  commands/, main.ts    parse flags, call one action           (the oclif entry points)
//   7  cli/                  run a command: common flags, printing, exit codes, --fail-on
//   6  actions/, expose/     one use case each, returning a typed result; expose/ is the
//                            expose/unexpose action (plan, apply, wait), kept in its folder
//   5  analyzers/           findings, from snapshot facts and probe facts (the only code that makes them)
//      topology/            the graph of one reading; it draws the analyzers' findings
//      probes/              observe the network and return facts: no findings, no analyzers
//      rbac/                the Roles the modes' writes need (a generator over modes/)
//   4  discover/            typed facts from the raw objects of one snapshot
//      modes/               the generators of each exposure mode (what expose writes); pure
//      version/             component versions read from the snapshot; pure
//   3  sources/             read a snapshot: -f files or the cluster (through kube/)
//   2  kube/                the API client, kubeconfig, credentials, the kinds read
//   1  model/               the types everything shares (snapshot, findings, probe facts)
//   0  util/                leaf helpers with no exposectl concept but the error contract
//
//   render/ sits beside model/: it turns model types into text and imports nothing else,
//   so a new output format can never reach into discovery or the cluster.
const LAYERS = [
  ['util'],
  ['model'],
  ['kube'],
  ['sources'],
  ['discover', 'modes', 'version'],
  ['analyzers', 'topology', 'probes', 'rbac'],
  ['actions', 'expose'],
  ['cli'],
  ['commands'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

/** Every folder may import only lower layers (util and model from anywhere; render see below). */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}`,
  severity: 'error',
  comment: `${layer.join(', ')} (layer ${i}) must not import a higher layer: ${LAYERS.slice(i + 1)
    .flat()
    .join(', ')}`,
  from: { path: folders(layer) },
  to: { path: [folders(LAYERS.slice(i + 1).flat()), '^src/main\\.ts$'] },
}));

/** Folders of one layer that must not import each other (the layer has no order inside). */
const siblings = (name, from, to, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: folders(from) },
  to: { path: folders(to) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycle, between modules or (through the layers) between folders. A type-only or lazy (dynamic) import does not make a cycle at load time.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only', 'dynamic-import'] } },
    },
    ...layerRules,
    siblings(
      'sources-kube',
      ['kube'],
      ['sources'],
      'kube/ is below sources/: sources/cluster.ts reads through kube/, so kube/ never imports sources/ (the kinds table lives in kube/kinds.ts).',
    ),
    siblings(
      'discover-not-modes',
      ['discover', 'version'],
      ['modes'],
      'discover/ reads what is there; modes/ writes: the reading side never imports the generators (shared address math lives in discover/).',
    ),
    siblings(
      'analyzers-not-probes',
      ['analyzers'],
      ['probes'],
      'Analyzers judge probe facts as typed in model/probe-facts.ts; they never run or import a probe.',
    ),
    siblings(
      'probes-not-analyzers',
      ['probes'],
      ['analyzers', 'topology', 'rbac'],
      "Probes observe and return facts; the judgement is an analyzer's (src/analyzers/probe-*.ts).",
    ),
    siblings(
      'analyzers-not-topology',
      ['analyzers'],
      ['topology', 'rbac'],
      "Analyzers stand alone; topology/ may draw the analyzers' findings, not the other way round.",
    ),
    siblings(
      'rbac-alone',
      ['rbac'],
      ['topology', 'analyzers', 'probes'],
      'rbac/ is a generator over modes/: it needs no findings, graph or probe.',
    ),
    siblings(
      'actions-not-expose',
      ['expose'],
      ['actions'],
      "expose/ is the expose action's machinery; actions/ may call it, it never calls other actions.",
    ),
    {
      name: 'probes-make-no-findings',
      severity: 'error',
      comment: 'Every finding is made by an analyzer: a probe returns facts (model/probe-facts.ts), never a Finding.',
      from: { path: '^src/probes/' },
      to: { path: ['^src/model/finding\\.ts$', '^src/analyzers/'] },
    },
    {
      name: 'render-takes-model-types',
      severity: 'error',
      comment:
        'A renderer turns model types into text: it imports model/, util/ and other renderers, nothing that reads or judges.',
      from: { path: '^src/render/' },
      to: { path: '^src/', pathNot: ['^src/(render|model|util)/'] },
    },
    {
      name: 'only-the-top-renders',
      severity: 'error',
      comment:
        "Rendering is chosen by the command's -o: only actions/, expose/ (its progress view), cli/ and commands/ import render/.",
      from: { path: '^src/', pathNot: ['^src/(render|actions|expose|cli|commands)/', '^src/main\\.ts$'] },
      to: { path: '^src/render/' },
    },
    {
      name: 'thin-commands',
      severity: 'error',
      comment:
        'A command parses flags and calls one action (src/actions/); it does not read, discover, analyze or probe itself.',
      from: { path: '^src/commands/' },
      to: { path: folders(['kube', 'sources', 'discover', 'analyzers', 'topology', 'probes']) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that names a higher layer's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
