import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The composed supergraph checked in at schema/supergraph.graphql (SUPERGRAPH_PATH overrides). */
export function supergraphPath(): string {
  if (process.env.SUPERGRAPH_PATH) return resolve(process.env.SUPERGRAPH_PATH);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = resolve(dir, 'schema/supergraph.graphql');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('schema/supergraph.graphql not found: run npm run compose');
}

export function readSupergraph(): string {
  return readFileSync(supergraphPath(), 'utf8');
}
