export * from './pii.js';
export * from './diff.js';
export * from './record-audit.js';
