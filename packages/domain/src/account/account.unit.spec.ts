import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../kernel/index.ts';
import { generatedTestId, testId } from '../testing/index.ts';
import type { UsernameClaimed } from './events.ts';
import { accountSlice, normalizeUsername } from './index.ts';

const given = specFor(accountSlice.commands);
const system = { actor: 'system' } as const;
const alice = testId('usr', 1);
const bob = testId('usr', 2);

const aliceClaimedName = {
  'username-alice': [
    { type: 'UsernameClaimed', data: { userId: alice, username: 'Alice', displayName: 'Alice A.' } },
  ],
};
const aliceAccount = {
  [`account-${alice}`]: [
    { type: 'AccountRegistered', data: { userId: alice, username: 'Alice', displayName: 'Alice A.' } },
  ],
};

describe('account.register', () => {
  it('registering a free username reserves it for the new user and answers 10000 with user_id', async () => {
    await given()
      .when('account.register', { user_id: alice, username: 'Alice', display_name: 'Alice A.' }, system)
      .thenAccepts('Ok', {
        stream: 'username-alice',
        events: [
          { type: 'UsernameClaimed', data: { userId: alice, username: 'Alice', displayName: 'Alice A.' } },
        ],
        result: { user_id: alice },
      });
  });

  it('without user_id the new user gets an id from the context, and display_name defaults to empty', async () => {
    const generated = generatedTestId('usr', 900, 'system');
    await given()
      .when('account.register', { username: 'bob' }, system)
      .thenAccepts('Ok', {
        stream: 'username-bob',
        events: [{ type: 'UsernameClaimed', data: { userId: generated, username: 'bob', displayName: '' } }],
        result: { user_id: generated },
      });
  });

  it('a username taken by another user in any case answers 7000', async () => {
    await given(aliceClaimedName)
      .when('account.register', { user_id: bob, username: 'ALICE' }, system)
      .thenRejects('UsernameTaken', { param: 'username' });
  });

  it('the same user registering the same name again is accepted with no new event', async () => {
    await given({ ...aliceClaimedName, ...aliceAccount })
      .when('account.register', { user_id: alice, username: 'alice', display_name: 'Alice A.' }, system)
      .thenAccepts('Ok', { events: [], result: { user_id: alice } });
  });

  it('a registered user registering a second username answers 128 naming user_id', async () => {
    await given({ ...aliceClaimedName, ...aliceAccount })
      .when('account.register', { user_id: alice, username: 'alice2' }, system)
      .thenRejects('MissingParameter', { param: 'user_id' });
  });

  it('a client-chosen user id is claimed in the directory, before the username is written', async () => {
    const stored = await given()
      .when('account.register', { user_id: alice, username: 'Alice' }, system)
      .stored();
    expect(stored.map((a) => a.stream).slice(0, 2)).toEqual([`directory-${alice}`, 'username-alice']);
    expect(stored[0]?.event).toEqual({
      type: 'IdClaimed',
      data: { id: alice, kind: 'account', owner: alice, container: 'alice' },
    });
  });

  it('a generated user id is not claimed: it is unique by construction', async () => {
    const stored = await given().when('account.register', { username: 'bob' }, system).stored();
    expect(stored.some((a) => a.stream.startsWith('directory-'))).toBe(false);
  });

  it('a user id claimed by a registration under another username answers 128, though no account is open yet', async () => {
    const claimedForAlice = {
      [`directory-${alice}`]: [
        { type: 'IdClaimed', data: { id: alice, kind: 'account', owner: alice, container: 'alice' } },
      ],
    };
    await given(claimedForAlice)
      .when('account.register', { user_id: alice, username: 'bob' }, system)
      .thenRejects('MissingParameter', { param: 'user_id' });
    // The same registration again (its claim written, its name not yet: a crash between) goes on.
    await given(claimedForAlice)
      .when('account.register', { user_id: alice, username: 'ALICE' }, system)
      .thenAccepts('Ok', {
        stream: 'username-alice',
        events: [{ type: 'UsernameClaimed', data: { userId: alice, username: 'ALICE', displayName: '' } }],
        result: { user_id: alice },
      });
  });

  it('a username with characters outside [a-z0-9_.-] answers 128 naming username', async () => {
    await given()
      .when('account.register', { username: 'al ice' }, system)
      .thenRejects('MissingParameter', { param: 'username' });
  });

  it('a non-ASCII letter whose lower case looks like ASCII answers 128', async () => {
    await given()
      .when('account.register', { username: '\u0130nan' }, system)
      .thenRejects('MissingParameter', { param: 'username' });
  });

  it('a missing username answers 128', async () => {
    await given().when('account.register', {}, system).thenRejects('MissingParameter', { param: 'username' });
  });

  it('a malformed user_id answers 128', async () => {
    await given()
      .when('account.register', { user_id: 'usr_1', username: 'carol' }, system)
      .thenRejects('MissingParameter', { param: 'user_id' });
  });

  it('a username shorter than 3 answers 192', async () => {
    await given()
      .when('account.register', { username: 'ab' }, system)
      .thenRejects('StringTooShort', { param: 'username', limit: 3 });
  });

  it('a username longer than 32 answers 200', async () => {
    await given()
      .when('account.register', { username: 'a'.repeat(33) }, system)
      .thenRejects('StringTooLong', { param: 'username', limit: 32 });
  });

  it('a display_name longer than 64 answers 200', async () => {
    await given()
      .when('account.register', { username: 'carol', display_name: 'x'.repeat(65) }, system)
      .thenRejects('StringTooLong', { param: 'display_name' });
  });
});

describe('opening the account after the username is claimed', () => {
  it('a claimed username asks for account.open of that user', () => {
    const event: StoredEvent<UsernameClaimed> = {
      stream: 'username-alice',
      revision: 0,
      type: 'UsernameClaimed',
      data: { userId: alice, username: 'Alice', displayName: 'Alice A.' },
      metadata: {
        commandId: 'c1',
        correlationId: 'c1',
        actor: 'system',
        occurredAt: '2026-01-01T00:00:00.000Z',
        schemaVersion: 1,
      },
    };
    expect(accountSlice.reactors?.UsernameClaimed?.(event)).toEqual([
      { command: 'account.open', payload: { user_id: alice, username: 'Alice', display_name: 'Alice A.' } },
    ]);
  });

  it('account.open registers the account (10000)', async () => {
    await given()
      .when('account.open', { user_id: alice, username: 'Alice', display_name: 'Alice A.' }, system)
      .thenAccepts('Ok', {
        stream: `account-${alice}`,
        events: [
          { type: 'AccountRegistered', data: { userId: alice, username: 'Alice', displayName: 'Alice A.' } },
        ],
        result: { user_id: alice },
      });
  });

  it('account.open repeated is accepted with no new event', async () => {
    await given(aliceAccount)
      .when('account.open', { user_id: alice, username: 'Alice', display_name: 'Alice A.' }, system)
      .thenAccepts('Ok', { events: [], result: { user_id: alice } });
  });

  it('account.open for an account holding another username answers 128', async () => {
    await given(aliceAccount)
      .when('account.open', { user_id: alice, username: 'other', display_name: '' }, system)
      .thenRejects('MissingParameter', { param: 'user_id' });
  });
});

describe('account.add_credits', () => {
  it('adding credits to a registered user answers 10000', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice, credits: 5 }, system)
      .thenAccepts('Ok', {
        stream: `account-${alice}`,
        events: [{ type: 'CreditsAdded', data: { credits: 5 } }],
      });
  });

  it('credits as a numeric string, as the public API sends them, are accepted', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice, credits: '1000000' }, system)
      .thenAccepts('Ok', { events: [{ type: 'CreditsAdded', data: { credits: 1_000_000 } }] });
  });

  it('adding credits to an unknown user answers 8 naming user_id', async () => {
    await given()
      .when('account.add_credits', { user_id: bob, credits: 5 }, system)
      .thenRejects('UnknownUser', { param: 'user_id' });
  });

  it('credits that are not an integer answer 136', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice, credits: 1.5 }, system)
      .thenRejects('NotAnInteger', { param: 'credits' });
  });

  it('zero credits answer 144', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice, credits: 0 }, system)
      .thenRejects('IntegerTooSmall', { param: 'credits', limit: 1 });
  });

  it('more than 1000000 credits answer 152', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice, credits: 1_000_001 }, system)
      .thenRejects('IntegerTooBig', { param: 'credits', limit: 1_000_000 });
  });

  it('missing credits answer 128', async () => {
    await given(aliceAccount)
      .when('account.add_credits', { user_id: alice }, system)
      .thenRejects('MissingParameter', { param: 'credits' });
  });
});

describe('normalizeUsername', () => {
  it('compares names trimmed, NFC-normalised and in lower case', () => {
    expect(normalizeUsername('  Bob.Smith ')).toBe('bob.smith');
    expect(normalizeUsername('Cafe\u0301')).toBe(normalizeUsername('caf\u00e9'));
  });
});
