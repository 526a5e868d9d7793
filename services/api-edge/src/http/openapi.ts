import { z } from 'zod';
import type { Operation } from '../catalogue.ts';

// GET /openapi.json (DOMAIN.md §6): one path per command and query the edge
// serves, their parameters generated from the same zod schemas that validate
// them (JSON Schema 2020-12, the dialect of OpenAPI 3.1).

const schemaOf = (op: Operation): Record<string, unknown> => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(op.payload, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return schema;
};

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

export function openApiDocument(operations: Iterable<Operation>, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const op of operations) {
    const [object, action] = op.name.split('.');
    const schema = schemaOf(op);
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
      parameters: [formatParam],
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
