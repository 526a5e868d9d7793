import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { toRejection } from '../validation/index.ts';
import { MAX_PAGE, type QueryName, queryPayloads } from './query-payloads.ts';

// What each query's payload schema lets through and what it refuses, with the
// code the read model answers (DOMAIN.md §4): the generic parameter codes,
// and the two queries' own codes, 3009 and 5004.

type Answer =
  | { readonly accepted: unknown }
  | { readonly code: number; readonly error: string; readonly details: Readonly<Record<string, unknown>> };

function ask(query: QueryName, payload: unknown): Answer {
  const parsed = (queryPayloads[query] as z.ZodType).safeParse(payload);
  if (parsed.success) return { accepted: parsed.data };
  const { code, name, details } = toRejection(parsed.error);
  return { code, error: name, details };
}

describe('item.get_list datetime', () => {
  const inRoot = { folder_id: 0 };

  it('left out, the list is not narrowed by time', () => {
    expect(ask('item.get_list', inRoot)).toEqual({ accepted: { folder_id: null } });
  });

  it('is normalised to ISO in UTC, either format', () => {
    expect(ask('item.get_list', { ...inRoot, datetime: '2026-03-01 10:00:00' })).toEqual({
      accepted: { folder_id: null, datetime: '2026-03-01T10:00:00.000Z' },
    });
    expect(ask('item.get_list', { ...inRoot, datetime: '2026-03-01T12:00:00+02:00' })).toEqual({
      accepted: { folder_id: null, datetime: '2026-03-01T10:00:00.000Z' },
    });
  });

  it.each([
    ['2026-02-30 00:00:00', 'February 2026 has 28 days'],
    ['yesterday', 'yyyy-mm-dd hh:mm:ss'],
    [20260301, 'yyyy-mm-dd hh:mm:ss'],
  ])('%j answers 3009 (not 128) saying why', (datetime, why) => {
    expect(ask('item.get_list', { ...inRoot, datetime })).toEqual({
      code: 3009,
      error: 'InvalidListDatetime',
      details: { param: 'datetime', reason: expect.stringContaining(why) },
    });
  });
});

describe('network.get_list type', () => {
  it('left out, every type is listed', () => {
    expect(ask('network.get_list', {})).toEqual({ accepted: {} });
  });

  it.each(['public', 'private', 'hidden'])('%s is a type', (type) => {
    expect(ask('network.get_list', { type })).toEqual({ accepted: { type } });
  });

  it.each(['secret', 'Public', '', 1])('%j answers 5004, as network.create would', (type) => {
    expect(ask('network.get_list', { type })).toEqual({
      code: 5004,
      error: 'InvalidNetworkType',
      details: { param: 'type', reason: expect.stringContaining('public, private or hidden') },
    });
  });
});

describe('paging', () => {
  it('page runs 1..MAX_PAGE; qty 1..20, frames 1..100', () => {
    expect(ask('camera.get_list', { page: MAX_PAGE, qty: 20 })).toEqual({
      accepted: { page: MAX_PAGE, qty: 20 },
    });
    expect(ask('camera.get_list', { page: MAX_PAGE + 1 })).toMatchObject({
      code: 152,
      details: { param: 'page', limit: MAX_PAGE },
    });
    expect(ask('camera.get_list', { qty: 21 })).toMatchObject({
      code: 152,
      details: { param: 'qty', limit: 20 },
    });
    expect(ask('item.get_frames', { item_id: 'itm_x', qty: 100 })).toEqual({
      accepted: { item_id: 'itm_x', qty: 100 },
    });
    expect(ask('item.get_frames', { item_id: 'itm_x', qty: 101 })).toMatchObject({
      code: 152,
      details: { param: 'qty', limit: 100 },
    });
  });
});
