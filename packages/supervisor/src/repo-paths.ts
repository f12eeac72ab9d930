import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place (src/ under vitest, dist/ at run time). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIST = resolve(REPO_ROOT, 'web/dist');
export const DEMO_APPLICATIONS = resolve(REPO_ROOT, 'models/demo/applications.json');
