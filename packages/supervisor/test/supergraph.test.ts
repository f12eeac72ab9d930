import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../src/compose-supergraph.js';
import { REPO_ROOT } from '../src/repo-paths.js';

describe('the checked-in supergraph', () => {
  it('composes, and matches what the subgraphs serve today (run npm run compose if not)', async () => {
    const { supergraphSdl } = await composeSupergraph();
    const checkedIn = await readFile(resolve(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
    expect(checkedIn, 'schema/supergraph.graphql is stale: run npm run compose').toBe(supergraphSdl);
  });
});
