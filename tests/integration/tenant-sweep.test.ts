import { randomUUID } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";

/**
 * A sweep over every org-scoped route handler and server action in the app, found on disk so a
 * new one cannot be forgotten: a stranger to the organization gets 404 (nothing reveals that it
 * exists), a signed-out caller 401, and a viewer 403 on anything that changes data.
 * Each module also has its own tests of what a permitted call does.
 */
const root = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

// What a viewer may change: their own membership (leaving the organization).
const VIEWER_MAY = new Set(["leaveOrganizationAction"]);

function walk(dir: string, match: (file: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, match, out);
    else if (match(full)) out.push(full);
  }
  return out;
}

const routeFiles = walk(path.join(root, "app/api/orgs/[org]"), (f) => f.endsWith(`${path.sep}route.ts`));
const actionFiles = walk(path.join(root, "app/(app)/[org]"), (f) => f.endsWith(`${path.sep}actions.ts`));

type Team = Awaited<ReturnType<typeof createTeam>>;
let team: Team;
beforeAll(async () => {
  team = await createTeam();
});

function paramsFor(file: string, org: string): Record<string, string> {
  const rel = path.relative(path.join(root, "app/api/orgs"), path.dirname(file));
  const params: Record<string, string> = {};
  for (const seg of rel.split(path.sep)) {
    const m = /^\[(.+)\]$/.exec(seg);
    if (!m?.[1]) continue;
    params[m[1]] = m[1] === "org" ? org : m[1] === "project" ? "some-project" : randomUUID();
  }
  return params;
}

function call(
  handler: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>,
  method: string,
  params: Record<string, string>,
) {
  const hasBody = method !== "GET" && method !== "DELETE";
  const req = new Request(`http://localhost/api/orgs/${params.org}/x`, {
    method,
    headers: hasBody
      ? { "content-type": "application/json", origin: "http://localhost" }
      : { origin: "http://localhost" },
    body: hasBody ? "{}" : undefined,
  });
  return handler(req, { params: Promise.resolve(params) });
}

describe("every org route handler", () => {
  it("exists", () => {
    expect(routeFiles.length).toBeGreaterThan(3);
  });

  for (const file of routeFiles) {
    const rel = path.relative(root, file);
    it(`${rel}: 401 signed out, 404 for another org and unknown orgs, 403 for a viewer's writes`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === "function");
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        const handler = mod[method] as Parameters<typeof call>[0];
        actAs(null);
        expect(
          (await call(handler, method, paramsFor(file, team.org.slug))).status,
          `${method} signed out`,
        ).toBe(401);
        actAs(team.outsider);
        const res = await call(handler, method, paramsFor(file, team.org.slug));
        expect(res.status, `${method} from another org`).toBe(404);
        expect(await res.text()).not.toContain(team.org.name);
        expect(
          (await call(handler, method, paramsFor(file, "no-such-org"))).status,
          `${method} unknown org`,
        ).toBe(404);
        if (method !== "GET") {
          actAs(team.viewer);
          expect(
            (await call(handler, method, paramsFor(file, team.org.slug))).status,
            `${method} as viewer`,
          ).toBe(403);
        }
      }
    });
  }
});

describe("every org server action", () => {
  it("exists", () => {
    expect(actionFiles.length).toBeGreaterThan(2);
  });

  for (const file of actionFiles) {
    const rel = path.relative(root, file);
    it(`${rel}: not_found for another org, forbidden for a viewer`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const actions = Object.entries(mod).filter(([, v]) => typeof v === "function") as [
        string,
        (org: string, input: unknown) => Promise<{ ok: boolean; error?: { code: string } }>,
      ][];
      expect(actions.length).toBeGreaterThan(0);
      for (const [name, action] of actions) {
        actAs(team.outsider);
        const res = await action(team.org.slug, {});
        expect(res.ok, `${name} from another org`).toBe(false);
        expect(res.error?.code, `${name} from another org`).toBe("not_found");
        actAs(null);
        expect((await action(team.org.slug, {})).error?.code, `${name} signed out`).toBe("unauthenticated");
        if (!VIEWER_MAY.has(name)) {
          actAs(team.viewer);
          expect((await action(team.org.slug, {})).error?.code, `${name} as viewer`).toBe("forbidden");
        }
      }
    });
  }
});
