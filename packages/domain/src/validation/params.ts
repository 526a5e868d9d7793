import { z } from 'zod';
import type { FailureName } from '../codes/index.ts';
import { type IdPrefix, isId, ulidPattern } from '../kernel/ids.ts';
import { parseDateTime } from './datetime.ts';

// Parameter builders for command payloads. Each reports a failure as a zod
// issue carrying the catalogue name of the generic code it maps to, so
// `toRejection` (./to-rejection.ts) needs no guessing: one builder, one code.

export interface ParamIssue {
  readonly failure: FailureName;
  readonly reason: string;
  readonly limit?: number;
}

type Ctx = z.core.$RefinementCtx<unknown>;

/** Reports `issue` on `input`: the one way a parameter rule refuses, here and in the slices' own rules. */
export function fail(ctx: Ctx, input: unknown, issue: ParamIssue): never {
  ctx.addIssue({ code: 'custom', message: issue.reason, input, params: issue });
  return z.NEVER as never;
}

function required(value: unknown, ctx: Ctx): void {
  if (value === undefined || value === null)
    fail(ctx, value, { failure: 'MissingParameter', reason: 'missing' });
}

/**
 * What a client sends (`In`) and what the decider gets (`Out`), so the typed
 * client can be derived; `json` is what the edge's /openapi.json says of it,
 * since a schema that reads `unknown` would be described as anything at all.
 */
const wire = <Out, In>(schema: z.ZodType<Out>, json: JsonSchema): z.ZodType<Out, In> =>
  schema.meta(json) as unknown as z.ZodType<Out, In>;

type JsonSchema = Record<string, unknown>;

/** A payload's JSON Schema as the edge's /openapi.json gives it (OpenAPI 3.1 speaks JSON Schema 2020-12). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return json;
}

const codePoints = (s: string): number => [...s].length;

/**
 * Half of a UTF-16 pair with no other half (JSON's "\ud800"): no character
 * at all. PostgreSQL stores it as U+FFFD, so the read side would give back
 * another string than the one the events hold (a frame identifier a
 * snapshot then cannot name).
 */
const loneSurrogate = /\p{Surrogate}/u;

/** A string of min..max code points after `normalise`, which is also what the decider gets. */
const boundedString = (min: number, max: number, normalise: (raw: string) => string) =>
  wire<string, string>(
    z.unknown().transform((value, ctx): string => {
      required(value, ctx);
      if (typeof value !== 'string')
        return fail(ctx, value, { failure: 'MissingParameter', reason: 'must be a string' });
      if (loneSurrogate.test(value))
        return fail(ctx, value, {
          failure: 'MissingParameter',
          reason: 'must be Unicode text (a lone surrogate)',
        });
      const normal = normalise(value);
      const length = codePoints(normal);
      if (length < min)
        return fail(ctx, value, {
          failure: 'StringTooShort',
          reason: `at least ${min} characters`,
          limit: min,
        });
      if (length > max)
        return fail(ctx, value, {
          failure: 'StringTooLong',
          reason: `at most ${max} characters`,
          limit: max,
        });
      return normal;
    }),
    { type: 'string', minLength: min, maxLength: max },
  );

/** Free text, kept exactly as sent; length counted in Unicode code points. */
export const text = (min: number, max: number) => boundedString(min, max, (raw) => raw);

/**
 * A name: trimmed and NFC-normalised before its length is checked and before
 * it is stored, so "  Garden " and "Garden" are the same name everywhere.
 */
export const name = (min: number, max: number) =>
  boundedString(min, max, (raw) => raw.trim().normalize('NFC'));

// Numbers sent as strings (the public API's forms) are read by these patterns
// alone, never by Number(), which also takes "0x10", "0b1", "Infinity", "" and
// " " (docs/decisions.md, "Parameters").
const integerText = /^-?\d+$/;
const decimalText = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * The integer a value names, or undefined when it names none. An integer
 * of any size is one (1e16, or "10000000000000000", is too big: 152, not
 * "not an integer": 136); past 15 significant digits, where a double may
 * round, it is taken as ±Infinity, beyond every limit on its side.
 */
function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const written = value.trim();
  if (!integerText.test(written)) return undefined;
  const negative = written.startsWith('-');
  const digits = (negative ? written.slice(1) : written).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number(written);
}

function asFloat(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && decimalText.test(value.trim())
        ? Number(value.trim())
        : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** An integer within [min, max]; numeric strings are accepted as the public API sends them. */
export const int = (min: number, max: number) =>
  wire<number, number | string>(
    z.unknown().transform((value, ctx): number => {
      required(value, ctx);
      const n = asInteger(value);
      if (n === undefined) return fail(ctx, value, { failure: 'NotAnInteger', reason: 'must be an integer' });
      if (n < min)
        return fail(ctx, value, { failure: 'IntegerTooSmall', reason: `at least ${min}`, limit: min });
      if (n > max)
        return fail(ctx, value, { failure: 'IntegerTooBig', reason: `at most ${max}`, limit: max });
      return n;
    }),
    { type: 'integer', minimum: min, maximum: max },
  );

/** A float within [min, max]; out of range reuses 144/152, the catalogue's only range codes. */
export const float = (min: number, max: number) =>
  wire<number, number | string>(
    z.unknown().transform((value, ctx): number => {
      required(value, ctx);
      const n = asFloat(value);
      if (n === undefined) return fail(ctx, value, { failure: 'NotAFloat', reason: 'must be a number' });
      if (n < min)
        return fail(ctx, value, { failure: 'IntegerTooSmall', reason: `at least ${min}`, limit: min });
      if (n > max)
        return fail(ctx, value, { failure: 'IntegerTooBig', reason: `at most ${max}`, limit: max });
      return n;
    }),
    { type: 'number', minimum: min, maximum: max },
  );

/** Booleans travel as 0/1 or true/false (also as the strings of those). */
export const flag = () =>
  wire<boolean, boolean | 0 | 1 | '0' | '1'>(
    z.unknown().transform((value, ctx): boolean => {
      required(value, ctx);
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      const n = asInteger(value);
      if (n === undefined) return fail(ctx, value, { failure: 'NotAnInteger', reason: 'must be 0 or 1' });
      if (n < 0) return fail(ctx, value, { failure: 'IntegerTooSmall', reason: 'must be 0 or 1', limit: 0 });
      if (n > 1) return fail(ctx, value, { failure: 'IntegerTooBig', reason: 'must be 0 or 1', limit: 1 });
      return n === 1;
    }),
    { enum: [0, 1, true, false, '0', '1', 'true', 'false'] },
  );

/**
 * A reference to an existing thing. Any non-empty string passes, however
 * long: an id of the wrong form is simply not found, with its family's code
 * (DOMAIN.md §1). The stores take any stream name (a JetStream subject token
 * too long is hashed, `safeToken`).
 */
export const ref = () =>
  wire<string, string>(
    z.unknown().transform((value, ctx): string => {
      required(value, ctx);
      if (typeof value !== 'string' || value.length === 0)
        return fail(ctx, value, { failure: 'MissingParameter', reason: 'must be an id string' });
      return value;
    }),
    { type: 'string', minLength: 1, description: 'an id; one of the wrong form is not found' },
  );

/** The id of a thing being created, chosen by the client: must be of the right form. */
export const newId = <P extends IdPrefix>(prefix: P) =>
  wire<`${P}_${string}`, string>(
    z.unknown().transform((value, ctx): `${P}_${string}` => {
      required(value, ctx);
      if (!isId(prefix, value))
        return fail(ctx, value, {
          failure: 'MissingParameter',
          reason: `must be ${prefix}_ followed by a ULID`,
        });
      return value;
    }),
    { type: 'string', pattern: `^${prefix}_${ulidPattern}$` },
  );

/** `parent_id`: 0 or "0" for the top level, else a folder reference. */
export const parentRef = () =>
  wire<string | null, string | 0>(
    z.unknown().transform((value, ctx): string | null => {
      required(value, ctx);
      if (value === 0 || value === '0') return null;
      if (typeof value !== 'string' || value.length === 0)
        return fail(ctx, value, { failure: 'MissingParameter', reason: 'must be 0 or a folder id' });
      return value;
    }),
    {
      anyOf: [
        { enum: [0, '0'], description: 'the top level' },
        { type: 'string', minLength: 1 },
      ],
    },
  );

/** What /openapi.json says of a date-time parameter (this one and item.get_list's). */
export const dateTimeJson = {
  type: 'string',
  description: 'yyyy-mm-dd hh:mm:ss in UTC, or ISO 8601 with a zone',
};

/** "yyyy-mm-dd hh:mm:ss" in UTC, or ISO 8601 with a zone, naming a real instant; normalised to an ISO string. */
export const datetime = () =>
  wire<string, string>(
    z.unknown().transform((value, ctx): string => {
      required(value, ctx);
      const parsed = parseDateTime(value);
      if (!parsed.ok) return fail(ctx, value, { failure: 'MissingParameter', reason: parsed.reason });
      return parsed.iso;
    }),
    dateTimeJson,
  );

/** A list of up to `max` elements, each validated by `element`. */
export const list = <T extends z.ZodType>(element: T, max: number) =>
  wire<z.output<T>[], z.input<T>[]>(
    z
      .unknown()
      .transform((value, ctx): unknown[] => {
        required(value, ctx);
        if (!Array.isArray(value))
          return fail(ctx, value, { failure: 'MissingParameter', reason: 'must be a list' });
        if (value.length > max)
          return fail(ctx, value, {
            failure: 'StringTooLong',
            reason: `at most ${max} elements`,
            limit: max,
          });
        return value;
      })
      .pipe(z.array(element)),
    { type: 'array', maxItems: max, items: jsonSchemaOf(element) },
  );
