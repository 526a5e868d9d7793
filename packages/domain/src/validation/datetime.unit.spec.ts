import { specFor } from '@camledger/testing';
import { describe, expect, it } from 'vitest';
import { itemSlice } from '../item/index.ts';
import { alice, camera, cameraOf, clipId, frameId } from '../testing/fixtures/item.ts';
import { parseDateTime } from './datetime.ts';

// Date-times must name a real instant (DOMAIN.md §2): a date the calendar does
// not have is refused with the reason, never rolled over into the next month.

const given = specFor(itemSlice.commands);
const system = { actor: 'system' } as const;
const record = (start: string) => ({
  item_id: clipId,
  camera_id: camera,
  start_datetime: start,
  end_datetime: '2026-03-01 00:00:10',
  is_alert: 0,
  frames: [{ identifier: frameId(1), datetime: '2026-03-01 00:00:01' }],
});

const refused = (value: unknown) => {
  const parsed = parseDateTime(value);
  return parsed.ok ? `accepted as ${parsed.iso}` : parsed.reason;
};
const read = (value: string) => {
  const parsed = parseDateTime(value);
  return parsed.ok ? parsed.iso : `refused: ${parsed.reason}`;
};

describe('a date-time that names no instant', () => {
  it.each([
    ['2026-02-30 00:00:00', /February 2026 has 28 days/],
    ['2026-02-30T00:00:00Z', /February 2026 has 28 days/],
    ['2026-04-31 12:00:00', /April 2026 has 30 days/],
    ['2025-02-29T12:00:00+01:00', /February 2025 has 28 days/],
    ['1900-02-29 00:00:00', /February 1900 has 28 days/],
    ['2026-13-01 00:00:00', /no month 13/],
    ['2026-00-10T00:00:00Z', /no month 0/],
    ['2026-01-00 00:00:00', /January 2026 has 31 days/],
    ['2026-01-01 24:00:00', /hour 24/],
    ['2026-01-01T24:00:00Z', /hour 24/],
    ['2026-01-01 23:60:00', /minute 60/],
    ['2026-01-01T23:59:60Z', /second 60/],
    ['2026-01-01T10:00:00+24:00', /offset \+24:00/],
    ['0000-01-01 00:00:00', /before year 1/],
  ])('%s is refused: %s', (value, why) => {
    expect(refused(value)).toMatch(why);
  });

  it.each([
    '2026-01-01',
    '2026-01-01 00:00',
    '2026-01-01T00:00:00',
    '2026-1-01 00:00:00',
    '2026-01-01 00:00:00Z',
    'yesterday',
    '',
    ' 2026-01-01 00:00:00',
  ])('%j is not in either format', (value) => {
    expect(refused(value)).toMatch(/yyyy-mm-dd hh:mm:ss/);
  });
});

describe('a date-time that names an instant', () => {
  it.each([
    ['2024-02-29 23:59:59', '2024-02-29T23:59:59.000Z'],
    ['2000-02-29 00:00:00', '2000-02-29T00:00:00.000Z'],
    ['2026-04-30T12:00:00Z', '2026-04-30T12:00:00.000Z'],
    ['2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00.000Z'],
    ['2026-03-01T00:30:00-0130', '2026-03-01T02:00:00.000Z'],
    ['2026-03-01T00:30+02', '2026-02-28T22:30:00.000Z'],
    ['2026-03-01T00:00:00.123456Z', '2026-03-01T00:00:00.123Z'],
    ['2026-03-01T00:00:00,5Z', '2026-03-01T00:00:00.500Z'],
    ['0050-06-01 00:00:00', '0050-06-01T00:00:00.000Z'],
  ])('%s is read as %s', (value, iso) => {
    expect(read(value)).toBe(iso);
  });
});

describe('the edges of the calendar and of time zones', () => {
  it.each([
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    ['2026-12-31 23:59:59', '2026-12-31T23:59:59.000Z'],
    ['2026-03-01T00:30:00+23:59', '2026-02-28T00:31:00.000Z'],
    ['2026-03-01T00:30:00-00:59', '2026-03-01T01:29:00.000Z'],
  ])('%s is read as %s', (value, iso) => {
    expect(read(value)).toBe(iso);
  });

  it.each([
    // In range as written, but the offset carries the instant out of 0001..9999.
    ['9999-12-31T23:30:00-01:00', /0001\.\.9999/],
    ['0001-01-01T00:30:00+01:00', /0001\.\.9999/],
    ['2026-01-01T10:00:00+01:60', /offset \+01:60/],
  ])('%s is refused: %s', (value, why) => {
    expect(refused(value)).toMatch(why);
  });

  it('the reason quotes the date as written, zero-padded', () => {
    expect(refused('2026-13-01 00:00:00')).toContain('2026-13-01');
    expect(refused('0999-00-05T00:00:00Z')).toContain('0999-00-05');
  });

  // JSON can carry anything; a list holding a date-time is still not one.
  it.each([[['2026-01-01 00:00:00']], [20260101], [null], [{}]])('%j is not a date-time', (value) => {
    expect(refused(value)).toMatch(/yyyy-mm-dd hh:mm:ss/);
  });
});

describe('through a command (item.record)', () => {
  it('30 February answers 128 naming the parameter and saying why', async () => {
    await given(cameraOf(alice))
      .when('item.record', record('2026-02-30T00:00:00Z'), system)
      .thenRejects('MissingParameter', {
        param: 'start_datetime',
        reason: expect.stringContaining('February 2026 has 28 days'),
      });
  });

  it('hour 24 in a frame answers 128 naming the frame', async () => {
    const payload = {
      ...record('2026-03-01 00:00:00'),
      frames: [{ identifier: frameId(1), datetime: '2026-03-01 24:00:00' }],
    };
    await given()
      .when('item.record', payload, system)
      .thenRejects('MissingParameter', {
        param: 'frames.0.datetime',
        reason: expect.stringContaining('hour 24'),
      });
  });
});
