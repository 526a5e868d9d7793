import { specFor } from '@camledger/testing';
import { fc, test } from '@fast-check/vitest';
import { testId } from '../testing/index.ts';
import { accountSlice } from './index.ts';

const given = specFor(accountSlice.commands);
const system = { actor: 'system' } as const;
const alice = testId('usr', 1);
const bob = testId('usr', 2);

const usernameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-');
const username = fc.string({ unit: usernameChar, minLength: 3, maxLength: 32 });
/** The same name with the case of each letter flipped at random. */
const recased = (name: string) =>
  fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((flips) => [...name].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

test.prop([username.chain((name) => fc.tuple(fc.constant(name), recased(name)))])(
  'a username held by one user answers 7000 to another in any letter case',
  async ([taken, attempt]) => {
    const claimed = {
      [`username-${taken.toLowerCase()}`]: [
        { type: 'UsernameClaimed', data: { userId: alice, username: taken, displayName: '' } },
      ],
    };
    await given(claimed)
      .when('account.register', { user_id: bob, username: attempt }, system)
      .thenRejects('UsernameTaken');
  },
);
