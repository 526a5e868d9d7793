import { describe, expect, it } from 'vitest';
import { acceptedReply, serverErrorReply } from './reply.ts';

// The reply shapes of DOMAIN.md §2 as a client receives them.

describe('an accepted reply', () => {
  it('that wrote nothing carries only ok, code and result: no stream, revision or position', () => {
    expect(acceptedReply({ code: 13201, result: { item_id: 'itm_1' } })).toStrictEqual({
      ok: true,
      code: 13201,
      result: { item_id: 'itm_1' },
    });
  });

  it('that wrote says where, and the position from which a reader sees the write', () => {
    expect(
      acceptedReply({ code: 10000, result: {} }, { stream: 'item-itm_1', revision: 3, position: 42 }),
    ).toStrictEqual({ ok: true, code: 10000, result: {}, stream: 'item-itm_1', revision: 3, position: 42 });
  });
});

describe('a server error', () => {
  it('is 1500 and tells the client only the correlation id to quote', () => {
    expect(serverErrorReply('corr-1')).toStrictEqual({
      ok: false,
      code: 1500,
      error: 'ServerError',
      message: 'Generic Server Error',
      details: { correlation_id: 'corr-1' },
    });
  });

  it('without a correlation id has empty details', () => {
    expect(serverErrorReply(undefined)).toMatchObject({ ok: false, code: 1500, details: {} });
    expect(serverErrorReply(undefined).details).toStrictEqual({});
  });
});
