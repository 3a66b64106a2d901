import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { withTenant } from "@/db";
import { knowledgeChunks, knowledgeDocumentVersions } from "@/db/schema";
import { createTeam } from "@/tests/support/factories";
import { rowCount } from "@/tests/support/org-helpers";
import { createProjectRow } from "@/tests/support/run-fixtures";
import { saveTextDocument } from "./save-text-document";
import { searchKnowledge } from "./search";

describe("saveTextDocument", () => {
  it("stores a text once per content, versions a change, and search finds it only in its scope", async () => {
    const { org, otherOrg } = await createTeam();
    const project = await createProjectRow(org.id);
    const other = await createProjectRow(org.id);
    const save = (text: string) =>
      withTenant({ orgId: org.id }, (tx) =>
        saveTextDocument(tx, {
          orgId: org.id,
          projectId: project.id,
          source: "insight",
          key: "insight:test-1",
          title: "Retries",
          text,
          format: "text",
        }),
      );
    const first = await save("Use exponential backoff for webhook retries.\n\nCap at ten attempts.");
    const again = await save("Use exponential backoff for webhook retries.\n\nCap at ten attempts.");
    expect(again).toEqual({ id: first.id, version: 1, changed: false });
    const second = await save("Use exponential backoff with jitter for webhook retries.");
    expect(second.version).toBe(2);
    expect(
      await rowCount(knowledgeDocumentVersions, eq(knowledgeDocumentVersions.documentId, first.id)),
    ).toBe(2);
    expect(await rowCount(knowledgeChunks, eq(knowledgeChunks.documentId, first.id))).toBe(1);

    const inProject = await searchKnowledge({ orgId: org.id, projectId: project.id }, { query: "jitter" });
    expect(inProject.hits.map((h) => h.documentId)).toEqual([first.id]);
    expect((await searchKnowledge({ orgId: org.id, projectId: other.id }, { query: "jitter" })).hits).toEqual(
      [],
    );
    expect(
      (await searchKnowledge({ orgId: otherOrg.id, projectId: null }, { query: "jitter" })).hits,
    ).toEqual([]);
  });
});
