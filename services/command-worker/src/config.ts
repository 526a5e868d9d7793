import { z } from 'zod';

// DOMAIN.md §5, exactly: every variable, its default, and a message that
// names the variable when its value is bad (the worker then exits with 2).

// Years and months are left out: their length depends on the date they start from.
const isoDuration = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO 8601 duration made of weeks, days, hours, minutes and seconds (P2W, P30D, PT2S, P1DT12H). */
export function parseIsoDuration(text: string): number | undefined {
  const m = isoDuration.exec(text);
  if (!m) return undefined;
  const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m;
  const days = Number(w) * 7 + Number(d);
  return ((days * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Math.round(Number(s) * 1000);
}

const natsServer = /^(nats|tls|ws|wss):\/\/[^\s,]+$|^[^\s,:/]+(:\d+)?$/;
/** As nats.js reads a server: a URL (host:port gets nats://) with a host and a port that is one. */
const isNatsServer = (server: string): boolean => {
  if (!natsServer.test(server)) return false;
  try {
    return new URL(server.includes('://') ? server : `nats://${server}`).hostname !== '';
  } catch {
    return false;
  }
};

// What the EventStoreDB client parses: esdb:// or esdb+discover://, an
// optional user:password@, hosts with optional ports, then /?options.
const esdbHost = String.raw`[^\s/?,:@]+(?::\d{1,5})?`;
const esdbConnectionString = new RegExp(
  String.raw`^esdb(?:\+discover)?://(?:[^\s/@]+@)?${esdbHost}(?:,${esdbHost})*/?(?:\?\S*)?$`,
);

const dayMs = 24 * 3600 * 1000;
const maxTrashRetentionMs = 36_500 * dayMs;
const maxDuplicateWindowMs = 365 * dayMs;

const schema = z
  .object({
    NATS_URL: z
      .string()
      .default('nats://127.0.0.1:4222')
      .transform((v) => v.split(',').map((s) => s.trim()))
      .refine((servers) => servers.every(isNatsServer), 'must be a NATS URL or a comma-separated list'),
    CAMLEDGER_PREFIX: z
      .string()
      .default('camledger')
      .refine((v) => /^[A-Za-z0-9_-]{1,32}$/.test(v), 'must be 1..32 letters, digits, - or _'),
    CAMLEDGER_STORE: z.enum(['jetstream', 'memory', 'eventstoredb']).default('jetstream'),
    EVENTSTORE_CONNECTION_STRING: z
      .string()
      .regex(esdbConnectionString, 'must be an esdb:// or esdb+discover:// connection string')
      .optional(),
    CAMLEDGER_TRASH_RETENTION: z
      .string()
      .default('P30D')
      .transform((v, ctx) => {
        const ms = parseIsoDuration(v);
        // Bounded so that trashed-at plus retention is still a date (and a sane one).
        if (ms === undefined || ms <= 0 || ms > maxTrashRetentionMs) {
          ctx.addIssue({
            code: 'custom',
            message:
              'must be a positive ISO 8601 duration of at most 100 years (P36500D), such as P30D or PT2S',
          });
          return z.NEVER;
        }
        return ms;
      }),
    // The events stream's JetStream duplicate window: how long the server itself
    // recognises a repeated append and a command key used again. At the 7 days
    // command ids are remembered, an accepted append needs no reply-log record
    // (docs/operations.md, "The duplicate window").
    CAMLEDGER_DUPLICATE_WINDOW: z
      .string()
      .default('P7D')
      .transform((v, ctx) => {
        const ms = parseIsoDuration(v);
        // The server keeps the window in nanoseconds, an int64: a year is far inside it.
        if (ms === undefined || ms < 100 || ms > maxDuplicateWindowMs) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be an ISO 8601 duration from 0.1 seconds to 365 days, such as PT2M, PT1S or P7D',
          });
          return z.NEVER;
        }
        return ms;
      }),
    CAMLEDGER_REPLICAS: z
      .string()
      .default('1')
      .refine((v) => /^[1-5]$/.test(v), 'must be a whole number from 1 to 5')
      .transform(Number),
  })
  .superRefine((env, ctx) => {
    if (env.CAMLEDGER_STORE === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING)
      ctx.addIssue({
        code: 'custom',
        path: ['EVENTSTORE_CONNECTION_STRING'],
        message: 'is required when CAMLEDGER_STORE=eventstoredb',
      });
  });

export interface WorkerConfig {
  readonly natsServers: readonly string[];
  readonly prefix: string;
  readonly store: 'jetstream' | 'memory' | 'eventstoredb';
  readonly eventStoreConnectionString: string | undefined;
  readonly trashRetentionMs: number;
  readonly duplicateWindowMs: number;
  readonly replicas: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

export function readConfig(env: Record<string, string | undefined>): WorkerConfig {
  // An empty variable counts as unset, as shells and compose files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue?.path[0] ?? 'configuration'), issue?.message ?? 'is invalid');
  }
  const c = parsed.data;
  return {
    natsServers: c.NATS_URL,
    prefix: c.CAMLEDGER_PREFIX,
    store: c.CAMLEDGER_STORE,
    eventStoreConnectionString: c.EVENTSTORE_CONNECTION_STRING,
    trashRetentionMs: c.CAMLEDGER_TRASH_RETENTION,
    duplicateWindowMs: c.CAMLEDGER_DUPLICATE_WINDOW,
    replicas: c.CAMLEDGER_REPLICAS,
  };
}
