import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as authRouteGet } from "@/app/api/auth/[...nextauth]/route";
import { getDb } from "@/db";
import {
  accounts,
  auditLogs,
  membershipRemovals,
  memberships,
  ssoConnections,
  userSessions,
  users,
} from "@/db/schema";
import { parseWith } from "@/lib/api/route";
import { acceptInvitation } from "@/lib/invitations/accept-invitation";
import { createInvitation } from "@/lib/invitations/create-invitation";
import { removeMember } from "@/lib/members/remove-member";
import { resolveOrgContext } from "@/lib/orgs/context";
import { withSsoConnection } from "@/lib/sso/provider";
import { ssoProviderId } from "@/lib/sso/provider-id";
import { ssoConnectionInputSchema } from "@/lib/sso/schemas";
import { upsertSsoConnection } from "@/lib/sso/upsert-connection";
import { startDnsServer, type TestDnsServer, useDnsServer } from "@/tests/support/dns-server";
import { setTestEnv } from "@/tests/support/env";
import { createTeam } from "@/tests/support/factories";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";
import { publishAndVerify } from "@/tests/support/sso-domains";
import { forgotPasswordAction, signInAction, signOutAction, signUpAction, ssoSignInAction } from "./actions";
import { IDLE } from "./form-state";
import { auth, signIn } from "./index";
import { hashPassword } from "./password";
import { revokeUserSessions } from "./sessions";
import { signInErrorMessage } from "./sign-in-messages";

// The browser's cookies for the app: what `next/headers` shows server code and what it sets.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => {
  const serialize = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  return {
    headers: async () =>
      new Headers({
        host: "localhost:3000",
        "x-forwarded-proto": "http",
        "x-forwarded-for": "198.51.100.4",
        "user-agent": "vitest-browser",
        cookie: serialize(),
      }),
    cookies: async () => ({
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      set: (name: string, value: string, options?: { maxAge?: number; expires?: Date | number }) => {
        const expired =
          options?.maxAge === 0 ||
          (options?.expires !== undefined && new Date(options.expires).getTime() < Date.now());
        if (expired || value === "") jar.delete(name);
        else jar.set(name, value);
      },
      delete: (name: string) => jar.delete(name),
    }),
  };
});

const APP = "http://localhost:3000";
const uid = () => randomUUID().slice(0, 8);

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
}

/** Runs a server action that must end in `redirect()`; returns where it redirects. */
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

function storeSetCookies(res: Response, target: Map<string, string>) {
  for (const line of res.headers.getSetCookie()) {
    const [pair = "", ...attrs] = line.split(";");
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    const expired = attrs.some((a) => /^\s*max-age=0$/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
    if (expired || value === "") target.delete(name);
    else target.set(name, value);
  }
}

/** A browser at the IdP: follows redirects, fills the dev login form, stops when sent back to the app. */
async function loginAtIdp(authorizeUrl: string, login: string): Promise<string> {
  const idpCookies = new Map<string, string>();
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...idpCookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    storeSetCookies(res, idpCookies);
    init = {};
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).toString();
      if (url.startsWith(APP)) return url;
      continue;
    }
    const html = await res.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`unexpected IdP page (${res.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replaceAll("&amp;", "&"), url).toString();
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "anything" }).toString(),
    };
  }
  throw new Error("too many redirects at the IdP");
}

/** The IdP's redirect back to the app, handled by the real Auth.js route. */
async function callback(url: string): Promise<Response> {
  const res = await authRouteGet(
    new NextRequest(url, {
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
        "user-agent": "vitest-browser",
        "x-forwarded-for": "198.51.100.4",
      },
    }),
  );
  storeSetCookies(res, jar);
  return res;
}

const SESSION = "authjs.session-token";

let idp: TestOidcProvider;
let dns: TestDnsServer;
let team: Awaited<ReturnType<typeof createTeam>>;
const connectionId = randomUUID();
const domain = `sso-${uid()}.test`;
const adminMeta = { ip: null, userAgent: null };

/** An organization admin connects `issuer` for `domains` (unverified until they publish the TXT record). */
async function connect(
  t: Awaited<ReturnType<typeof createTeam>>,
  id: string,
  issuer: string,
  domains: string[],
  extra: Record<string, unknown> = {},
) {
  const ctx = await resolveOrgContext(t.admin, t.org.slug, "sso.manage", adminMeta);
  await upsertSsoConnection(
    ctx,
    parseWith(ssoConnectionInputSchema, {
      id,
      issuer,
      clientId: "dafnck",
      clientSecret: "idp-secret",
      domains,
      ...extra,
    }),
  );
  return ctx;
}

beforeAll(async () => {
  process.env.SSO_ALLOW_INSECURE_ISSUER = "1";
  // The test IdP listens on loopback.
  process.env.ALLOW_PRIVATE_NETWORK_URLS = "1";
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
  dns = await startDnsServer();
  useDnsServer(dns);
  idp = await startOidcProvider({
    port: 0,
    clientId: "dafnck",
    clientSecret: "idp-secret",
    redirectUris: [`${APP}/api/auth/callback/sso-${connectionId}`],
  });
  team = await createTeam();
  const ctx = await connect(team, connectionId, idp.issuer, [domain], { defaultRole: "viewer" });
  await publishAndVerify(dns, ctx, domain);
});
afterAll(async () => {
  await idp.stop();
  await dns.stop();
  process.env.SSO_ALLOW_INSECURE_ISSUER = "0";
  delete process.env.ALLOW_PRIVATE_NETWORK_URLS;
  (globalThis as { __dmEnv?: unknown }).__dmEnv = undefined;
  useDnsServer(null);
});

describe("SSO sign-in through a real OIDC provider", () => {
  it("signs in, creates the user, adds a just-in-time membership, and lands in the organization", async () => {
    jar.clear();
    const email = `alice-${uid()}@${domain}`;
    const authorizeUrl = await redirectOf(ssoSignInAction(IDLE, form({ email: email.toUpperCase() })));
    const authorize = new URL(authorizeUrl);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/callback/sso-${connectionId}`);
    expect(authorize.searchParams.get("login_hint")).toBe(email);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("state")).toBeTruthy();

    const back = await loginAtIdp(authorizeUrl, email);
    expect(back.startsWith(`${APP}/api/auth/callback/sso-${connectionId}?`)).toBe(true);
    const res = await callback(back);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${APP}/${team.org.slug}`);
    expect(jar.get(SESSION)).toBeTruthy();

    const session = await auth();
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.email, email));
    if (!user) throw new Error("the SSO sign-in created no user");
    expect(user.emailVerified).toBeInstanceOf(Date);
    expect(session?.user).toMatchObject({ id: user.id, email });

    const [membership] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, team.org.id), eq(memberships.userId, user.id)));
    expect(membership?.role).toBe("viewer");
    const audit = await db
      .select({ action: auditLogs.action, actorId: auditLogs.actorId, ip: auditLogs.ip })
      .from(auditLogs)
      .where(and(eq(auditLogs.orgId, team.org.id), eq(auditLogs.actorId, user.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["auth.sign_in_sso", "member.join"]);
    expect(audit[0]?.ip).toBe("198.51.100.4");
    const sessions = await db.select().from(userSessions).where(eq(userSessions.userId, user.id));
    expect(sessions).toMatchObject([{ provider: `sso-${connectionId}`, revokedAt: null }]);

    // Signing in again keeps the membership (no second join).
    jar.clear();
    const again = await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email);
    expect((await callback(again)).headers.get("location")).toBe(`${APP}/${team.org.slug}`);
    const joins = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.actorId, user.id), eq(auditLogs.action, "member.join")));
    expect(joins).toHaveLength(1);
  });

  it("links an existing password account with the same, verified, email", async () => {
    jar.clear();
    const db = await getDb();
    const email = `bob-${uid()}@${domain}`;
    const [bob] = await db
      .insert(users)
      .values({
        email,
        name: "Bob",
        passwordHash: await hashPassword("Zebra-Lantern-42"),
        emailVerified: new Date(),
      })
      .returning({ id: users.id });
    const res = await callback(
      await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email),
    );
    expect(res.headers.get("location")).toBe(`${APP}/${team.org.slug}`);
    expect((await auth())?.user?.id).toBe(bob?.id);
  });

  it("refuses an email outside the connection's domains", async () => {
    jar.clear();
    const email = `mallory-${uid()}@elsewhere.test`;
    const res = await callback(
      await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email: `mallory@${domain}` }))), email),
    );
    expect(res.headers.get("location")).toMatch(/\/sign-in\?error=SsoDomain/);
    expect(jar.has(SESSION)).toBe(false);
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("returns to the requested page when it is inside the organization", async () => {
    jar.clear();
    const email = `gina-${uid()}@${domain}`;
    const inside = `/${team.org.slug}/projects?tab=all`;
    const start = ssoSignInAction(IDLE, form({ email, callbackUrl: inside }));
    expect((await callback(await loginAtIdp(await redirectOf(start), email))).headers.get("location")).toBe(
      `${APP}${inside}`,
    );
    jar.clear();
    const outside = ssoSignInAction(IDLE, form({ email, callbackUrl: `/${team.otherOrg.slug}` }));
    expect((await callback(await loginAtIdp(await redirectOf(outside), email))).headers.get("location")).toBe(
      `${APP}/${team.org.slug}`,
    );
  });

  it("says when the organization turned its connection off", async () => {
    const db = await getDb();
    await db.update(ssoConnections).set({ enabled: false }).where(eq(ssoConnections.id, connectionId));
    try {
      const state = await ssoSignInAction(IDLE, form({ email: `x@${domain}` }));
      expect(state.message).toMatch(/turned off/);
    } finally {
      await db.update(ssoConnections).set({ enabled: true }).where(eq(ssoConnections.id, connectionId));
    }
  });

  it("says so when no organization owns the email's domain", async () => {
    const state = await ssoSignInAction(IDLE, form({ email: "someone@no-sso-here.test" }));
    expect(state).toMatchObject({ status: "error", message: "No SSO connection for this domain." });
    expect(state.fieldErrors?.email?.[0]).toMatch(/No SSO connection for this domain/);
  });

  it("makes every request to the IdP through the guarded fetch (discovery at sign-in, token at callback)", async () => {
    jar.clear();
    const email = `erin-${uid()}@${domain}`;
    // The connection was saved while loopback was allowed; the operator has since turned it off.
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    try {
      const refused = await ssoSignInAction(IDLE, form({ email })).catch((e: unknown) => e);
      const digest = String((refused as { digest?: string })?.digest ?? "");
      expect(digest.includes(idp.issuer)).toBe(false);
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    }

    // Authorized at the IdP while allowed; the server's code exchange then is not.
    const back = await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email);
    setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "0" });
    try {
      const res = await callback(back);
      expect(res.headers.get("location")).not.toBe(`${APP}/${team.org.slug}`);
      expect(jar.has(SESSION)).toBe(false);
    } finally {
      setTestEnv({ ALLOW_PRIVATE_NETWORK_URLS: "1" });
    }
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });
});

describe("sessions end on the next request", () => {
  it("sign-out revokes the session row, so even the old cookie stops working", async () => {
    jar.clear();
    const email = `carol-${uid()}@${domain}`;
    await callback(await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email));
    const cookie = jar.get(SESSION) ?? "";
    expect(cookie).not.toBe("");
    expect((await auth())?.user?.email).toBe(email);

    expect(await redirectOf(signOutAction())).toMatch(/\/sign-in$/);
    expect(jar.has(SESSION)).toBe(false);
    jar.set(SESSION, cookie);
    expect(await auth()).toBeNull();
  });

  it("revoking a user's sessions (admin action, password reset) ends them", async () => {
    jar.clear();
    const email = `dave-${uid()}@${domain}`;
    await callback(await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email));
    const userId = (await auth())?.user?.id ?? "";
    expect(userId).not.toBe("");
    await revokeUserSessions(await getDb(), userId);
    expect(await auth()).toBeNull();
  });
});

describe("password sign-in through the server action", () => {
  async function passwordUser(emailDomain = "example.test") {
    const db = await getDb();
    const email = `erin-${uid()}@${emailDomain}`;
    await db
      .insert(users)
      .values({ email, name: "Erin", passwordHash: await hashPassword("Zebra-Lantern-42") });
    return email;
  }

  it("signs in, sets the session cookie and redirects to the callback URL", async () => {
    jar.clear();
    const email = await passwordUser();
    const to = await redirectOf(
      signInAction(IDLE, form({ email, password: "Zebra-Lantern-42", callbackUrl: "/orgs?x=1" })),
    );
    expect(to).toBe(`${APP}/orgs?x=1`);
    expect((await auth())?.user?.email).toBe(email);
  });

  it("refuses an external callback URL", async () => {
    jar.clear();
    const email = await passwordUser();
    const to = await redirectOf(
      signInAction(IDLE, form({ email, password: "Zebra-Lantern-42", callbackUrl: "//evil.example/x" })),
    );
    expect(to).toBe(`${APP}/orgs`);
  });

  it("after 4 failures from this IP, makes the next try wait, even with the right password", async () => {
    jar.clear();
    const email = await passwordUser();
    for (let i = 0; i < 4; i++) {
      const state = await signInAction(IDLE, form({ email, password: `wrong-${i}` }));
      expect(state).toMatchObject({
        status: "error",
        message: "Invalid email or password.",
        values: { email },
      });
    }
    const state = await signInAction(IDLE, form({ email, password: "Zebra-Lantern-42" }));
    expect(state).toMatchObject({ status: "error", message: "Too many attempts. Try again in 1 second." });
    expect(jar.has(SESSION)).toBe(false);
  });

  it("sends users of an enforced SSO domain to SSO, for sign-in and sign-up", async () => {
    const db = await getDb();
    const email = await passwordUser(domain);
    await db.update(ssoConnections).set({ enforced: true }).where(eq(ssoConnections.id, connectionId));
    try {
      const state = await signInAction(IDLE, form({ email, password: "Zebra-Lantern-42" }));
      expect(state).toMatchObject({
        status: "error",
        message: "Your organization requires single sign-on. Continue with SSO.",
        ssoEmail: email,
      });
      const signUp = await signUpAction(
        IDLE,
        form({ name: "New", email: `new-${uid()}@${domain}`, password: "Zebra-Lantern-42" }),
      );
      expect(signUp).toMatchObject({ status: "error", ssoEmail: expect.stringContaining(domain) });
    } finally {
      await db.update(ssoConnections).set({ enforced: false }).where(eq(ssoConnections.id, connectionId));
    }
  });

  it("signs a new account up and in", async () => {
    jar.clear();
    const email = `frank-${uid()}@example.test`;
    const bad = await signUpAction(IDLE, form({ name: "", email, password: "password123456" }));
    expect(bad.status).toBe("error");
    expect(bad.fieldErrors?.name).toBeDefined();
    expect(bad.fieldErrors?.password?.join(" ")).toMatch(/too easy to guess/);
    const to = await redirectOf(
      signUpAction(IDLE, form({ name: "Frank", email, password: "Zebra-Lantern-42" })),
    );
    expect(to).toBe(`${APP}/orgs`);
    expect((await auth())?.user?.email).toBe(email);
  });
});

describe("anonymous auth endpoints are limited per IP", () => {
  const TOO_MANY = /^Too many requests\. Try again in \d+ (seconds?|minutes)\.$/;

  it("a sign-up flood (20 in 2 s from one IP) gets 5 accounts at most; the rest are refused", async () => {
    jar.clear();
    const run = uid();
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        signUpAction(
          IDLE,
          form({ name: `Bot ${i}`, email: `bot-${run}-${i}@example.test`, password: "Zebra-Lantern-42" }),
        ).catch((e: unknown) => e),
      ),
    );
    const refused = results.filter((r) => TOO_MANY.test((r as { message?: string }).message ?? ""));
    expect(refused.length).toBeGreaterThanOrEqual(15);
    const db = await getDb();
    const created = await db.select({ email: users.email }).from(users);
    expect(created.filter((u) => u.email.startsWith(`bot-${run}-`)).length).toBeLessThanOrEqual(5);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it("password reset requests and SSO lookups share the 20-a-minute budget per IP, with the wait in the message", async () => {
    for (let i = 0; i < 20; i++) {
      const state = await forgotPasswordAction(IDLE, form({ email: `nobody-${i}@example.test` }));
      expect(state.status).toBe("success");
    }
    const reset = await forgotPasswordAction(IDLE, form({ email: "one-more@example.test" }));
    expect(reset).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY) });
    const sso = await ssoSignInAction(IDLE, form({ email: `someone@${domain}` }));
    expect(sso).toMatchObject({ status: "error", message: expect.stringMatching(TOO_MANY) });
  });

  it("a NUL byte in a sign-up field is a field error, not a database error", async () => {
    const state = await signUpAction(
      IDLE,
      form({ name: "Nul\u0000Name", email: `n-${uid()}@example.test`, password: "Zebra-Lantern-42" }),
    );
    expect(state).toMatchObject({ status: "error", fieldErrors: { name: [expect.stringContaining("NUL")] } });
  });
});

const PASSWORD = "Zebra-Lantern-42";

/** Starts a sign-in through one named connection, as a visit to /api/auth/signin/sso-<id> would. */
function startSsoAt(connection: string): Promise<string> {
  return redirectOf(
    withSsoConnection(connection, () => signIn(ssoProviderId(connection), { redirectTo: "/orgs" })),
  );
}

async function ssoSignInAs(email: string): Promise<Response> {
  jar.clear();
  return callback(await loginAtIdp(await redirectOf(ssoSignInAction(IDLE, form({ email }))), email));
}

describe("attack: an organization claims a domain it does not own and runs its own IdP (issue 7)", () => {
  it("cannot sign in as the domain's existing user, link to them, or lock them out", async () => {
    const db = await getDb();
    const victimDomain = `victim-${uid()}.test`;
    const victimTeam = await createTeam();
    const victimEmail = `vera-${uid()}@${victimDomain}`;
    const [victim] = await db
      .insert(users)
      .values({
        email: victimEmail,
        name: "Vera",
        passwordHash: await hashPassword(PASSWORD),
        emailVerified: new Date(),
      })
      .returning({ id: users.id });
    if (!victim) throw new Error("no victim");
    await db.insert(memberships).values({ orgId: victimTeam.org.id, userId: victim.id, role: "admin" });

    // A self-registered attacker: own organization, own IdP that asserts any email typed in.
    const attackerConnection = randomUUID();
    const evilIdp = await startOidcProvider({
      port: 0,
      clientId: "dafnck",
      clientSecret: "idp-secret",
      redirectUris: [`${APP}/api/auth/callback/sso-${attackerConnection}`],
    });
    try {
      const attacker = await createTeam();
      const ctx = await connect(attacker, attackerConnection, evilIdp.issuer, [victimDomain]);
      // "Require SSO" on the unverified claim is refused; even set behind the app's back, it enforces nothing.
      const enforce = await upsertSsoConnection(
        ctx,
        parseWith(ssoConnectionInputSchema, {
          issuer: evilIdp.issuer,
          clientId: "dafnck",
          domains: [victimDomain],
          enforced: true,
        }),
      ).catch((e: unknown) => e);
      expect(enforce).toMatchObject({
        status: 422,
        fieldErrors: { enforced: [expect.stringMatching(/Verify a domain/)] },
      });
      await db
        .update(ssoConnections)
        .set({ enforced: true })
        .where(eq(ssoConnections.id, attackerConnection));

      // The domain routes nobody to the attacker's IdP.
      jar.clear();
      expect(await ssoSignInAction(IDLE, form({ email: victimEmail }))).toMatchObject({
        status: "error",
        message: "No SSO connection for this domain.",
      });

      // Straight to the connection's sign-in URL, the attacker's IdP asserts the victim: no session.
      const res = await callback(await loginAtIdp(await startSsoAt(attackerConnection), victimEmail));
      expect(res.headers.get("location")).toBe(
        `${APP}/${attacker.org.slug}/settings/sso?${new URLSearchParams({ test: "unverified", email: victimEmail })}`,
      );
      expect(jar.has(SESSION)).toBe(false);
      expect(await auth()).toBeNull();
      expect(await db.select().from(accounts).where(eq(accounts.userId, victim.id))).toHaveLength(0);
      const victimOrgs = await db
        .select({ orgId: memberships.orgId })
        .from(memberships)
        .where(eq(memberships.userId, victim.id));
      expect(victimOrgs).toEqual([{ orgId: victimTeam.org.id }]);

      // The victim still signs in with their password.
      jar.clear();
      const to = await redirectOf(signInAction(IDLE, form({ email: victimEmail, password: PASSWORD })));
      expect(to).toBe(`${APP}/orgs`);
      expect((await auth())?.user?.id).toBe(victim.id);
    } finally {
      await evilIdp.stop();
    }
  });
});

describe("attack: a password account registered with someone else's work email (issue 7)", () => {
  it("is not linked when the real person signs in through their organization's SSO", async () => {
    const db = await getDb();
    const email = `rosa-${uid()}@${domain}`;
    // The attacker signs up with the address; nobody verified it.
    jar.clear();
    expect(await redirectOf(signUpAction(IDLE, form({ name: "Not Rosa", email, password: PASSWORD })))).toBe(
      `${APP}/orgs`,
    );
    const [squatted] = await db.select().from(users).where(eq(users.email, email));
    if (!squatted) throw new Error("sign-up created no user");
    expect(squatted.emailVerified).toBeNull();

    // Rosa signs in through the organization's verified SSO: refused with an explanation.
    const res = await ssoSignInAs(email);
    const location = new URL(res.headers.get("location") ?? "", APP);
    expect(location.pathname).toBe("/sign-in");
    expect(location.searchParams.get("error")).toBe("SsoUnverifiedAccount");
    expect(signInErrorMessage(location.searchParams.get("error"))).toMatch(
      /An account with this email exists but its email address is not verified/,
    );
    expect(jar.has(SESSION)).toBe(false);
    expect(await db.select().from(accounts).where(eq(accounts.userId, squatted.id))).toHaveLength(0);
    const joined = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, team.org.id), eq(memberships.userId, squatted.id)));
    expect(joined).toHaveLength(0);
    const [after] = await db.select().from(users).where(eq(users.id, squatted.id));
    expect(after?.emailVerified).toBeNull();
  });
});

describe("an IdP that follows the spec: the email only in userinfo, not in the ID token", () => {
  it("signs in (the profile comes from userinfo)", async () => {
    const id = randomUUID();
    const conforming = await startOidcProvider({
      port: 0,
      clientId: "dafnck",
      clientSecret: "idp-secret",
      redirectUris: [`${APP}/api/auth/callback/sso-${id}`],
      conformIdTokenClaims: true,
    });
    try {
      const t = await createTeam();
      const d = `conform-${uid()}.test`;
      await publishAndVerify(dns, await connect(t, id, conforming.issuer, [d]), d);
      const email = `una-${uid()}@${d}`;
      const res = await ssoSignInAs(email);
      expect(res.headers.get("location")).toBe(`${APP}/${t.org.slug}`);
      expect((await auth())?.user?.email).toBe(email);
      // The IdP really kept the email out of the ID token.
      const db = await getDb();
      const [account] = await db
        .select()
        .from(accounts)
        .where(eq(accounts.provider, `sso-${id}`));
      const claims = JSON.parse(Buffer.from(account?.id_token?.split(".")[1] ?? "", "base64url").toString());
      expect(claims.sub).toBe(email);
      expect(claims.email).toBeUndefined();
    } finally {
      await conforming.stop();
    }
  });
});

describe("a member removed from the organization", () => {
  it("does not rejoin through JIT on the next SSO sign-in, unless re-invited or the connection re-admits", async () => {
    const db = await getDb();
    const email = `rita-${uid()}@${domain}`;
    await ssoSignInAs(email);
    const [rita] = await db.select().from(users).where(eq(users.email, email));
    if (!rita) throw new Error("no user");
    const membershipOf = () =>
      db
        .select()
        .from(memberships)
        .where(and(eq(memberships.orgId, team.org.id), eq(memberships.userId, rita.id)));
    const [joined] = await membershipOf();
    if (!joined) throw new Error("JIT did not add the member");

    const ownerCtx = await resolveOrgContext(team.owner, team.org.slug, "members.manage", adminMeta);
    await removeMember(ownerCtx, { memberId: joined.id });
    const back = await ssoSignInAs(email);
    expect(back.status).toBe(302);
    expect(await membershipOf()).toHaveLength(0);

    // An admin invites them back: accepted, the removal record is gone.
    const sent = await createInvitation(ownerCtx, { email, role: "member" });
    const token = sent.inviteUrl.split("/invite/")[1] ?? "";
    await acceptInvitation({ id: rita.id, email, name: rita.name }, adminMeta, { token });
    const [readded] = await membershipOf();
    if (!readded) throw new Error("the invitation did not re-add the member");
    const removals = () =>
      db
        .select()
        .from(membershipRemovals)
        .where(and(eq(membershipRemovals.orgId, team.org.id), eq(membershipRemovals.userId, rita.id)));
    expect(await removals()).toHaveLength(0);

    // Removed again; with "Re-admit removed members" on, JIT lets them back in.
    await removeMember(ownerCtx, { memberId: readded.id });
    expect(await removals()).toHaveLength(1);
    await db
      .update(ssoConnections)
      .set({ jitReadmitRemoved: true })
      .where(eq(ssoConnections.id, connectionId));
    try {
      await ssoSignInAs(email);
      expect(await membershipOf()).toHaveLength(1);
      expect(await removals()).toHaveLength(0);
    } finally {
      await db
        .update(ssoConnections)
        .set({ jitReadmitRemoved: false })
        .where(eq(ssoConnections.id, connectionId));
    }
  });
});
