// The HTTP side of the edge benchmark, in a process of its own: autocannon,
// `inFlight` connections, each request signed (OAuth 1.0a HMAC-SHA1, a fresh
// nonce and timestamp per request) with the edge's own `authorizationHeader`
// in autocannon's setupRequest hook. Prints one LoadResult line.
import { authorizationHeader } from '@camledger/api-edge';
import autocannon from 'autocannon';
import { type LoadResult, readSpec } from './load-spec.ts';

const spec = readSpec();
const edgeUrl = spec.edgeUrl as string;
const consumer = spec.consumer as { key: string; secret: string };
const token = spec.token as { key: string; secret: string };
let nextItem = 0;

interface Lane {
  item?: string;
  flagged?: number;
}

const request =
  spec.kind === 'command'
    ? {
        method: 'POST' as const,
        path: '/item/set_flag.json',
        setupRequest: (req: Record<string, unknown>, context: Lane & Record<string, unknown>) => {
          // Each connection its own item, flag toggled each time: every command is accepted.
          context.item ??= spec.items[nextItem++ % spec.items.length] as string;
          context.flagged = context.flagged === 1 ? 0 : 1;
          const form = `item_id=${context.item}&flagged=${context.flagged}`;
          return {
            ...req,
            body: form,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              authorization: authorizationHeader({
                method: 'POST',
                url: `${edgeUrl}/item/set_flag.json`,
                form,
                consumer,
                token,
              }),
            },
          };
        },
      }
    : {
        method: 'GET' as const,
        path: '/account/get.json',
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          headers: {
            authorization: authorizationHeader({
              method: 'GET',
              url: `${edgeUrl}/account/get.json`,
              consumer,
              token,
            }),
          },
        }),
      };

const result = await autocannon({
  url: edgeUrl,
  connections: spec.inFlight,
  pipelining: 1,
  duration: spec.seconds,
  requests: [request],
});

const failed = result.non2xx + result.errors + result.timeouts;
const out: LoadResult = {
  rate: (result.requests.total - result.non2xx) / spec.seconds,
  p50: result.latency.p50,
  p99: result.latency.p99,
  count: result.requests.total,
  failed,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
