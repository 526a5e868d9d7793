import { randomBytes } from 'node:crypto';
import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { generatedTestId, testContext, testId } from '../testing/index.ts';
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
    const key = generatedTestId('ock', 900, 'system');
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
    const key = generatedTestId('ock', 900, 'system');
    const earlier = {
      [`consumer-${key}`]: [
        { type: 'ConsumerAdded', data: { consumerKey: key, name: 'x', secret: 'sealed(s)' } },
      ],
    };
    await given(earlier)
      .when('auth.add_consumer', { name: 'x' }, system)
      .thenAccepts('Ok', { events: [], result: { consumer_key: key, consumer_secret: 'sealed(s)' } });
  });

  it("never hands over another application's key and secret the derived id names (128)", async () => {
    const key = generatedTestId('ock', 900, 'system');
    const other = {
      [`consumer-${key}`]: [
        { type: 'ConsumerAdded', data: { consumerKey: key, name: 'Other app', secret: 'sealed(other)' } },
      ],
    };
    await given(other)
      .when('auth.add_consumer', { name: 'Viewer app' }, system)
      .thenRejects('MissingParameter', { param: 'command_id' });
    const removed = {
      [`consumer-${key}`]: [
        ...(other[`consumer-${key}`] ?? []),
        { type: 'ConsumerRemoved', data: { consumerKey: key } },
      ],
    };
    await given(removed)
      .when('auth.add_consumer', { name: 'Other app' }, system)
      .thenRejects('MissingParameter', { param: 'command_id' });
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
    const newToken = generatedTestId('otk', 900, 'system');
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

  it('found already issued by this command (its reply was lost) answers the same token and sealed secret, issuing nothing', async () => {
    const derived = generatedTestId('otk', 900, 'system');
    const earlier = {
      [`token-${derived}`]: [
        {
          type: 'TokenIssued',
          data: { token: derived, consumerKey, userId: alice, secret: 'sealed(first)' },
        },
      ],
    };
    await given({ ...aliceAccount, ...consumer, ...earlier })
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenAccepts('Ok', { events: [], result: { token: derived, token_secret: 'sealed(first)' } });
  });

  it('never hands over a token the derived id names for another user, consumer, or a revoked one (128)', async () => {
    const derived = generatedTestId('otk', 900, 'system');
    const bob = testId('usr', 2);
    const bobAccount = {
      [`account-${bob}`]: [
        { type: 'AccountRegistered', data: { userId: bob, username: 'bob', displayName: '' } },
      ],
    };
    const alicesToken = {
      [`token-${derived}`]: [
        {
          type: 'TokenIssued',
          data: { token: derived, consumerKey, userId: alice, secret: 'sealed(alice)' },
        },
      ],
    };
    // The command id used for alice's token more than 7 days ago, sent again for bob.
    await given({ ...aliceAccount, ...bobAccount, ...consumer, ...alicesToken })
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: bob }, system)
      .thenRejects('MissingParameter', { param: 'command_id' });
    const otherConsumer = testId('ock', 3);
    const another = {
      [`consumer-${otherConsumer}`]: [
        { type: 'ConsumerAdded', data: { consumerKey: otherConsumer, name: 'Other', secret: 'sealed(o)' } },
      ],
    };
    await given({ ...aliceAccount, ...consumer, ...another, ...alicesToken })
      .when('auth.issue_token', { consumer_key: otherConsumer, user_id: alice }, system)
      .thenRejects('MissingParameter', { param: 'command_id' });
    const revoked = {
      [`token-${derived}`]: [
        ...(alicesToken[`token-${derived}`] ?? []),
        { type: 'TokenRevoked', data: { token: derived } },
      ],
    };
    await given({ ...aliceAccount, ...consumer, ...revoked })
      .when('auth.issue_token', { consumer_key: consumerKey, user_id: alice }, system)
      .thenRejects('MissingParameter', { param: 'command_id' });
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

  it('revoking it again changes nothing', async () => {
    const revoked = {
      [`token-${token}`]: [...(issued[`token-${token}`] ?? []), { type: 'TokenRevoked', data: { token } }],
    };
    await given(revoked).when('auth.revoke_token', { token }, system).thenAccepts('Ok', { events: [] });
  });

  it('an unknown token answers 128', async () => {
    await given()
      .when('auth.revoke_token', { token }, system)
      .thenRejects('MissingParameter', { param: 'token' });
  });
});

describe('sealing', () => {
  // Keys are made inside each test, not when the file is collected, so every
  // test derives its own and exercises secretsKey itself.
  const deploymentKey = () => secretsKey('a deployment key');
  // Sealed with 'a deployment key' and a 12-byte IV of 7s by the v1 format:
  // what the event log already holds must keep opening with later builds.
  const storedSeal = 'v1.BwcHBwcHBwcHBwcH8_kTaUQ4ZUlKur23xDxjIAsNaMfmn3jEbq8pJO0kFQ';
  const storedDevelopmentSeal = 'v1.BwcHBwcHBwcHBwcHB3M0PsJqzjYuGajBYVlNOBqJHRuY_VS8iUnm-npHKw';

  it('a sealed secret opens with its key and hides the clear text', () => {
    const key = deploymentKey();
    const source = secretSource(key, randomBytes);
    const clear = source.fresh();
    const sealed = source.seal(clear);
    expect(clear).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sealed).not.toContain(clear);
    expect(openSecret(key, sealed)).toBe(clear);
  });

  it('two seals of one secret differ (a fresh IV each)', () => {
    const source = secretSource(deploymentKey(), randomBytes);
    expect(source.seal('same')).not.toBe(source.seal('same'));
  });

  it('another key, a tampered seal or a value that is no seal does not open', () => {
    const key = deploymentKey();
    const sealed = sealSecret(key, 'secret', Buffer.alloc(12, 7));
    expect(openSecret(secretsKey('another key'), sealed)).toBeUndefined();
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(openSecret(key, flipped)).toBeUndefined();
    expect(openSecret(key, 'secret')).toBeUndefined();
  });

  it('a seal under another format version is not opened as v1', () => {
    const key = deploymentKey();
    const sealed = sealSecret(key, 'secret', Buffer.alloc(12, 7));
    expect(openSecret(key, sealed)).toBe('secret');
    expect(openSecret(key, `v2.${sealed.slice('v1.'.length)}`)).toBeUndefined();
    expect(openSecret(key, sealed.slice('v1.'.length))).toBeUndefined();
  });

  it('an empty secret seals and opens; a seal cut short (a truncated tag) does not open', () => {
    const key = deploymentKey();
    const sealed = sealSecret(key, '', Buffer.alloc(12, 7));
    expect(openSecret(key, sealed)).toBe('');
    // Drop the last 4 bytes of the 16-byte tag: GCM would check a 12-byte tag, so the length check must refuse it.
    const raw = Buffer.from(sealed.slice('v1.'.length), 'base64url');
    expect(openSecret(key, `v1.${raw.subarray(0, raw.length - 4).toString('base64url')}`)).toBeUndefined();
    expect(openSecret(key, 'v1.')).toBeUndefined();
  });

  it('a seal needs a 12-byte IV, the one length open reads back', () => {
    const key = deploymentKey();
    expect(() => sealSecret(key, 'secret', Buffer.alloc(16, 7))).toThrow('a seal needs a 12-byte IV');
    expect(() => sealSecret(key, 'secret', Buffer.alloc(8, 7))).toThrow('a seal needs a 12-byte IV');
  });

  it('a secret sealed by the v1 format opens with the same key material, not with another', () => {
    expect(openSecret(deploymentKey(), storedSeal)).toBe('consumer secret');
    expect(openSecret(secretsKey(undefined), storedSeal)).toBeUndefined();
    expect(openSecret(secretsKey(undefined), storedDevelopmentSeal)).toBe('consumer secret');
    expect(openSecret(deploymentKey(), storedDevelopmentSeal)).toBeUndefined();
  });

  it('an unset or empty key is the development key, said so; the key never prints', () => {
    const key = deploymentKey();
    expect(secretsKey(undefined).development).toBe(true);
    expect(secretsKey('').development).toBe(true);
    expect(secretsKey('').bytes).toEqual(secretsKey(undefined).bytes);
    expect(key.development).toBe(false);
    expect(key.bytes).not.toEqual(secretsKey(undefined).bytes);
    expect(JSON.stringify({ key })).not.toContain(key.bytes.toString('base64'));
    // Printed config shows that a key is set, without showing it.
    expect(JSON.parse(JSON.stringify({ key }))).toEqual({ key: '[secrets key]' });
  });
});
