import { type Logger, pino } from 'pino';

/** Apps own pino; one JSON line per event on stdout, named after the app. */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({ name, level });
}
