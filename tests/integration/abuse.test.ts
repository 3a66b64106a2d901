import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createProjectAction } from "@/app/(app)/[org]/projects/actions";
import { acceptInvitationAction } from "@/app/(app)/invite/[token]/actions";
import { GET as auditGet } from "@/app/api/orgs/[org]/audit/route";
import { POST as invitationsPost } from "@/app/api/orgs/[org]/invitations/route";
import { POST as archivePost } from "@/app/api/orgs/[org]/projects/[project]/archive/route";
import { GET as projectsGet, POST as projectsPost } from "@/app/api/orgs/[org]/projects/route";
import { PATCH as orgPatch } from "@/app/api/orgs/[org]/route";
import { POST as orgsPost } from "@/app/api/orgs/route";
import { getDb } from "@/db";
import { auditLogs, invitations, organizations, projects } from "@/db/schema";
import { CROSS_SITE_MESSAGE } from "@/lib/api/origin";
import { limiterFor } from "@/lib/rate-limit";
import { POLICIES } from "@/lib/rate-limit/policies";
import { createTeam } from "@/tests/support/factories";
import { actAs, DEFAULT_REQUEST_HEADERS, requestHeaders } from "@/tests/support/session";

/**
 * Abuse from outside, through the real route handlers and server actions: cross-site writes
 * with the user's cookie, floods, oversized and lying bodies, NUL bytes.
 */
const root = path.resolve(import.meta.dirname, "../..");
const APP = "http://localhost";
const EVIL = "http://localhost:9999"; // same site (SameSite=Lax lets the cookie through), other origin
const METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Init = { method?: string; json?: unknown; query?: string; headers?: Record<string, string> };

function call(handler: Handler, params: Record<string, string>, init: Init = {}) {
  const headers: Record<string, string> = { origin: APP, ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
  const req = new Request(`${APP}/api/x${init.query ?? ""}`, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return handler(req, { params: Promise.resolve(params) });
}

async function errorOf(res: Response) {
  return (
    (await res.json()) as { error: { code: string; message: string; fieldErrors?: Record<string, string[]> } }
  ).error;
}

async function counts(orgId: string) {
  const db = await getDb();
  const n = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  return {
    projects: await n(db.select({ n: count() }).from(projects).where(eq(projects.orgId, orgId))),
    invitations: await n(db.select({ n: count() }).from(invitations).where(eq(invitations.orgId, orgId))),
    audit: await n(db.select({ n: count() }).from(auditLogs).where(eq(auditLogs.orgId, orgId))),
    organizations: await n(db.select({ n: count() }).from(organizations)),
  };
}

type Team = Awaited<ReturnType<typeof createTeam>>;
let t: Team;
beforeAll(async () => {
  t = await createTeam();
}, 60_000);

async function newProject(slug = `p-${randomUUID().slice(0, 8)}`) {
  actAs(t.owner);
  const res = await call(projectsPost, { org: t.org.slug }, { json: { name: `Project ${slug}`, slug } });
  expect(res.status).toBe(201);
  return slug;
}

describe("cross-site writes with the session cookie", () => {
  it("refuses creating a project, inviting an admin and archiving from another origin; nothing is written", async () => {
    const slug = await newProject();
    const before = await counts(t.org.id);
    actAs(t.owner);
    const attempts = [
      await call(projectsPost, { org: t.org.slug }, { json: { name: "Evil" }, headers: { origin: EVIL } }),
      await call(
        invitationsPost,
        { org: t.org.slug },
        { json: { email: "attacker@evil.test", role: "admin" }, headers: { origin: EVIL } },
      ),
      await call(
        archivePost,
        { org: t.org.slug, project: slug },
        { method: "POST", headers: { origin: EVIL } },
      ),
      // No Origin and no Sec-Fetch-Site: not something a browser sends for a same-origin write.
      await call(projectsPost, { org: t.org.slug }, { json: { name: "Bare" }, headers: { origin: "" } }),
      await call(projectsPost, { org: t.org.slug }, { json: { name: "Null" }, headers: { origin: "null" } }),
      await call(
        projectsPost,
        { org: t.org.slug },
        { json: { name: "Cross" }, headers: { origin: "", "sec-fetch-site": "same-site" } },
      ),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(await errorOf(res)).toMatchObject({ code: "forbidden", message: CROSS_SITE_MESSAGE });
    }
    expect(await counts(t.org.id)).toEqual(before);
    const db = await getDb();
    const [project] = await db
      .select({ status: projects.status })
      .from(projects)
      .where(and(eq(projects.orgId, t.org.id), eq(projects.slug, slug)));
    expect(project?.status).toBe("active");
  });

  it("accepts the same writes from the app's own origin, or with Sec-Fetch-Site: same-origin", async () => {
    const slug = await newProject();
    actAs(t.owner);
    const viaFetchMeta = await call(
      projectsPost,
      { org: t.org.slug },
      { json: { name: "Via fetch metadata" }, headers: { origin: "", "sec-fetch-site": "same-origin" } },
    );
    expect(viaFetchMeta.status).toBe(201);
    const invite = await call(
      invitationsPost,
      { org: t.org.slug },
      { json: { email: `i-${randomUUID()}@x.test`, role: "member" } },
    );
    expect(invite.status).toBe(201);
    const archived = await call(archivePost, { org: t.org.slug, project: slug }, { method: "POST" });
    expect(archived.status).toBe(200);
    // Reads are not state changes: no Origin needed.
    const list = await call(projectsGet, { org: t.org.slug }, { headers: { origin: "" } });
    expect(list.status).toBe(200);
  });

  const routeFiles = (function walk(dir: string, out: string[] = []): string[] {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full, out);
      else if (name === "route.ts") out.push(full);
    }
    return out;
  })(path.join(root, "app/api/orgs"));

  it("finds the mutating route files", () => {
    expect(routeFiles.length).toBeGreaterThan(10);
  });

  for (const file of routeFiles) {
    const rel = path.relative(root, file);
    it(`${rel}: every write from another origin is 403 and leaves no trace`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const params: Record<string, string> = { org: t.org.slug };
      for (const seg of path.relative(path.join(root, "app/api/orgs"), path.dirname(file)).split(path.sep)) {
        const m = /^\[(.+)\]$/.exec(seg);
        if (m?.[1] && m[1] !== "org") params[m[1]] = m[1] === "project" ? "some-project" : randomUUID();
      }
      for (const method of METHODS.filter((m) => typeof mod[m] === "function")) {
        const before = await counts(t.org.id);
        actAs(t.owner);
        const res = await call(mod[method] as Handler, params, {
          method,
          json: {},
          headers: { origin: EVIL },
        });
        expect(res.status, `${method} ${rel}`).toBe(403);
        expect((await errorOf(res)).message).toBe(CROSS_SITE_MESSAGE);
        expect(await counts(t.org.id)).toEqual(before);
      }
    });
  }

  it("server actions from another origin are refused too (Next checks Host; the wrapper checks again)", async () => {
    const before = await counts(t.org.id);
    actAs(t.owner);
    const attempts: Record<string, string>[] = [
      { ...DEFAULT_REQUEST_HEADERS, origin: EVIL },
      { "user-agent": "vitest", host: "localhost" },
    ];
    for (const headers of attempts) {
      requestHeaders.current = headers;
      const res = await createProjectAction(t.org.slug, { name: "From evil" });
      expect(res).toMatchObject({ ok: false, error: { code: "forbidden", message: CROSS_SITE_MESSAGE } });
    }
    expect(await counts(t.org.id)).toEqual(before);
    requestHeaders.current = DEFAULT_REQUEST_HEADERS;
    expect(await createProjectAction(t.org.slug, { name: "From the app" })).toMatchObject({ ok: true });
  });
});

describe("rate limits in the wrappers", () => {
  it("answers 429 with Retry-After once a user spends api.user; other users are unaffected", async () => {
    const team = await createTeam();
    await (await limiterFor("api.user")).penalty(team.member.id, POLICIES["api.user"].points);
    actAs(team.member);
    const res = await call(projectsGet, { org: team.org.slug });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await errorOf(res)).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/Try again in \d+ seconds?/),
    });
    actAs(team.admin);
    expect((await call(projectsGet, { org: team.org.slug })).status).toBe(200);
    // The action wrapper counts against the same budget.
    actAs(team.member);
    const action = await createProjectAction(team.org.slug, { name: "Limited" });
    expect(action).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect((await counts(team.org.id)).projects).toBe(0);
  });

  it("limits a whole organization (api.org), whoever calls", async () => {
    const team = await createTeam();
    await (await limiterFor("api.org")).penalty(team.org.id, POLICIES["api.org"].points);
    for (const user of [team.owner, team.viewer]) {
      actAs(user);
      expect((await call(projectsGet, { org: team.org.slug })).status).toBe(429);
    }
    actAs(t.owner);
    expect((await call(projectsGet, { org: t.org.slug })).status).toBe(200);
  });

  it("a real flood: the 301st request of a minute is refused", async () => {
    const user = (await createTeam()).outsider;
    actAs(user);
    const { GET } = await import("@/app/api/orgs/route");
    const statuses: number[] = [];
    for (let i = 0; i < POLICIES["api.user"].points + 5; i++) statuses.push((await call(GET, {})).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(POLICIES["api.user"].points);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
  }, 120_000);
});

describe("invitation tokens cannot be tried by the thousand", () => {
  it("accepting is limited per IP (10 per 10 minutes), on top of the per-user limit", async () => {
    const user = (await createTeam()).outsider;
    actAs(user);
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await acceptInvitationAction({ token: `guess-${i}` });
      codes.push(res.ok ? "ok" : res.error.code);
    }
    expect(codes.slice(0, 10).every((c) => c !== "rate_limited")).toBe(true);
    expect(codes.slice(10)).toEqual(["rate_limited", "rate_limited"]);
  });
});

describe("request bodies are capped while streaming", () => {
  function endlessBody(chunkBytes: number, maxChunks: number) {
    const pulled = { chunks: 0 };
    const chunk = new TextEncoder().encode(`{"name":"${"x".repeat(chunkBytes - 10)}`);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled.chunks++;
        if (pulled.chunks > maxChunks) controller.close();
        else controller.enqueue(chunk);
      },
    });
    return { stream, pulled };
  }

  it("a chunked body without Content-Length is cut off past the cap: 413, and the handler never ran", async () => {
    const before = await counts(t.org.id);
    actAs(t.owner);
    const { stream, pulled } = endlessBody(16 * 1024, 10_000); // would be 160 MB
    const req = new Request(`${APP}/api/orgs`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: APP },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(req.headers.get("content-length")).toBeNull();
    const res = await orgsPost(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "payload_too_large" });
    expect(pulled.chunks).toBeLessThan(20); // 64 KB cap: stopped after a handful of chunks
    expect(await counts(t.org.id)).toEqual(before);
  });

  it("a Content-Length that lies (small header, big body) is 413 too", async () => {
    const before = await counts(t.org.id);
    actAs(t.owner);
    const { stream, pulled } = endlessBody(16 * 1024, 10_000);
    const req = new Request(`${APP}/api/orgs`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "20", origin: APP },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await orgsPost(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(413);
    expect(pulled.chunks).toBeLessThan(20);
    expect(await counts(t.org.id)).toEqual(before);
  });

  it("a body under the cap still works", async () => {
    actAs(t.outsider);
    const res = await call(orgsPost, {}, { json: { name: "Small body" } });
    expect(res.status).toBe(201);
  });
});

describe("NUL bytes are a 400 with a field message, never a database error", () => {
  const nul = "a\u0000b";
  it("in body fields, query parameters and route params, on routes and actions; nothing is written", async () => {
    const before = await counts(t.org.id);
    actAs(t.owner);
    const cases: [string, Promise<Response>, string][] = [
      ["create organization (body)", call(orgsPost, {}, { json: { name: nul } }), "name"],
      ["create project (body)", call(projectsPost, { org: t.org.slug }, { json: { name: nul } }), "name"],
      [
        "create project (nested key path)",
        call(projectsPost, { org: t.org.slug }, { json: { name: "ok", description: nul } }),
        "description",
      ],
      [
        "rename organization (body)",
        call(orgPatch, { org: t.org.slug }, { method: "PATCH", json: { name: nul } }),
        "name",
      ],
      ["search projects (query)", call(projectsGet, { org: t.org.slug }, { query: "?q=a%00b" }), "q"],
      ["audit filter (query)", call(auditGet, { org: t.org.slug }, { query: "?actor=a%00b" }), "actor"],
      [
        "archive project (route param)",
        call(archivePost, { org: t.org.slug, project: nul }, { method: "POST" }),
        "project",
      ],
    ];
    for (const [what, pending, field] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(400);
      const error = await errorOf(res);
      expect(error.fieldErrors?.[field], what).toEqual([expect.stringContaining("NUL")]);
    }
    const action = await createProjectAction(t.org.slug, { name: nul });
    expect(action).toMatchObject({
      ok: false,
      error: { code: "bad_request", fieldErrors: { name: [expect.any(String)] } },
    });
    expect(await counts(t.org.id)).toEqual(before);
  });
});
