import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { MASK, MASKED_FIELDS, maskPii } from '../audit/pii.js';

export type { Logger };

/**
 * Structured JSON logs everywhere. PII and secrets never reach a log line:
 * every logged object runs through the same masking as the audit trail
 * (MASKED_FIELDS, at any depth, case-insensitively), and pino's redaction
 * covers the top two levels as a second guard.
 */
const REDACT_PATHS = MASKED_FIELDS.flatMap((f) => [f, `*.${f}`]);

/** The options of every Tandem logger; exported so a test can log to a buffer exactly as production logs. */
export function loggerOptions(): LoggerOptions {
  return {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: process.env.TANDEM_SERVICE ?? 'tandem' },
    redact: { paths: REDACT_PATHS, censor: MASK },
    formatters: { log: (object) => maskPii(object) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

let root: Logger | undefined;

export function rootLogger(): Logger {
  root ??= pino(loggerOptions());
  return root;
}

/** A logger with Tandem's options writing to `destination` (tests), at `level` (LOG_LEVEL by default). */
export function loggerTo(destination: DestinationStream, level?: string): Logger {
  return pino({ ...loggerOptions(), ...(level ? { level } : {}) }, destination);
}

export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}
