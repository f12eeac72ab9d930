import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/repo-paths.js';

// The flags are measured CPU savings (scripts/run.sh says how much): every way of starting Tandem must carry them.
describe('Node flags', () => {
  it('are the same in the image as in scripts/run.sh, which the npm scripts use', async () => {
    const dockerfile = await readFile(resolve(REPO_ROOT, 'Dockerfile'), 'utf8');
    const runScript = await readFile(resolve(REPO_ROOT, 'scripts/run.sh'), 'utf8');
    const image = /NODE_OPTIONS="([^"]+)"/.exec(dockerfile)?.[1]?.split(/\s+/);
    const scripts = /export NODE_OPTIONS="([^"$]+)/.exec(runScript)?.[1]?.trim().split(/\s+/);
    expect(image).toEqual(expect.arrayContaining(['--experimental-async-context-frame', '--max-semi-space-size=64']));
    expect(scripts).toEqual(image);
  });
});
