/** Structured JSON logs (pino). Never log secrets or row data. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, name = 'maas'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', 'authorization', '*.apiKey', '*.token'], censor: '[redacted]' },
  });
}
