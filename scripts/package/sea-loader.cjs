// The single executable's main script: compiles the bundled CLI (an asset) with the code
// cache made by a warm-up run at build time (sea-warm.cjs), then runs it. A cache V8
// rejects (another node, other V8 flags) only costs compile time: DEBUG=exposectl says so.
const { getAsset } = require('node:sea');
const { Script } = require('node:vm');

const script = new Script(getAsset('exposectl.cjs', 'utf8'), { filename: 'exposectl.cjs', cachedData: Buffer.from(getAsset('exposectl.cache')) });
if (script.cachedDataRejected && /\bexposectl\b/.test(process.env.DEBUG ?? '')) process.stderr.write('exposectl: code cache rejected, compiling\n');
script.runInThisContext()(require, module, exports, __filename, __dirname);
