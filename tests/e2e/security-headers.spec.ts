import { type APIResponse, expect, type Page, test } from "@playwright/test";
import { newPage, signUp, uniqueEmail } from "./support";

const BASELINE = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "x-frame-options": "DENY",
};

function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

/** Every security header; returns the CSP nonce. */
function expectSecurityHeaders(res: APIResponse): string {
  const headers = res.headers();
  expect(headers).toMatchObject(BASELINE);
  const csp = directives(headers["content-security-policy"] ?? "");
  const nonce = csp["script-src"]?.find((v) => v.startsWith("'nonce-"))?.slice(7, -1) ?? "";
  expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  expect(csp).toMatchObject({
    "default-src": ["'self'"],
    // No 'unsafe-eval' in a production build.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
  });
  expect(csp["form-action"]?.slice(0, 2)).toEqual(["'self'", "https:"]);
  // The test server is production on plain http (APP_URL http://localhost): no HSTS there.
  expect(headers["strict-transport-security"]).toBeUndefined();
  return nonce;
}

test("pages, API routes and static files carry the security headers", async ({ request }) => {
  for (const path of ["/", "/sign-in"]) {
    const res = await request.get(path);
    expect(res.status()).toBe(200);
    const nonce = expectSecurityHeaders(res);
    // Next put this request's nonce on its scripts, so they may run.
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  }
  const first = expectSecurityHeaders(await request.get("/sign-in"));
  expect(expectSecurityHeaders(await request.get("/sign-in"))).not.toBe(first);

  const api = await request.get("/api/health");
  expect(api.status()).toBe(200);
  expectSecurityHeaders(api);
  const apiError = await request.get("/api/orgs/nope/projects");
  expect(apiError.status()).toBe(401);
  expectSecurityHeaders(apiError);

  const icon = await request.get("/favicon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()).toMatchObject(BASELINE);
});

/** CSP violations and console errors of every document the page opens. */
async function watchForViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeBinding("__reportCspViolation", (_source, text: string) => {
    problems.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void })
        .__reportCspViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test("the app runs under the CSP: no violations, pages hydrate, forms work", async ({ browser }) => {
  const page = await newPage(browser);
  const problems = await watchForViolations(page);

  await page.goto("/");
  await page.waitForLoadState("networkidle");
  // next-themes' inline script ran (with the nonce) and set the theme class before hydration.
  await expect(page.locator("html")).toHaveClass(/\b(light|dark)\b/);

  // The sign-up form (a server action) and the create-organization form (client code calling an
  // action, then router.push) only work once React has hydrated under the policy.
  await signUp(page, { name: "Cora Csp", email: uniqueEmail("cora") });
  await expect(page).toHaveURL(/\/orgs/);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Organization name").fill(`Csp ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/csp-[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: /welcome, cora/i })).toBeVisible();
  await page.waitForLoadState("networkidle");

  expect(problems).toEqual([]);
});

test("a signed-in user's callbackUrl with a tab or newline stays on the site and does not 500", async ({
  browser,
  baseURL,
}) => {
  const page = await newPage(browser);
  await signUp(page, { name: "Rex Redirect", email: uniqueEmail("rex") });
  for (const attack of ["/%09/evil.test/x", "/%0a/evil.test/x", "/%0d%0a/evil.test/x", "//evil.test/x"]) {
    for (const path of ["/sign-in", "/sign-up"]) {
      const res = await page.request.get(`${path}?callbackUrl=${attack}`, { maxRedirects: 0 });
      expect(res.status(), `${path}?callbackUrl=${attack}`).toBeLessThan(400);
      const location = res.headers().location ?? "";
      expect(new URL(location, baseURL).origin, `${path}?callbackUrl=${attack} → ${location}`).toBe(
        new URL(baseURL ?? "").origin,
      );
      expect(location).not.toContain("evil.test");
    }
  }
});
