// The probe names moved to src/model/probe-names.ts (commands name probes without loading them).
export * from '../model/probe-names.js';
