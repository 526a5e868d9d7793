import { type FailureCode, failures, type SuccessCode, successes } from '@camledger/domain';

// DOMAIN.md §6: the one table from every code of the catalogue to its HTTP
// status. A test walks the catalogue and fails on any code missing here.

const byStatus: Readonly<Record<number, readonly FailureCode[]>> = {
  400: [1, 16, 128, 136, 144, 152, 160, 192, 200, 3007, 3009, 5004, 5005, 5300, 5401, 5410, 5411, 6200],
  401: [2, 4, 8],
  402: [1000],
  403: [2001, 3001, 3002, 3004, 4001, 4002, 4102, 5001, 5002, 5003, 5400, 5413, 6001, 6101],
  404: [2000, 3000, 3005, 4000, 4100, 5000, 5100, 5101, 5102, 5200, 5412, 6000, 6201],
  405: [32],
  409: [2002, 2003, 3003, 3006, 4003, 4004, 4005, 5402, 7000],
  410: [3008],
  500: [1500],
};

export const statusTable: ReadonlyMap<number, number> = new Map<number, number>([
  ...Object.values(successes).map(({ code }): [SuccessCode, number] => [code, 200]),
  ...Object.entries(byStatus).flatMap(([status, codes]) =>
    codes.map((code): [number, number] => [code, Number(status)]),
  ),
]);

/** Outside the table, by circumstance rather than code (§6): the body limit and nobody answering. */
export const bodyTooLargeStatus = 413;
export const unavailableStatus = 503;
/** Project decision (docs/decisions.md): a URL over the edge's limit, with code 128. */
export const urlTooLongStatus = 414;
/** An `Expect` other than 100-continue (RFC 9110 §10.1.1), with code 128 naming `Expect`. */
export const expectationFailedStatus = 417;

/** The status of a code; a code the table lacks is a defect, answered as a server error. */
export const statusOf = (code: number): number => statusTable.get(code) ?? 500;

/** Every code the catalogue defines, for the test that keeps the table whole. */
export const catalogueCodes = (): number[] => [
  ...Object.values(failures).map((f) => f.code),
  ...Object.values(successes).map((s) => s.code),
];
