// Docker healthcheck for the edge role: healthy while /healthz answers 200,
// which the edge gives only once every role of its process serves and NATS
// and the read store answer (docs/contract/edge.md).
const addr = process.env.CAMLEDGER_EDGE_ADDR ?? '127.0.0.1:8080';
const url = `http://${addr.replace(/^0\.0\.0\.0:/, '127.0.0.1:')}/healthz`;
fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
