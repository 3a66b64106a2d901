import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { createTeam } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import ApiReferencePage from "./page";

// Pages wait for the request with connection(); here the test is the request.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

describe("API reference page", () => {
  it("lists every operation for any member, with the API keys link for admins only", async () => {
    const t = await createTeam();
    const render = async () =>
      renderToStaticMarkup(
        (await ApiReferencePage({ params: Promise.resolve({ org: t.org.slug }) })) as ReactElement,
      );
    actAs(t.viewer);
    const html = await render();
    for (const o of OPERATIONS) expect(html).toContain(`id="${o.operationId}"`);
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).not.toContain("/settings/api-keys");
    actAs(t.admin);
    expect(await render()).toContain(`href="/${t.org.slug}/settings/api-keys"`);
    actAs(null);
  });
});
