// esbuild plugins for the single executable's bundle: one CommonJS script that Node runs
// from inside its own binary, where nothing can be loaded from a file.
import { globSync, readFileSync } from 'node:fs';
import { root } from '../bundle.js';

/** A package's folder (some packages' exports hide their package.json from require.resolve). */
const packageDir = (name) => `${root}node_modules/${name}/`;

/** oclif's id of a command file under src/commands: probe/arp.ts -> probe:arp (index names its folder). */
export function commandId(relativePath) {
  return relativePath
    .replace(/\.tsx?$/, '')
    .split('/')
    .filter((part, i, all) => part !== 'index' || i < all.length - 1)
    .join(':');
}

/** The command classes that oclif would otherwise load by path: exposectl's own and the help and autocomplete plugins'. */
function commandTable() {
  const entries = globSync('src/commands/**/*.{ts,tsx}', { cwd: root }).map((file) => [
    commandId(file.slice('src/commands/'.length)),
    `${root}${file}`,
  ]);
  for (const plugin of ['@oclif/plugin-help', '@oclif/plugin-autocomplete']) {
    const dir = packageDir(plugin);
    for (const file of globSync('lib/commands/**/*.js', { cwd: dir }))
      entries.push([commandId(file.slice('lib/commands/'.length).replace(/\.js$/, '.ts')), `${dir}${file}`]);
  }
  const imports = entries.map(([, path], i) => `import * as c${i} from ${JSON.stringify(path)};`);
  const table = entries.map(([id], i) => `  ${JSON.stringify(id)}: c${i}.default,`);
  return `${imports.join('\n')}\nexport const COMMANDS = {\n${table.join('\n')}\n};\n`;
}

/**
 * oclif's module loader imports commands and the explicit command table by file path; the
 * executable's loader answers every such request with the table, the only module oclif
 * loads there (no hooks, no help class of its own).
 */
export const embeddedCommands = {
  name: 'embedded-commands',
  setup(b) {
    b.onResolve({ filter: /[\\/]module-loader(\.js)?$/ }, (args) =>
      /[\\/]@oclif[\\/]core[\\/]/.test(args.importer) ? { path: 'module-loader', namespace: 'sea-loader' } : undefined,
    );
    b.onResolve({ filter: /^exposectl-sea-commands$/ }, () => ({ path: 'commands', namespace: 'sea-commands' }));
    b.onLoad({ filter: /.*/, namespace: 'sea-commands' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: commandTable(),
    }));
    b.onLoad({ filter: /.*/, namespace: 'sea-loader' }, () => ({
      loader: 'js',
      resolveDir: root,
      // The table is imported on first use: the commands extend oclif's Command, which is
      // still being defined while oclif's own modules load this one.
      contents: `export async function loadWithData(config, modulePath) {
  const { COMMANDS } = await import('exposectl-sea-commands');
  return { filePath: modulePath, isESM: false, module: { COMMANDS } };
}
export async function load(config, modulePath) { return (await loadWithData(config, modulePath)).module; }
export async function loadWithDataFromManifest(cached) { throw new Error('command ' + cached.id + ': the executable has no command files'); }
export function isPathModule() { return false; }`,
    }));
  },
};

/**
 * Ink's layout engine (yoga-layout) instantiates its WebAssembly with a top-level await,
 * which a CommonJS script cannot have. Emscripten lets the caller instantiate the module:
 * done synchronously here, from the same bytes, the engine is ready when the module is.
 */
export const syncYoga = {
  name: 'sync-yoga',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'sync-yoga' }));
    b.onLoad({ filter: /.*/, namespace: 'sync-yoga' }, () => {
      const dir = packageDir('yoga-layout');
      const factory = `${dir}dist/binaries/yoga-wasm-base64-esm.js`;
      const wasm = /"data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)"/.exec(readFileSync(factory, 'utf8'))?.[1];
      if (!wasm) throw new Error(`${factory}: no embedded WebAssembly found (yoga-layout changed its build)`);
      return {
        loader: 'js',
        resolveDir: dir,
        contents: `import loadYoga from ${JSON.stringify(factory)};
import wrapAssembly from ${JSON.stringify(`${dir}dist/src/wrapAssembly.js`)};
export * from ${JSON.stringify(`${dir}dist/src/generated/YGEnums.js`)};
const wasm = new WebAssembly.Module(Buffer.from(${JSON.stringify(wasm)}, 'base64'));
const lib = {
  instantiateWasm(imports, ready) { ready(new WebAssembly.Instance(wasm, imports)); return {}; },
};
loadYoga(lib);
if (!lib.asm) throw new Error('yoga-layout did not initialise synchronously');
export default wrapAssembly(lib);`,
      };
    });
  },
};

/**
 * Ink's reconciler awaits at its top level only when DEV=true (React DevTools, which the
 * executable does not carry): those two awaits go, the DEV code paths stay unreachable.
 */
export const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const edits = [
        ["await import('./devtools.js');", 'void 0;'],
        ['await loadPackageJson();', '{};'],
      ];
      let contents = source;
      for (const [from, to] of edits) {
        if (!contents.includes(from)) throw new Error(`${path}: "${from}" not found (Ink changed its DEV code)`);
        contents = contents.replace(from, to);
      }
      return { loader: 'js', contents };
    });
  },
};

/** elkjs's bundled build, the largest package (1.6 MB), which only svg and html layouts use. */
export const ELK_ASSET = { name: 'elk.bundled.js', path: `${packageDir('elkjs')}lib/elk.bundled.js` };

/**
 * elkjs is read from an asset of the executable and compiled when a layout is first drawn,
 * instead of being part of the script: the start-up snapshot carries the script's text,
 * and every start pays for each megabyte of it.
 */
export const elkFromAsset = {
  name: 'elk-from-asset',
  setup(b) {
    b.onResolve({ filter: /^elkjs\/lib\/elk\.bundled\.js$/ }, () => ({ path: 'elk', namespace: 'elk-asset' }));
    b.onLoad({ filter: /.*/, namespace: 'elk-asset' }, () => ({
      loader: 'js',
      contents: `const { getAsset } = require('node:sea');
const { runInThisContext } = require('node:vm');
const elk = { exports: {} };
runInThisContext('(function (module, exports, require) {' + getAsset(${JSON.stringify(ELK_ASSET.name)}, 'utf8') + '\\n})', { filename: ${JSON.stringify(ELK_ASSET.name)} })(elk, elk.exports, require);
module.exports = elk.exports;`,
    }));
  },
};
