import { z } from 'zod';

// The read side's part of DOMAIN.md §5: which read store, where. A bad value
// names its variable (the process launcher then exits with 2), as the
// worker's configuration does.

const schema = z
  .object({
    CAMLEDGER_PREFIX: z
      .string()
      .default('camledger')
      .refine((v) => /^[A-Za-z0-9_-]{1,32}$/.test(v), 'must be 1..32 letters, digits, - or _'),
    CAMLEDGER_READ_STORE: z.enum(['pglite', 'postgres']).default('pglite'),
    DATABASE_URL: z
      .string()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// connection string')
      .optional(),
    CAMLEDGER_DATA_DIR: z.string().default('.camledger'),
  })
  .superRefine((env, ctx) => {
    if (env.CAMLEDGER_READ_STORE === 'postgres' && !env.DATABASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when CAMLEDGER_READ_STORE=postgres',
      });
  });

export type ReadStoreConfig =
  | { readonly kind: 'pglite'; readonly schema: string; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly schema: string; readonly connectionString: string };

export class ReadConfigError extends Error {
  override readonly name = 'ReadConfigError';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable} ${reason}`);
  }
}

/** The read store's configuration from the environment; the schema (and PGlite directory) is named after the prefix. */
export function readReadStoreConfig(env: Record<string, string | undefined>): ReadStoreConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReadConfigError(String(issue?.path[0] ?? 'configuration'), issue?.message ?? 'is invalid');
  }
  const c = parsed.data;
  return c.CAMLEDGER_READ_STORE === 'postgres'
    ? { kind: 'postgres', schema: c.CAMLEDGER_PREFIX, connectionString: c.DATABASE_URL as string }
    : { kind: 'pglite', schema: c.CAMLEDGER_PREFIX, dataDir: c.CAMLEDGER_DATA_DIR };
}
