// Build step of the single executable (scripts/package/sea.js): runs the bundled CLI once
// (`list -f` of a small file, the command scripts call most) and writes V8's code cache
// of the script afterwards, so that the cache holds the functions that run compiled, not
// only the top level that `useCodeCache` covers. The executable's loader
// (sea-loader.cjs) hands this cache to V8 with the same source.
// Usage: node sea-warm.cjs SCRIPT CACHE ARGS...
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const [scriptPath, cachePath, ...args] = process.argv.slice(2);
const script = new Script(readFileSync(scriptPath, 'utf8'), { filename: 'exposectl.cjs' });
process.argv = [process.execPath, process.execPath, ...args];
process.on('exit', () => writeFileSync(cachePath, script.createCachedData()));
script.runInThisContext()(require, module, exports, __filename, __dirname);
