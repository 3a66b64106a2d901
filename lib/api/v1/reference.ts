import { PERMISSION_LABELS } from "@/lib/auth/permissions";
import { openApiDocument } from "./openapi";
import { OPERATIONS, V1_TAGS, type V1Tag } from "./operations";

/**
 * What the API reference page (app/(app)/[org]/docs/api) shows, read from the operations registry
 * and the OpenAPI document built from it, so the page, the document and the routes agree.
 */

export type ReferenceField = {
  name: string;
  where: "path" | "query" | "header" | "body";
  type: string;
  required: boolean;
  description: string;
};

export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scope: string;
  scopeLabel: string;
  idempotent: boolean;
  fields: ReferenceField[];
  responseStatus: number;
  curl: string;
};

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  items?: Schema;
};
type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description?: string;
  schema?: Schema;
};

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema {
  if (schema?.$ref) return resolve(components[schema.$ref.split("/").pop() ?? ""], components);
  return schema ?? {};
}

function typeOf(schema: Schema, components: Record<string, Schema>): string {
  const s = resolve(schema, components);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.anyOf) return s.anyOf.map((x) => typeOf(x, components)).join(" | ");
  if (s.type === "array") return `${typeOf(s.items ?? {}, components)}[]`;
  if (Array.isArray(s.type)) return s.type.join(" | ");
  return s.type ?? "object";
}

const shellQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function apiReference(origin: string): { tag: V1Tag; operations: ReferenceOperation[] }[] {
  const doc = openApiDocument() as unknown as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }
      >
    >;
    components: { schemas: Record<string, Schema> };
  };
  const components = doc.components.schemas ?? {};
  const all = OPERATIONS.map((o): ReferenceOperation & { tag: V1Tag } => {
    const documented = doc.paths[o.path]?.[o.method] ?? {};
    const fields: ReferenceField[] = (documented.parameters ?? []).map((p) => ({
      name: p.name,
      where: p.in,
      type: typeOf(p.schema ?? {}, components),
      required: Boolean(p.required),
      description: p.description ?? p.schema?.description ?? "",
    }));
    const body = resolve(documented.requestBody?.content["application/json"]?.schema, components);
    for (const [name, prop] of Object.entries(body.properties ?? {})) {
      fields.push({
        name,
        where: "body",
        type: typeOf(prop, components),
        required: (body.required ?? []).includes(name),
        description: resolve(prop, components).description ?? "",
      });
    }
    const url = `${origin}${o.path}`;
    const lines = [
      `curl${o.method === "get" ? "" : ` -X ${o.method.toUpperCase()}`} ${shellQuote(url)}`,
      '  -H "Authorization: Bearer $DM_API_KEY"',
    ];
    if (o.idempotent) lines.push('  -H "Idempotency-Key: $(uuidgen)"');
    if (o.example !== undefined) {
      lines.push(`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(o.example))}`);
    }
    return {
      tag: o.tag,
      id: o.operationId,
      method: o.method.toUpperCase(),
      path: o.path,
      summary: o.summary,
      description: o.description ?? "",
      scope: o.scope,
      scopeLabel: PERMISSION_LABELS[o.scope],
      idempotent: Boolean(o.idempotent),
      fields,
      responseStatus: o.response.status,
      curl: lines.join(" \\\n"),
    };
  });
  return V1_TAGS.map((tag) => ({ tag, operations: all.filter((o) => o.tag === tag) })).filter(
    (g) => g.operations.length > 0,
  );
}
