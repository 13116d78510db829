// Moved to test/helpers/builders.ts (one module of test builders); this name stays for the
// test files written against it meanwhile. New tests import test/helpers/builders.ts.
export * from '../../helpers/builders.js';
