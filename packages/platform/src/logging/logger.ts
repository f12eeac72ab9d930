import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs everywhere. PII never reaches a log line: the paths
 * below are redacted wherever they appear in a logged object.
 */
const PII_PATHS = [
  'email', '*.email', 'phone', '*.phone', 'nationalId', '*.nationalId',
  'firstName', '*.firstName', 'lastName', '*.lastName', 'password', '*.password',
  'authorization', '*.authorization', 'clientSecret', '*.clientSecret',
];

let root: Logger | undefined;

export function rootLogger(): Logger {
  root ??= pino({
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: process.env.TANDEM_SERVICE ?? 'tandem' },
    redact: { paths: PII_PATHS, censor: '[masked]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return root;
}

export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
