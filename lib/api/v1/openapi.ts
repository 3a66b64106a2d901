import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import { PERMISSION_LABELS } from "@/lib/auth/permissions";
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_TTL_MS } from "./idempotency";
import { OPENAPI_PATH, OPERATIONS, V1_TAGS, type V1Operation } from "./operations";
import { errorBody } from "./schemas";

/**
 * The OpenAPI 3.1 document of /api/v1, rendered from the operations registry (lib/api/v1/
 * operations.ts) and its zod schemas: the same objects the routes validate with.
 */

const ERROR_TEXT: Record<number, string> = {
  400: "Bad request (malformed JSON, bad cursor, invalid Idempotency-Key).",
  401: "No API key, or an invalid, expired or revoked one.",
  403: "The API key lacks the scope this operation needs.",
  404: "Not found in the key's organization.",
  409: "Conflict with the current state (e.g. an archived project, a decided approval, a request in progress).",
  413: "The body is too large.",
  415: "The body is not JSON.",
  422: "Some fields are invalid: `error.fields` has a message per field.",
  429: "Too many requests: wait `Retry-After` seconds.",
};

const rateHeaders = {
  "RateLimit-Limit": { description: "Requests allowed in the window.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": {
    description: "Requests left in the window.",
    schema: { type: "integer" as const },
  },
  "RateLimit-Reset": {
    description: "Seconds until the window resets.",
    schema: { type: "integer" as const },
  },
};

function errorResponse(status: number): ZodOpenApiResponseObject {
  const headers: Record<string, { description: string; schema: { type: "integer" | "string" } }> =
    status === 429
      ? { ...rateHeaders, "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } } }
      : status === 401
        ? { "WWW-Authenticate": { description: "`Bearer`.", schema: { type: "string" } } }
        : {};
  return {
    description: ERROR_TEXT[status] ?? "Error.",
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { "application/json": { schema: errorBody } },
  };
}

function operationObject(o: V1Operation): ZodOpenApiOperationObject {
  const statuses = [...new Set([...o.errors, 401, 403, 429])].sort();
  const responses: ZodOpenApiResponsesObject = {
    [`${o.response.status}`]: {
      description: o.response.description,
      headers: rateHeaders,
      content: { [o.response.contentType ?? "application/json"]: { schema: o.response.schema } },
    },
  };
  for (const status of statuses) responses[`${status}` as `4${string}`] = errorResponse(status);
  const idempotency = o.idempotent
    ? {
        header: {
          [IDEMPOTENCY_HEADER]: {
            description: `Any unique string (1–255 printable ASCII characters). A retry with the same key and body gets the first response with \`Idempotent-Replayed: true\`; the same key with another body gets 422. Kept ${IDEMPOTENCY_TTL_MS / 3_600_000} hours.`,
            required: false,
            schema: { type: "string" as const, maxLength: 255 },
          },
        },
      }
    : {};
  return {
    operationId: o.operationId,
    summary: o.summary,
    description: `${o.description ?? o.summary}\n\nRequires the \`${o.scope}\` scope (${PERMISSION_LABELS[o.scope].toLowerCase()}).`,
    tags: [o.tag],
    security: [{ bearer: [] }],
    "x-required-scope": o.scope,
    requestParams: {
      ...(o.params ? { path: o.params } : {}),
      ...(o.query ? { query: o.query as never } : {}),
    },
    ...(o.idempotent
      ? {
          parameters: [
            {
              in: "header" as const,
              name: IDEMPOTENCY_HEADER,
              ...idempotency.header?.[IDEMPOTENCY_HEADER],
            },
          ],
        }
      : {}),
    ...(o.body
      ? { requestBody: { required: true, content: { "application/json": { schema: o.body } } } }
      : {}),
    responses,
  };
}

function buildDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const o of OPERATIONS) {
    paths[o.path] = { ...(paths[o.path] ?? {}), [o.method]: operationObject(o) };
  }
  paths[OPENAPI_PATH] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      description: "The OpenAPI 3.1 document of the REST API. Public: no key needed.",
      tags: ["Meta"],
      security: [],
      responses: { "200": { description: "The document (JSON)." } },
    },
  };
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "DafnckMachine REST API",
      version: "1.0.0",
      description:
        "Drive DafnckMachine from CI and scripts. Authenticate with an org API key (`Authorization: Bearer dmk_…`, created under Settings → API keys); each operation needs one scope. Errors are `{ error: { code, message, fields } }`. Lists are newest first with cursor pagination (`limit`, `cursor`, `nextCursor`). Rate limits apply per key and per organization by plan (429 with `Retry-After`).",
    },
    servers: [{ url: "/", description: "This app" }],
    tags: [...V1_TAGS.map((name) => ({ name })), { name: "Meta", description: "The API's description." }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "dmk_<prefix>_<secret>",
          description: "An org API key.",
        },
      },
    },
    paths,
  });
}

let cached: ReturnType<typeof buildDocument> | null = null;

/** The document (built once per process: the registry is static). */
export function openApiDocument() {
  cached ??= buildDocument();
  return cached;
}
