import { param, readYourWrites } from '@camledger/domain';
import type { Operation } from '../catalogue.ts';

// GET /openapi.json (DOMAIN.md §6): one path per command and query the edge
// serves, their parameters generated from the same zod schemas that validate
// them (JSON Schema 2020-12, the dialect of OpenAPI 3.1).

const responses = {
  '200': {
    description: 'Accepted',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
  },
  default: {
    description: 'Rejected: the status comes from the code (docs/contract/edge.md)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Rejected' } } },
  },
};

const formatParam = {
  name: 'format',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['json', 'xml'] },
};

// A command's retry keeps its key (§6); a query may wait for a command's position (§4).
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The command id: a retry signed anew with the same key has its effect once',
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};
const waitParams = param.jsonSchemaOf(readYourWrites).properties as Record<string, unknown>;

/** The operation's parameters as JSON Schema, a query's with `min_position` and `wait_ms` beside them. */
function payloadSchema(op: Operation): Record<string, unknown> {
  const schema = param.jsonSchemaOf(op.payload);
  if (op.kind === 'command') return schema;
  return { ...schema, properties: { ...(schema.properties as object), ...waitParams } };
}

export function openApiDocument(operations: Iterable<Operation>, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const op of operations) {
    const [object, action] = op.name.split('.');
    const schema = payloadSchema(op);
    const body = {
      required: false,
      content: {
        'application/x-www-form-urlencoded': { schema },
        'application/json': { schema },
      },
    };
    const post = {
      operationId: `${op.name.replace('.', '_')}_post`,
      summary: `${op.kind} ${op.name}`,
      tags: [op.kind],
      parameters: op.kind === 'command' ? [formatParam, idempotencyKey] : [formatParam],
      requestBody: body,
      responses,
    };
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const required = new Set((schema.required ?? []) as string[]);
    const get = {
      operationId: `${op.name.replace('.', '_')}_get`,
      summary: `${op.kind} ${op.name}`,
      tags: [op.kind],
      parameters: [
        formatParam,
        ...Object.entries(properties).map(([name, s]) => ({
          name,
          in: 'query',
          required: required.has(name),
          schema: s,
        })),
      ],
      responses,
    };
    paths[`/${object}/${action}.{format}`] = op.kind === 'command' ? { post } : { get, post };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'camledger API',
      version: '1.0.0',
      description: 'Signed with OAuth 1.0a (RFC 5849), HMAC-SHA1 or HMAC-SHA256.',
    },
    servers: [{ url: serverUrl }],
    security: [{ oauth1: [] }],
    paths,
    components: {
      securitySchemes: {
        oauth1: { type: 'http', scheme: 'OAuth', description: 'OAuth 1.0a (RFC 5849) Authorization header' },
      },
      schemas: {
        Accepted: {
          type: 'object',
          required: ['code', 'message', 'result'],
          properties: {
            code: { type: 'integer' },
            message: { type: 'string' },
            result: { type: 'object' },
            position: { type: 'integer' },
            stale: { type: 'boolean' },
          },
        },
        Rejected: {
          type: 'object',
          required: ['code', 'error', 'message', 'details'],
          properties: {
            code: { type: 'integer' },
            error: { type: 'string' },
            message: { type: 'string' },
            details: { type: 'object' },
          },
        },
      },
    },
  };
}
