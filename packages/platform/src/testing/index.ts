import './provided-context.js';
export * from './test-infra.js';
export * from './subgraph-harness.js';
