// autocannon ships no types and @types/autocannon is not a dependency: the
// little of its API the edge benchmark uses.
declare module 'autocannon' {
  interface Request {
    readonly method?: string;
    readonly path?: string;
    readonly setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => unknown;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly pipelining?: number;
    readonly duration?: number;
    readonly requests?: readonly Request[];
  }
  interface Histogram {
    readonly p50: number;
    readonly p99: number;
  }
  interface Result {
    readonly requests: { readonly total: number };
    readonly latency: Histogram;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
