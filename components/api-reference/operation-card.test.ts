import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { apiReference } from "@/lib/api/v1/reference";
import { OperationCard } from "./operation-card";

describe("OperationCard", () => {
  it("renders every operation with its method, path, scope, fields and curl line", () => {
    for (const op of apiReference("https://dm.example").flatMap((g) => g.operations)) {
      const html = renderToStaticMarkup(h(OperationCard, { op }));
      expect(html).toContain(`id="${op.id}"`);
      expect(html).toContain(`>${op.method}<`);
      expect(html).toContain(op.path);
      expect(html).toContain(`<code>${op.scope}</code>`);
      for (const f of op.fields) expect(html).toContain(`>${f.name}`);
      expect(html).toContain("curl");
    }
  });
});
