import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { knowledgeDocuments, knowledgeDocumentVersions } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import { createTeam } from "@/tests/support/factories";
import { processDocument } from "./process-document";
import { uploadDocument } from "./upload-document";

vi.mock("@/inngest/client", () => ({ inngest: { send: async () => ({ ids: [] }) } }));

// Stands for any parser that still overflows its stack on some input.
vi.mock("./chunk", async (original) => {
  const real = await original<typeof import("./chunk")>();
  return {
    ...real,
    chunkText: (text: string, format: Parameters<typeof real.chunkText>[1]) => {
      if (text.includes("OVERFLOW")) throw new RangeError("Maximum call stack size exceeded");
      return real.chunkText(text, format);
    },
  };
});

describe("processDocument", () => {
  it("fails a document whose parser overflows its stack, with a reason, instead of retrying", async () => {
    const t = await createTeam();
    const ctx = await resolveOrgContext(t.member, t.org.slug, "knowledge.write", {
      ip: null,
      userAgent: null,
    });
    const doc = await uploadDocument(ctx, { file: new File(["OVERFLOW"], "deep.md") });
    const ref = { orgId: t.org.id, documentId: doc.id, version: 1 };
    expect(await processDocument(ref)).toEqual({
      outcome: "failed",
      reason: expect.stringMatching(/too deeply/),
    });
    const db = await getDb();
    const [row] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.id, doc.id));
    expect(row).toMatchObject({ status: "failed", error: expect.stringMatching(/nested too deeply/) });
    const [version] = await db
      .select({ raw: knowledgeDocumentVersions.raw })
      .from(knowledgeDocumentVersions)
      .where(eq(knowledgeDocumentVersions.documentId, doc.id));
    expect(version?.raw).toBeNull();
  });
});
