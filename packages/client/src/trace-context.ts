import { context, propagation } from '@opentelemetry/api';
import { type MsgHdrs, headers as natsHeaders } from 'nats';

/**
 * The `traceparent` header for one command: the caller's own value when it
 * gave one, else whatever the OpenTelemetry propagator writes for the active
 * context. With no SDK configured the API's propagator is a no-op, so nothing
 * is sent and a plain request carries no headers at all.
 */
export function outgoingHeaders(explicit: string | undefined): MsgHdrs | undefined {
  const traceparent = explicit ?? fromActiveContext();
  if (!traceparent) return undefined;
  const h = natsHeaders();
  h.set('traceparent', traceparent);
  return h;
}

function fromActiveContext(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}
