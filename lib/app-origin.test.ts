import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as invite } from "@/app/api/orgs/[org]/invitations/route";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { outbox } from "@/lib/mail";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { jsonRequest, routeArgs } from "@/tests/support/org-helpers";
import { actAs } from "@/tests/support/session";
import { resolveAppOrigin } from "./app-origin";

// The request the server code sees through next/headers: the Host the browser (or an attacker) sent.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, set: () => {}, delete: () => {}, getAll: () => [] }),
}));

const dev = { NODE_ENV: "development", APP_URL: undefined, AUTH_TRUST_HOST: false, PORT: undefined } as const;
const prod = { ...dev, NODE_ENV: "production" } as const;
const h = (init: Record<string, string>) => new Headers(init);

describe("resolveAppOrigin", () => {
  it("uses APP_URL whatever the request says, in production and in development", () => {
    const forged = h({ host: "evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" });
    for (const e of [prod, dev, { ...prod, AUTH_TRUST_HOST: true }]) {
      expect(resolveAppOrigin({ ...e, APP_URL: "https://app.example.com/base" }, forged)).toBe(
        "https://app.example.com",
      );
    }
  });

  it("in development, uses the loopback origin the browser opened, on any port", () => {
    expect(resolveAppOrigin(dev, h({ host: "127.0.0.1:3302" }))).toBe("http://127.0.0.1:3302");
    expect(resolveAppOrigin(dev, h({ host: "localhost:4000" }))).toBe("http://localhost:4000");
    expect(resolveAppOrigin(dev, h({ host: "[::1]:3000" }))).toBe("http://[::1]:3000");
    expect(resolveAppOrigin(dev, h({ host: "app.localhost:3000" }))).toBe("http://app.localhost:3000");
  });

  it("falls back to localhost on the listening port, never to a host it was not told to trust", () => {
    const e = { ...dev, PORT: "3302" };
    expect(resolveAppOrigin(e, null)).toBe("http://localhost:3302");
    expect(resolveAppOrigin(e, h({ host: "evil.test" }))).toBe("http://localhost:3302");
    expect(resolveAppOrigin(e, h({ host: "127.0.0.1.evil.test:3302" }))).toBe("http://localhost:3302");
    // X-Forwarded-* are read only when AUTH_TRUST_HOST says a proxy sets them.
    expect(resolveAppOrigin(e, h({ host: "localhost:3302", "x-forwarded-host": "evil.test" }))).toBe(
      "http://localhost:3302",
    );
    expect(resolveAppOrigin({ ...prod, PORT: "8080" }, h({ host: "localhost:8080" }))).toBe(
      "http://localhost:8080",
    );
    expect(resolveAppOrigin({ ...prod, PORT: "8080" }, h({ host: "evil.test" }))).toBe(
      "http://localhost:8080",
    );
    expect(resolveAppOrigin(dev, null)).toBe("http://localhost:3000");
  });

  it("behind a trusted proxy, uses the forwarded host and protocol", () => {
    const e = { ...prod, AUTH_TRUST_HOST: true };
    const forwarded = h({
      host: "10.0.0.5:3000",
      "x-forwarded-host": "app.example.com",
      "x-forwarded-proto": "https",
    });
    expect(resolveAppOrigin(e, forwarded)).toBe("https://app.example.com");
    expect(resolveAppOrigin(e, h({ host: "app.example.com" }))).toBe("https://app.example.com");
  });

  it("ignores a Host header that is not a bare host", () => {
    const e = { ...dev, AUTH_TRUST_HOST: true, PORT: "3000" };
    for (const host of [
      "evil.test/path",
      "user@evil.test",
      "evil.test?x",
      "evil.test\\x",
      "http://evil.test",
    ]) {
      expect(resolveAppOrigin(e, h({ host }))).toBe("http://localhost:3000");
    }
  });
});

describe("links in emails", () => {
  const saved = { ...process.env };
  // Opening (and migrating) the database is slow the first time; not part of any one test.
  beforeAll(async () => {
    await getDb();
  });
  afterEach(() => {
    process.env = { ...saved };
    (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
  });

  async function resetLinkFor(host: Record<string, string>): Promise<URL> {
    request.headers = new Headers(host);
    const email = `link-${Math.random().toString(36).slice(2, 8)}@example.test`;
    await (await getDb()).insert(users).values({ email, name: "Lin" });
    await requestPasswordReset(email);
    const text = outbox().findLast((m) => m.to === email)?.text ?? "";
    return new URL(text.match(/https?:\/\/\S+/)?.[0] ?? "missing:");
  }

  it("development without APP_URL: the password-reset link uses the origin and port the app was opened on", async () => {
    setTestEnv({ NODE_ENV: "development", APP_URL: undefined, AUTH_TRUST_HOST: undefined, PORT: "3302" });
    expect((await resetLinkFor({ host: "127.0.0.1:3302" })).origin).toBe("http://127.0.0.1:3302");
    expect((await resetLinkFor({ host: "localhost:3302" })).origin).toBe("http://localhost:3302");
    expect((await resetLinkFor({ host: "evil.test" })).origin).toBe("http://localhost:3302");
  });

  it("production: APP_URL only, a forged Host or X-Forwarded-Host is ignored", async () => {
    setTestEnv({ NODE_ENV: "production", APP_URL: "https://app.example.com", AUTH_TRUST_HOST: "true" });
    const link = await resetLinkFor({ host: "evil.test", "x-forwarded-host": "evil.test" });
    expect(link.origin).toBe("https://app.example.com");
    expect(link.pathname).toBe("/reset-password");
  });

  it("invitations created through the API use the same origin", async () => {
    setTestEnv({ NODE_ENV: "development", APP_URL: undefined, AUTH_TRUST_HOST: undefined, PORT: "3302" });
    request.headers = new Headers({ host: "127.0.0.1:3302" });
    const t = await createTeam();
    actAs(t.admin);
    const res = await invite(
      jsonRequest(`/api/orgs/${t.org.slug}/invitations`, "POST", {
        email: "new-hire@example.test",
        role: "member",
      }),
      routeArgs({ org: t.org.slug }),
    );
    expect(res.status).toBe(201);
    const { inviteUrl } = (await res.json()) as { inviteUrl: string };
    expect(inviteUrl).toMatch(/^http:\/\/127\.0\.0\.1:3302\/invite\//);
    expect(outbox().at(-1)?.text).toContain(inviteUrl);
  });
});
