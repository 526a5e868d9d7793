import { describe, expect, it } from 'vitest';
import { natsConnectionOptions } from './nats-options.ts';

describe('credentials in NATS_URL', () => {
  it('are lifted out of every server URL into user and pass', () => {
    expect(
      natsConnectionOptions(['nats://worker:s%40cret@nats-1:4222', 'nats://worker:s%40cret@nats-2:4222']),
    ).toEqual({
      servers: ['nats://nats-1:4222', 'nats://nats-2:4222'],
      user: 'worker',
      pass: 's@cret',
    });
  });
  it('leave plain URLs untouched', () => {
    expect(natsConnectionOptions(['nats://127.0.0.1:4222'])).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });
});
