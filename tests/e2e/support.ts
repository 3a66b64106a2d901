import { randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Browser, expect, type Page, test } from "@playwright/test";

/** Where the server under test writes its log (emails are logged there when SMTP is not set). */
const SERVER_LOG = process.env.E2E_SERVER_LOG ?? ".data/e2e/server.log";

export const PASSWORD = "correct horse battery staple 7";

export function uniqueEmail(name: string, domain = "example.test") {
  return `${name}-${randomUUID().slice(0, 8)}@${domain}`;
}

/** The last link to `pathPrefix` mailed to `email`, read from the server log like a user reads mail. */
export async function mailedLink(email: string, pathPrefix: string): Promise<string> {
  const pattern = new RegExp(
    `To: ${email.replace(/[.+]/g, "\\$&")}[\\s\\S]*?(https?://\\S*${pathPrefix}\\S+)`,
    "g",
  );
  for (let i = 0; i < 50; i++) {
    const matches = [...readFileSync(SERVER_LOG, "utf8").matchAll(pattern)];
    const last = matches.at(-1)?.[1];
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No ${pathPrefix} link mailed to ${email} in ${SERVER_LOG}`);
}

// Starts at a random person so reruns against one long-running server (E2E_BASE_URL) do not reuse
// the client IPs, and so the per-IP sign-up limit, of the previous run.
let people = randomInt(0, 60_000);

/**
 * A fresh browser context: another person, with cookies and a client IP of their own. The
 * harness stands in for the trusted proxy (AUTH_TRUST_HOST), so per-IP limits such as 5 sign-ups
 * per 10 minutes count each person apart, as they would from their own machines.
 */
export async function newPage(browser: Browser): Promise<Page> {
  people++;
  const ip = `198.18.${Math.floor(people / 250) % 250}.${(people % 250) + 1}`;
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    extraHTTPHeaders: { "x-forwarded-for": ip },
  });
  return context.newPage();
}

export async function signUp(page: Page, opts: { name: string; email: string; next?: string }) {
  await page.goto(opts.next ? `/sign-up?callbackUrl=${encodeURIComponent(opts.next)}` : "/sign-up");
  await page.getByLabel("Name").fill(opts.name);
  await page.getByLabel("Email").fill(opts.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}

export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/** The owner invites someone with a role from the members page. */
export async function invite(owner: Page, orgSlug: string, email: string, role: "Member" | "Viewer") {
  await owner.goto(`/${orgSlug}/members`);
  const dialog = owner.getByRole("dialog");
  await expect(async () => {
    await owner.getByRole("button", { name: "Invite member" }).click();
    await expect(dialog).toBeVisible({ timeout: 1000 });
  }).toPass();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").click();
  await owner.getByRole("option", { name: role }).click();
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(email).first()).toBeVisible();
}

/** The invitee opens the emailed link, signs up on the way and accepts. */
export async function join(
  browser: Parameters<typeof newPage>[0],
  email: string,
  name: string,
  orgSlug: string,
) {
  const page = await newPage(browser);
  const link = new URL(await mailedLink(email, "/invite/"));
  await signUp(page, { name, email, next: link.pathname });
  await page.getByRole("button", { name: /accept and join/i }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}$`));
  return page;
}
