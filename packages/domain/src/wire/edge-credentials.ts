import { z } from 'zod';

// The edge's internal look-up of an OAuth consumer and, when asked, a token
// (docs/edge.md), answered by the query servers in one round trip: both
// sides read their halves of it here.

/**
 * Outside the `cmd`, `query` and `internal` subject spaces (whose catch-alls
 * answer 16 to what they do not know), so only edges need the right to ask it.
 */
export const edgeCredentialsSubject = (prefix: string): string => `${prefix}.edge.credentials`;

/**
 * Consumer keys and tokens are issued at 1..128 characters; a longer one
 * names nobody, and the edge answers it as unknown without asking.
 */
export const credentialKey = z.string().min(1).max(128);

export const edgeCredentialsRequest = z.object({
  consumer_key: credentialKey,
  token: credentialKey.optional(),
});
export type EdgeCredentialsRequest = z.infer<typeof edgeCredentialsRequest>;

/** The rows as the read store keeps them, secrets still sealed: only the edge opens them. */
export const edgeCredentialsReply = z.object({
  ok: z.literal(true),
  result: z.object({
    consumer: z.object({ secret: z.string(), active: z.boolean() }).nullable(),
    token: z
      .object({
        secret: z.string(),
        consumer_key: z.string(),
        user_id: z.string(),
        active: z.boolean(),
        user_registered: z.boolean(),
      })
      .nullable(),
  }),
});
export type EdgeCredentialsReply = z.infer<typeof edgeCredentialsReply>;
export type EdgeCredentials = EdgeCredentialsReply['result'];
