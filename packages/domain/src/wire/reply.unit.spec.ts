import { describe, expect, it } from 'vitest';
import { acceptedReply, rejectWith, replyJson, serverErrorReply } from './reply.ts';

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

describe('replyJson: a reply within the NATS limit', () => {
  const limit = 1024 * 1024;
  const bytes = (text: string) => Buffer.byteLength(text);

  it('is the reply itself when it fits, accepted or rejected', () => {
    const rejected = rejectWith('FolderNotFound', { folder_id: 'fld_x' });
    expect(replyJson(rejected, limit)).toBe(JSON.stringify(rejected));
    const accepted = { ok: true, code: 10000, result: { note: 'é'.repeat(200_000) } };
    expect(replyJson(accepted, limit)).toBe(JSON.stringify(accepted));
  });

  it('cuts what a rejection echoes when the whole would not fit, keeping its code and the names', () => {
    const id = `fld_${'é'.repeat(600_000)}`;
    const text = replyJson(rejectWith('FolderNotFound', { folder_id: id, param: 'folder_id' }), limit);
    expect(bytes(text)).toBeLessThan(limit);
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({
      ok: false,
      code: 4000,
      error: 'FolderNotFound',
      details: { param: 'folder_id' },
    });
    expect(parsed.details.folder_id).toBe(`${id.slice(0, 256)}…`);
  });

  it('keeps only param and reason when even the cut details would not fit', () => {
    const many = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'x'.repeat(256)]));
    const text = replyJson(rejectWith('MissingParameter', { param: 'p', reason: 'r', ...many }), limit);
    expect(JSON.parse(text).details).toEqual({ param: 'p', reason: 'r' });
  });
});
