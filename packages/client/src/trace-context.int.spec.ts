import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  type TextMapPropagator,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { connect, type Msg, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './client.ts';

// What the client puts on the wire for trace context, seen by a bare
// responder on the real NATS server: nothing without an SDK, the caller's own
// value when given, and the active span's context once an SDK is configured.

const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
let nc: NatsConnection;
beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
});
afterAll(() => nc.close());
afterEach(() => {
  context.disable();
  propagation.disable();
});

/** Sends one command through the client and returns the request the responder received. */
async function sent(send: (client: ReturnType<typeof createClient>) => Promise<unknown>): Promise<Msg> {
  const prefix = `trace${randomBytes(4).toString('hex')}`;
  const sub = nc.subscribe(`${prefix}.cmd.>`, { max: 1 });
  const received = (async () => {
    for await (const msg of sub) {
      msg.respond(JSON.stringify({ ok: true, code: 10000, result: {} }));
      return msg;
    }
    throw new Error('no request arrived');
  })();
  await nc.flush();
  await send(createClient(nc, { prefix, timeoutMs: 2_000, retries: 0 }));
  return received;
}

const explicit = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context from the typed client', () => {
  it('sends no headers at all when no OpenTelemetry SDK is configured', async () => {
    const msg = await sent((c) => c.folder.create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a' }));
    expect(msg.headers).toBeUndefined();
  });

  it('sends the traceparent given in the call options', async () => {
    const msg = await sent((c) =>
      c.folder.create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a', traceparent: explicit }),
    );
    expect(msg.headers?.get('traceparent')).toBe(explicit);
  });

  it("sends the active span's context once an SDK's propagator and context manager are registered", async () => {
    context.setGlobalContextManager(new StorageContextManager());
    propagation.setGlobalPropagator(new W3CPropagator());
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    });
    const msg = await sent((c) =>
      context.with(trace.setSpan(context.active(), span), () =>
        c.folder.create({ name: 'Garden', parent_id: 0 }, { actor: 'usr_a' }),
      ),
    );
    expect(msg.headers?.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
  });
});

// The two parts of an OpenTelemetry SDK the client depends on, written small:
// the real ones live in @opentelemetry/core and @opentelemetry/context-async-hooks.

class W3CPropagator implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: { set(c: unknown, k: string, v: string): void }) {
    const sc = trace.getSpanContext(ctx);
    if (!sc) return;
    setter.set(carrier, 'traceparent', `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags.toString(16)}`);
  }
  extract(ctx: Context) {
    return ctx;
  }
  fields() {
    return ['traceparent'];
  }
}

class StorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active() {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable() {
    return this;
  }
  disable() {
    this.storage.disable();
    return this;
  }
}
