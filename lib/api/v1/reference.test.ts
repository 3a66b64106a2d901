import { describe, expect, it } from "vitest";
import { OPERATIONS } from "./operations";
import { apiReference } from "./reference";

describe("API reference page data", () => {
  const groups = apiReference("https://dm.example");
  const ops = groups.flatMap((g) => g.operations);

  it("lists every operation once, grouped by tag, with its scope", () => {
    expect(ops.map((o) => o.id).sort()).toEqual(OPERATIONS.map((o) => o.operationId).sort());
    for (const g of groups)
      for (const o of g.operations) expect(OPERATIONS.find((x) => x.operationId === o.id)?.tag).toBe(g.tag);
    for (const o of ops) expect(o.scope).toBe(OPERATIONS.find((x) => x.operationId === o.id)?.scope);
  });

  it("shows path, query and body fields from the document, and a curl line per operation", () => {
    const start = ops.find((o) => o.id === "startRun");
    expect(start?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "project", where: "path", required: true }),
        expect.objectContaining({ name: "Idempotency-Key", where: "header" }),
        expect.objectContaining({ name: "goal", where: "body", required: true, type: "string" }),
        expect.objectContaining({ name: "template", where: "body", required: true }),
      ]),
    );
    expect(start?.curl).toContain("curl -X POST 'https://dm.example/api/v1/projects/{project}/runs'");
    expect(start?.curl).toContain('"template":"technical-architecture-overview"');
    const list = ops.find((o) => o.id === "listRuns");
    expect(list?.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["limit", "cursor", "project", "status"]),
    );
    expect(list?.curl).not.toContain("-d ");
    for (const o of ops) expect(o.curl).toContain("Authorization: Bearer $DM_API_KEY");
  });
});
