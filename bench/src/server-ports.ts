import { freePort } from '@tandem/platform';

const SUBGRAPHS = ['IDENTITY', 'APPLICATIONS', 'SCORING', 'QUEUE', 'DECISIONS', 'ANALYTICS'] as const;

/** Ports for a Tandem process started by a bench: every one free (freePort never hands out the same one twice), so a bench beside `npm start` (or another bench) never collides. */
export async function tandemPorts(): Promise<{ port: number; env: Record<string, string> }> {
  const port = await freePort();
  const env: Record<string, string> = { PORT: String(port), EMBEDDED_POSTGRES_PORT: String(await freePort()) };
  for (const name of SUBGRAPHS) env[`${name}_PORT`] = String(await freePort());
  return { port, env };
}
