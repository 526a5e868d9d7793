import { pino } from 'pino';

// JSON lines on stdout, one object per event worth knowing (DOMAIN.md §5).
export const createLogger = (level = process.env.LOG_LEVEL ?? 'info') =>
  pino({ level, base: { service: 'camledger-command-worker' } });

export type Logger = ReturnType<typeof createLogger>;
