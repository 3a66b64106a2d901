import { describe, expect, it } from "vitest";
import { auditCsv } from "./csv";
import type { AuditLogEntry } from "./types";

const entry = (over: Partial<AuditLogEntry>): AuditLogEntry => ({
  id: "00000000-0000-0000-0000-000000000001",
  createdAt: "2026-03-01T10:00:00.000Z",
  actorEmail: "ada@example.test",
  action: "project.create",
  targetType: "project",
  targetId: "p1",
  metadata: {},
  ip: "192.0.2.1",
  userAgent: "Firefox",
  ...over,
});

describe("auditCsv", () => {
  it("writes a header row and one line per entry", () => {
    expect(auditCsv([entry({})], { header: true })).toBe(
      "time,actor_email,action,target_type,target_id,ip,user_agent,metadata\n" +
        "2026-03-01T10:00:00.000Z,ada@example.test,project.create,project,p1,192.0.2.1,Firefox,{}\n",
    );
    expect(auditCsv([], { header: true })).toBe(
      "time,actor_email,action,target_type,target_id,ip,user_agent,metadata\n",
    );
    expect(auditCsv([entry({})], { header: false })).not.toMatch(/^time,/);
  });

  it("quotes commas, quotes and line breaks, and leaves missing values empty", () => {
    const csv = auditCsv(
      [
        entry({
          userAgent: 'Agent "X", v1\nsecond line',
          actorEmail: null,
          ip: null,
          metadata: { name: "a,b" },
        }),
      ],
      { header: false },
    );
    expect(csv).toBe(
      '2026-03-01T10:00:00.000Z,,project.create,project,p1,,"Agent ""X"", v1\nsecond line","{""name"":""a,b""}"\n',
    );
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    const csv = auditCsv(
      [
        entry({
          actorEmail: '=HYPERLINK("http://evil")',
          userAgent: "+1+1",
          targetId: "-2",
          ip: "@SUM(A1)",
          action: "\tcmd",
        }),
      ],
      { header: false },
    );
    const cells = csv.trimEnd();
    expect(cells).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(cells).toContain(",'+1+1,");
    expect(cells).toContain(",'-2,");
    expect(cells).toContain(",'@SUM(A1),");
    expect(cells).toContain(",'\tcmd,");
    expect(cells).not.toMatch(/(^|,)[=+\-@]/);
  });
});
