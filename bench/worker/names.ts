// Names the benchmark driver and the ceiling responder process agree on.
export const ceilingStream = (prefix: string): string => `${prefix}_ceiling`;
export const ceilingSubject = (prefix: string, lane: string): string => `${prefix}.ceiling.${lane}`;
export const ceilingRequestSubject = (prefix: string): string => `${prefix}.ceilreq`;
export const ceilingReadyLine = 'ceiling responder ready';

/** A user id of the seeded accounts (any string is a valid reference; this one looks like a real id). */
export const seededUser = (n: number): string => `usr_${String(n).padStart(26, '0')}`;
