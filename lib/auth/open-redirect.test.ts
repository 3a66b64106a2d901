import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import SignInPage from "@/app/(auth)/sign-in/page";
import SignUpPage from "@/app/(auth)/sign-up/page";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...nextauth]/route";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { createUser } from "@/tests/support/factories";
import { actAs } from "@/tests/support/session";
import { signInAction } from "./actions";
import { IDLE } from "./form-state";
import { hashPassword } from "./password";

// The browser's cookies, as next/headers shows them to server actions and as Auth.js sets them.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  headers: async () =>
    new Headers({
      host: "localhost:3000",
      "x-forwarded-proto": "http",
      "user-agent": "vitest-browser",
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
    }),
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => (value === "" ? jar.delete(name) : jar.set(name, value)),
    delete: (name: string) => jar.delete(name),
  }),
}));

// Pages wait for the request with connection(); here the test is the request.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const APP = "http://localhost:3000";
const PASSWORD = "Zebra-Lantern-42";

// What the browser's query string `?callbackUrl=/%09/evil.test/x` (and its newline and CR LF
// variants) decodes to, plus the literal forms a form field can carry.
const ATTACKS = [
  "/\t/evil.test/x",
  "/\n/evil.test/x",
  "/\r\n/evil.test/x",
  "/x\r\nSet-Cookie: pwned=1",
  "/%09/evil.test/x",
  "/%0a/evil.test/x",
  "//evil.test/x",
  "/\\evil.test/x",
  "/.//evil.test/x",
  "https://evil.test/x",
  "javascript:alert(document.domain)",
];

/** The redirect a server action or server component threw (Next's redirect() digest). */
async function redirectOf(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    (value) => {
      throw new Error(`expected a redirect, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  const digest = (error as { digest?: string }).digest;
  if (!digest?.startsWith("NEXT_REDIRECT")) throw error;
  return digest.split(";").slice(2, -2).join(";");
}

/**
 * Where a browser at APP would end up: the Location value must be a valid header (a control
 * character in it is what made Next answer 500) and resolve, after the URL parser strips tabs and
 * newlines as browsers do, to this origin.
 */
function expectStaysOnSite(location: string) {
  expect(() => new Headers({ location })).not.toThrow();
  const unsafe = [...location].filter(
    (c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === "\\",
  );
  expect(unsafe).toEqual([]);
  expect(new URL(location, APP).origin).toBe(APP);
  expect(location.startsWith("//")).toBe(false);
}

async function passwordUser(): Promise<string> {
  const email = `redirect-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await (await getDb())
    .insert(users)
    .values({ email, name: "Rae", passwordHash: await hashPassword(PASSWORD) });
  return email;
}

beforeAll(async () => {
  await getDb();
});

describe("callbackUrl after password sign-in (server action)", () => {
  it.each(ATTACKS)("%j stays on the site", async (callbackUrl) => {
    jar.clear();
    const form = new FormData();
    form.set("email", await passwordUser());
    form.set("password", PASSWORD);
    form.set("callbackUrl", callbackUrl);
    expectStaysOnSite(await redirectOf(signInAction(IDLE, form)));
  });

  it("keeps a same-origin callback", async () => {
    jar.clear();
    const form = new FormData();
    form.set("email", await passwordUser());
    form.set("password", PASSWORD);
    form.set("callbackUrl", "/acme/projects?tab=runs");
    expect(await redirectOf(signInAction(IDLE, form))).toBe(`${APP}/acme/projects?tab=runs`);
  });
});

describe("callbackUrl on the sign-in and sign-up pages of a signed-in user", () => {
  it.each(ATTACKS)("%j stays on the site", async (callbackUrl) => {
    actAs(await createUser());
    const searchParams = Promise.resolve({ callbackUrl });
    expectStaysOnSite(await redirectOf(SignInPage({ searchParams })));
    expectStaysOnSite(await redirectOf(SignUpPage({ searchParams })));
    actAs(null);
  });
});

describe("callbackUrl posted straight to the Auth.js route", () => {
  async function csrf(): Promise<{ token: string; cookie: string }> {
    const res = await authGet(new NextRequest(`${APP}/api/auth/csrf`));
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    return { token: csrfToken, cookie };
  }

  it.each(ATTACKS)("%j: no redirect off-site and no 500", async (callbackUrl) => {
    const { token, cookie } = await csrf();
    const body = new URLSearchParams({
      csrfToken: token,
      email: await passwordUser(),
      password: PASSWORD,
      callbackUrl,
    });
    const res = await authPost(
      new NextRequest(`${APP}/api/auth/callback/credentials`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: body.toString(),
      }),
    );
    expect(res.status).toBeLessThan(500);
    const location = res.headers.get("location") ?? "";
    expectStaysOnSite(location);
    // The callback URL Auth.js keeps in a cookie for later redirects is cleaned the same way.
    const kept = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("authjs.callback-url="))
      ?.split(";")[0]
      ?.slice("authjs.callback-url=".length);
    if (kept) expectStaysOnSite(decodeURIComponent(kept));
  });
});
