import type { TestProject } from 'vitest/node';
import { startTestInfra } from './test-infra.js';
import './provided-context.js';

/**
 * vitest globalSetup: one PostgreSQL (and Redis) per test run, shared by the
 * run's files through inject('databaseUrl') / inject('redisUrl').
 */
export default async function setup(project: TestProject) {
  const infra = await startTestInfra({ redis: true });
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('redisUrl', infra.redisUrl ?? '');
  return async () => infra.stop();
}
