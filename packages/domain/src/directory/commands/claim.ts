import { z } from 'zod';
import { accept, acceptUnchanged, defineCommand, isId, reject } from '../../kernel/index.ts';
import { param } from '../../validation/index.ts';
import type { ClaimKind, IdClaimed } from '../events.ts';
import { directoryAggregate, freeOrClaimedAs, isClaimed } from '../state.ts';

// Accounts claim their ids in their registration, never through this follow-up.
type FollowUpClaimKind = Exclude<ClaimKind, 'account'>;
const prefixOf = { folder: 'fld', invitation: 'inv' } as const satisfies Record<FollowUpClaimKind, string>;

const kind = () =>
  z.unknown().transform((value, ctx): FollowUpClaimKind => {
    if (value === 'folder' || value === 'invitation') return value;
    return param.fail(ctx, value, { failure: 'MissingParameter', reason: 'must be folder or invitation' });
  });

export const claimPayload = z.object({
  id: param.ref(),
  kind: kind(),
  owner: param.ref(),
  container: param.ref(),
});
export type ClaimPayload = z.infer<typeof claimPayload>;

/**
 * directory.claim (internal, sent by reactors as `system`): records whose an
 * id is and where it lives. Reactors repeat follow-ups on retries, so the same
 * claim again is accepted without an event; only a different claim of a
 * taken id is refused.
 */
export const claim = defineCommand({
  name: 'directory.claim',
  internal: true,
  followUpOnly: true,
  payload: claimPayload,
  load: async (payload, _ctx, reader) => ({ entry: await reader.read(directoryAggregate, payload.id) }),
  decide: (payload, { entry }) => {
    if (!isId(prefixOf[payload.kind], payload.id))
      return reject('MissingParameter', {
        param: 'id',
        reason: `a ${payload.kind} id must be ${prefixOf[payload.kind]}_ followed by a ULID`,
      });
    const { state } = entry;
    if (isClaimed(state))
      return freeOrClaimedAs(state, payload)
        ? acceptUnchanged('Ok')
        : reject('MissingParameter', { param: 'id', reason: 'already claimed' });
    const claimed: IdClaimed = {
      type: 'IdClaimed',
      data: { id: payload.id, kind: payload.kind, owner: payload.owner, container: payload.container },
    };
    return accept('Ok', entry, [claimed]);
  },
});
