import { z } from 'zod';
import { type NetworkType, networkTypes } from '../network/events.ts';
import { isNetworkType } from '../network/rules.ts';
import * as param from '../validation/params.ts';

// The payload of every query of DOMAIN.md §4, in one place: the read model
// validates with these schemas (same codes as commands) and the typed client
// takes its types from them. They sit in the domain, beside the commands'
// payloads, because they are part of the wire contract and the client ships
// with the domain but not with the read model (its stores need pg and PGlite).
// `min_position` / `wait_ms` are beside every query (see ReadYourWrites).

/** The largest page asked for; beyond it 152, so an offset never overflows. */
export const MAX_PAGE = 1_000_000;

/** Lists (§4): `page` >= 1 (default 1), `qty` 1..20 (frames 1..100). */
export const pageParams = (maxQty = 20) => ({
  page: param.int(1, MAX_PAGE).optional(),
  qty: param.int(1, maxQty).optional(),
});

/** `datetime` of item.get_list: a bad one is 3009 there, not 128 (§2). */
const listDatetime = z
  .custom<string>()
  .optional()
  .transform((value, ctx): string | undefined => {
    if (value === undefined) return undefined;
    const parsed = param.datetime().safeParse(value);
    if (parsed.success) return parsed.data;
    const reason = parsed.error.issues[0]?.message ?? 'not a date-time';
    return param.fail(ctx, value, { failure: 'InvalidListDatetime', reason });
  })
  .meta(param.dateTimeJson);

/** `type` of network.get_list: anything but the three types is 5004, as network.create and update answer. */
const networkTypeFilter = z
  .custom<NetworkType>()
  .optional()
  .transform((value, ctx): NetworkType | undefined => {
    if (value === undefined) return undefined;
    if (isNetworkType(value)) return value;
    return param.fail(ctx, value, {
      failure: 'InvalidNetworkType',
      reason: 'must be public, private or hidden',
    });
  })
  .meta({ enum: [...networkTypes] });

export const queryPayloads = {
  'account.get': z.object({}),
  'camera.get': z.object({ camera_id: param.ref() }),
  'camera.get_list': z.object(pageParams()),
  'item.get': z.object({ item_id: param.ref() }),
  'item.get_list': z.object({
    folder_id: param.parentRef(),
    datetime: listDatetime,
    flagged: param.flag().optional(),
    is_alert: param.flag().optional(),
    camera_id: param.ref().optional(),
    ...pageParams(),
  }),
  'item.get_frames': z.object({ item_id: param.ref(), ...pageParams(100) }),
  'trash.get_list': z.object(pageParams()),
  'folder.get': z.object({ folder_id: param.ref() }),
  'folder.get_list': z.object({ parent_id: param.parentRef(), ...pageParams() }),
  'network.get': z.object({ network_id: param.ref() }),
  'network.get_list': z.object({ member: param.flag().optional(), type: networkTypeFilter, ...pageParams() }),
  'network.get_members': z.object({ network_id: param.ref(), ...pageParams() }),
  'network.get_requests': z.object({ network_id: param.ref(), ...pageParams() }),
  'forum.get_list': z.object({ network_id: param.ref(), ...pageParams() }),
  'forum.get_thread': z.object({ thread_id: param.ref(), ...pageParams() }),
  'message.get_list': z.object(pageParams()),
  'message.get_thread': z.object({ thread_id: param.ref(), ...pageParams() }),
} as const;

export type QueryName = keyof typeof queryPayloads;

/** What a client sends as a query's payload (before the schema's transforms), read-your-writes included. */
export type QueryInput<N extends QueryName> =
  // A query without parameters of its own (account.get) types as Record<string, never>, which would refuse these too.
  string extends keyof z.input<(typeof queryPayloads)[N]>
    ? ReadYourWrites
    : z.input<(typeof queryPayloads)[N]> & ReadYourWrites;

/** `wait_ms` (§4): at most this long, this long when not given. */
export const MAX_WAIT_MS = 5000;
export const DEFAULT_WAIT_MS = 2000;

/** Beside every query's own parameters (§4): the query server reads them with this schema. */
export const readYourWrites = z.object({
  min_position: param.int(0, Number.MAX_SAFE_INTEGER).optional(),
  wait_ms: param.int(0, MAX_WAIT_MS).optional(),
});

/**
 * The longest a query server may wait for `min_position` before it answers,
 * for callers that must allow for it in their own timeout: `wait_ms` kept
 * within 0..5000, the default when it is absent or no number.
 */
export function waitMsOf(waitMs: unknown): number {
  const asked = Number(waitMs ?? DEFAULT_WAIT_MS);
  return Number.isFinite(asked) ? Math.min(Math.max(asked, 0), MAX_WAIT_MS) : DEFAULT_WAIT_MS;
}

/**
 * How long a query server gives a query's reads, past its read-your-writes
 * wait, before it answers 1500 itself (a read store that stopped answering).
 * Whoever waits for a query server must wait longer than the wait plus this,
 * or it gives up before that answer comes: the edge adds a margin to it.
 */
export const QUERY_READ_DEADLINE_MS = 4000;

/** What a client sends of `readYourWrites`. */
export interface ReadYourWrites {
  /** Answer only once the projections have applied this position (a command reply's `position`). */
  readonly min_position?: number;
  /** How long to wait for `min_position`, 0..5000 ms (default 2000); then the answer says `stale`. */
  readonly wait_ms?: number;
}
