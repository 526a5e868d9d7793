// RFC 5849 §3.6: percent-encoding with only the unreserved characters of
// RFC 3986 left as they are (encodeURIComponent also leaves !'()* alone).
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One request parameter as it was sent (decoded), wherever it came from. */
export type Param = readonly [name: string, value: string];

/** `application/x-www-form-urlencoded` pairs, decoded ('+' is a space), in order, repeats kept. */
export const formPairs = (encoded: string): Param[] => [...new URLSearchParams(encoded)];
