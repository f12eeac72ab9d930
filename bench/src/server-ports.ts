import { freePort } from '@tandem/platform';

const SUBGRAPHS = ['IDENTITY', 'APPLICATIONS', 'SCORING', 'QUEUE', 'DECISIONS', 'ANALYTICS'] as const;

/**
 * Ports for a Tandem process started by a bench: every one free when picked, so a bench beside `npm start` (or
 * another bench) never collides, and no two the same: freePort picks at random, and eight picks from its range
 * would share a number about once in 430 runs (the process then cannot start: EADDRINUSE).
 */
export async function tandemPorts(): Promise<{ port: number; env: Record<string, string> }> {
  const taken = new Set<number>();
  const pick = async () => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  const port = await pick();
  const env: Record<string, string> = { PORT: String(port), EMBEDDED_POSTGRES_PORT: String(await pick()) };
  for (const name of SUBGRAPHS) env[`${name}_PORT`] = String(await pick());
  return { port, env };
}
