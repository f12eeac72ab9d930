import { createLogger } from '../logging/logger.js';

/** What an operator reads when a process cannot go on: one line, and the error's facts as fields. */
export interface FatalReport {
  message: string;
  fields: Record<string, unknown>;
}

/**
 * Describes an error nothing handled (a port in use at start-up, a refused
 * database, a bug). The usual start-up failures get a sentence that says
 * what to do; anything else keeps its error (stack included) for the logs.
 */
export function describeFatal(err: unknown): FatalReport {
  const e = (err ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number };
  // `host`, not `address`: the logs mask an `address` as personal data.
  const where = { code: e.code, host: e.address, port: e.port };
  if (e.code === 'EADDRINUSE' && e.syscall === 'listen') {
    return {
      message: `port ${e.port} on ${e.address} is already in use: stop what holds it, or choose another with PORT, <SUBGRAPH>_PORT or EMBEDDED_POSTGRES_PORT`,
      fields: where,
    };
  }
  if (e.code === 'EACCES' && e.syscall === 'listen') {
    return { message: `not allowed to listen on port ${e.port} on ${e.address}: choose a port above 1023`, fields: where };
  }
  if (e.code === 'ECONNREFUSED' && e.syscall === 'connect') {
    return { message: `${e.address}:${e.port} refused the connection: is the database (DATABASE_URL) or Redis (REDIS_URL) running there?`, fields: where };
  }
  return { message: 'stopped by an error nothing handled', fields: { err } };
}

/**
 * Call first in a process's entry: an error nothing handles (at start-up,
 * typically a port in use) is logged as one structured line and the process
 * exits with 1, instead of node printing its raw stack to the terminal.
 */
export function exitOnFatalError(name: string): void {
  const log = createLogger(name);
  const fatal = (err: unknown) => {
    const { message, fields } = describeFatal(err);
    log.fatal(fields, message);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}
