import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from './compose-supergraph.js';

// npm run compose: writes schema/supergraph.graphql and each subgraph's SDL beside it.
const schemaDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../schema');
const { supergraphSdl, subgraphs } = await composeSupergraph();
await mkdir(resolve(schemaDir, 'subgraphs'), { recursive: true });
await writeFile(resolve(schemaDir, 'supergraph.graphql'), supergraphSdl);
for (const s of subgraphs) await writeFile(resolve(schemaDir, 'subgraphs', `${s.name}.graphql`), s.sdl);
console.log(`composed ${subgraphs.length} subgraphs into ${resolve(schemaDir, 'supergraph.graphql')}`);
process.exit(0);
