import { randomBytes } from 'node:crypto';
import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { testContext, testId } from '../testing/index.ts';
import { authSlice, openSecret, sealSecret, secretSource, secretsKey } from './index.ts';

const given = specFor(authSlice.commands);
const system = { actor: 'system' } as const;
const alice = testId('usr', 1);
const consumerKey = testId('ock', 1);
const token = testId('otk', 2);

const aliceAccount = {
  [`account-${alice}`]: [
    { type: 'AccountRegistered', data: { userId: alice, username: 'alice', displayName: '' } },
  ],
};
const consumer = {
  [`consumer-${consumerKey}`]: [
    { type: 'ConsumerAdded', data: { consumerKey, name: 'Viewer app', secret: 'sealed(c)' } },
  ],
};
const removedConsumer = {
  [`consumer-${consumerKey}`]: [
    ...(consumer[`consumer-${consumerKey}`] ?? []),
    { type: 'ConsumerRemoved', data: { consumerKey } },
  ],
};
const issued = {
  [`token-${token}`]: [
    { type: 'TokenIssued', data: { token, consumerKey, userId: alice, secret: 'sealed(t)' } },
  ],
};

describe('auth.add_consumer', () => {
  it('adds a consumer with a key from the command and a fresh secret, kept and answered sealed', async () => {
    const key = testId('ock', 900);
    await given()
      .when('auth.add_consumer', { name: 'Viewer app' }, system)
      .thenAccepts('Ok', {
        stream: `consumer-${key}`,
        events: [
          {
            type: 'ConsumerAdded',
            data: { consumerKey: key, name: 'Viewer app', secret: 'sealed(secret-1)' },
          },
        ],
        result: { consumer_key: key, consumer_secret: 'sealed(secret-1)' },
      });
  });

  it('found already added by this command (its reply was lost) answers as then, adding nothing', async () => {
    const key = testId('ock', 900);
    const earlier = {
      [`consumer-${key}`]: [
        { type: 'ConsumerAdded', data: { consumerKey: key, name: 'x', secret: 'sealed(s)' } },
      ],
    };
    await given(earlier)
      .when('auth.add_consumer', { name: 'x' }, system)
      .thenAccepts('Ok', { events: [], result: { consumer_key: key, consumer_secret: 'sealed(s)' } });
  });

  it('an empty name answers 192, a name over 64 characters 200, none 128', async () => {
    await given()
      .when('auth.add_consumer', { name: '' }, system)
      .thenRejects('StringTooShort', { param: 'name' });
    await given()
      .when('auth.add_consumer', { name: 'n'.repeat(65) }, system)
      .thenRejects('StringTooLong', { param: 'name' });
    await given().when('auth.add_consumer', {}, system).thenRejects('MissingParameter', { param: 'name' });
  });

  it('a context without a secret source cannot add a consumer (a wiring fault, never a weaker secret)', async () => {
    const { secrets: _none, ...bare } = testContext();
    const parsed = authSlice.commands[0].payload.parse({ name: 'x' });
    const loaded = {
      consumer: { stream: 'consumer-x', state: { standing: 'none', name: '', secret: '' }, revision: -1 },
    };
    expect(() => authSlice.commands[0].decide(parsed, loaded as never, bare)).toThrow(/secret source/);
  });
});

describe('auth.remove_consumer', () => {
  it('removes a known consumer (10000)', async () => {
    await given(consumer)
      .when('auth.remove_consumer', { consumer_key: consumerKey }, system)
      .thenAccepts('Ok', { events: [{ type: 'ConsumerRemoved', data: { consumerKey } }] });
  });

  it('an unknown consumer_key answers 128 naming it', async () => {
    await given()
      .when('auth.remove_consumer', { consumer_key: consumerKey }, system)
      .thenRejects('MissingParameter', { param: 'consumer_key' });
  });

  it('removing it again changes nothing', async () => {
    await given(removedConsumer)
      .when('auth.remove_consumer', { consumer_key: consumerKey }, system)
      .thenAccepts('Ok', { events: [] });
  });
});

describe('auth.issue_token', () => {
  it('issues a token for a registered user and an active consumer, its secret sealed (10000)', async () => {
    const newToken = testId('otk', 900);
    await given({ ...aliceAccount, ...consumer })
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenAccepts('Ok', {
        stream: `token-${newToken}`,
        events: [
          {
            type: 'TokenIssued',
            data: { token: newToken, consumerKey, userId: alice, secret: 'sealed(secret-1)' },
          },
        ],
        result: { token: newToken, token_secret: 'sealed(secret-1)' },
      });
  });

  it('a user who is not registered answers 8, before an unknown consumer (128)', async () => {
    await given()
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenRejects('UnknownUser', { param: 'user_id' });
  });

  it('an unknown consumer answers 128', async () => {
    await given(aliceAccount)
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenRejects('MissingParameter', { param: 'consumer_key' });
  });

  it('a removed consumer gets no new token (128)', async () => {
    await given({ ...aliceAccount, ...removedConsumer })
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenRejects('MissingParameter', { param: 'consumer_key' });
  });
});

describe('auth.revoke_token', () => {
  it('revokes a known token (10000)', async () => {
    await given(issued)
      .when('auth.revoke_token', { token }, system)
      .thenAccepts('Ok', { events: [{ type: 'TokenRevoked', data: { token } }] });
  });

  it('an unknown token answers 128', async () => {
    await given()
      .when('auth.revoke_token', { token }, system)
      .thenRejects('MissingParameter', { param: 'token' });
  });
});

describe('sealing', () => {
  const key = secretsKey('a deployment key');

  it('a sealed secret opens with its key and hides the clear text', () => {
    const source = secretSource(key, randomBytes);
    const clear = source.fresh();
    const sealed = source.seal(clear);
    expect(clear).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sealed).not.toContain(clear);
    expect(openSecret(key, sealed)).toBe(clear);
  });

  it('two seals of one secret differ (a fresh IV each)', () => {
    const source = secretSource(key, randomBytes);
    expect(source.seal('same')).not.toBe(source.seal('same'));
  });

  it('another key, a tampered seal or a value that is no seal does not open', () => {
    const sealed = sealSecret(key, 'secret', Buffer.alloc(12, 7));
    expect(openSecret(secretsKey('another key'), sealed)).toBeUndefined();
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(openSecret(key, flipped)).toBeUndefined();
    expect(openSecret(key, 'secret')).toBeUndefined();
  });

  it('an unset key is the development key, said so; the key never prints', () => {
    expect(secretsKey(undefined).development).toBe(true);
    expect(key.development).toBe(false);
    expect(JSON.stringify({ key })).not.toContain(key.bytes.toString('base64'));
  });
});
