import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { buildTandemSchema, loadConfig } from '@tandem/platform';
import { SUBGRAPH_MODULES } from './subgraph-modules.js';

export interface ComposedGraph {
  supergraphSdl: string;
  subgraphs: { name: string; sdl: string }[];
}

/**
 * Composes the subgraphs' SDL, printed from the same type-graphql classes
 * that serve them, into the supergraph. The routing URLs are the production
 * topology's (docker-compose service names); the gateway overrides them from
 * its config at run time.
 */
export async function composeSupergraph(): Promise<ComposedGraph> {
  const config = loadConfig({ TANDEM_MODE: 'demo' });
  const subgraphs = [];
  for (const module of SUBGRAPH_MODULES) {
    const { sdl } = await buildTandemSchema(module);
    subgraphs.push({ name: module.name, sdl, url: `http://${module.name}:${config.subgraphPorts[module.name]}/graphql` });
  }
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors?.length) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl!, subgraphs: subgraphs.map(({ name, sdl }) => ({ name, sdl })) };
}
