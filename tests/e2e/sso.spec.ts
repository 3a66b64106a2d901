import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startDnsServer, type TestDnsServer } from "../support/dns-server";
import { startOidcProvider, type TestOidcProvider } from "../support/oidc-provider";
import { newPage, PASSWORD, signUp, uniqueEmail } from "./support";

let idp: TestOidcProvider | undefined;
let dns: TestDnsServer | undefined;
// The app under test resolves SSO verification records here (tests/e2e/start-server.mjs).
const DNS_PORT = Number(process.env.E2E_PORT ?? 3100) + 2000;
test.beforeAll(async () => {
  dns = await startDnsServer(DNS_PORT);
});
test.afterAll(async () => {
  await idp?.stop();
  await dns?.stop();
});

/**
 * An admin connects the organization to its identity provider (a real OpenID Connect provider
 * running locally), proves the email domain with a DNS TXT record (a real DNS server), a
 * colleague signs in through it and joins just in time, and once SSO is required, password
 * sign-in for the domain is refused.
 */
test("SSO: configure a connection, verify the domain, sign in through the IdP, join just in time, enforce", async ({
  browser,
}) => {
  const domain = `corp-${randomUUID().slice(0, 6)}.test`;

  // Someone at the company already has a password account.
  const early = await newPage(browser);
  const earlyEmail = uniqueEmail("early", domain);
  await signUp(early, { name: "Early Bird", email: earlyEmail });

  const admin = await newPage(browser);
  await signUp(admin, { name: "Ada Admin", email: uniqueEmail("ada") });
  await admin.waitForLoadState("networkidle");
  await admin.getByLabel("Organization name").fill(`Corp ${Date.now().toString(36)}`);
  await admin.getByRole("button", { name: "Create organization" }).click();
  await expect(admin).toHaveURL(/\/corp-[a-z0-9]+$/);
  const orgSlug = new URL(admin.url()).pathname.slice(1);

  // The redirect URI to register at the IdP is shown before the connection is saved.
  await admin.goto(`/${orgSlug}/settings/sso`);
  await admin.waitForLoadState("networkidle");
  const redirectUri = (
    await admin.locator("code").filter({ hasText: "/api/auth/callback/sso-" }).textContent()
  )?.trim();
  expect(redirectUri).toMatch(/^http:\/\/localhost:\d+\/api\/auth\/callback\/sso-[0-9a-f-]{36}$/);
  idp = await startOidcProvider({
    port: 0,
    clientId: "dafnck-e2e",
    clientSecret: "e2e-client-secret-0123456789",
    redirectUris: [redirectUri as string],
  });

  await admin.getByLabel("Issuer URL").fill(idp.issuer);
  await admin.getByLabel("Client ID").fill("dafnck-e2e");
  await admin.getByLabel("Client secret").fill("e2e-client-secret-0123456789");
  await admin.getByLabel("Email domains").fill(domain);
  await admin.getByRole("button", { name: "Create connection" }).click();
  await expect(admin.getByRole("button", { name: "Save changes" })).toBeVisible();
  // The secret never comes back to the browser.
  await admin.reload();
  expect(await admin.content()).not.toContain("e2e-client-secret-0123456789");

  // Until the domain is verified, SSO cannot be required and routes nobody.
  await expect(admin.getByLabel("Require SSO")).toBeDisabled();
  const claim = admin.getByTestId(`sso-domain-${domain}`);
  await expect(claim.getByText("Not verified yet")).toBeVisible();
  const probe = await newPage(browser);
  await probe.goto("/sign-in");
  await expect(async () => {
    await probe.getByRole("button", { name: "Continue with SSO" }).first().click();
    await expect(probe.getByLabel("Work email")).toBeVisible({ timeout: 1000 });
  }).toPass();
  await probe.getByLabel("Work email").fill(uniqueEmail("early-probe", domain));
  await probe.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(probe.getByText("No SSO connection for this domain.").first()).toBeVisible();

  // "Test sign-in" goes through the IdP and back without signing anyone in.
  const testEmail = uniqueEmail("tester", domain);
  await admin.getByRole("button", { name: "Test sign-in" }).click();
  await expect(admin).toHaveURL(new RegExp(`^${idp.issuer}`));
  await admin.locator("input[name=login]").fill(testEmail);
  await admin.locator("input[name=password]").fill("anything");
  await admin.getByRole("button", { name: /sign-in/i }).click();
  await expect(admin).toHaveURL(new RegExp(`/${orgSlug}/settings/sso\\?test=unverified`));
  await expect(admin.getByText("Test sign-in worked")).toBeVisible();
  await expect(
    admin.getByText(`Your identity provider signed in ${testEmail}.`, { exact: false }),
  ).toBeVisible();

  // The admin publishes the TXT record shown on the page and verifies it.
  const [recordName, recordValue] = await claim.locator("code").allTextContents();
  expect(recordName).toBe(`_dafnckmachine.${domain}`);
  expect(recordValue).toMatch(/^dafnckmachine-verification=/);
  dns?.setTxt(recordName as string, recordValue as string);
  await claim.getByRole("button", { name: `Verify ${domain} now` }).click();
  await expect(claim.getByText("Verified", { exact: true })).toBeVisible();
  await expect(admin.getByLabel("Require SSO")).toBeEnabled();

  // A colleague signs in with SSO: the domain picks the connection, the IdP authenticates.
  const colleague = await newPage(browser);
  const colleagueEmail = uniqueEmail("carol", domain);
  await colleague.goto("/sign-in");
  await expect(async () => {
    await colleague.getByRole("button", { name: "Continue with SSO" }).first().click();
    await expect(colleague.getByLabel("Work email")).toBeVisible({ timeout: 1000 });
  }).toPass();
  await colleague.getByLabel("Work email").fill(colleagueEmail);
  await colleague.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(colleague).toHaveURL(new RegExp(`^${idp.issuer}`));
  await colleague.locator("input[name=login]").fill(colleagueEmail);
  await colleague.locator("input[name=password]").fill("anything");
  await colleague.getByRole("button", { name: /sign-in/i }).click();
  await expect(colleague).toHaveURL(new RegExp(`/${orgSlug}$`));
  await expect(colleague.getByRole("heading", { name: /welcome/i })).toBeVisible();

  // Just-in-time membership with the default role, visible to the admin.
  await admin.goto(`/${orgSlug}/members`);
  const row = admin.getByRole("row").filter({ hasText: colleagueEmail });
  await expect(row).toBeVisible();
  await expect(row.getByText("Member")).toBeVisible();
  await admin.goto(`/${orgSlug}/audit`);
  await expect(admin.getByRole("table").getByText("auth.sign_in_sso").first()).toBeVisible();

  // Require SSO: the password account in that domain can no longer sign in with its password.
  await admin.goto(`/${orgSlug}/settings/sso`);
  await admin.getByLabel("Require SSO").click();
  await admin.getByRole("button", { name: "Save changes" }).click();
  await expect(admin.getByText(/saved|updated/i).first()).toBeVisible();

  const blocked = await newPage(browser);
  await blocked.goto("/sign-in");
  await blocked.getByLabel("Email", { exact: true }).fill(earlyEmail);
  await blocked.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await blocked.getByRole("button", { name: /^sign in$/i }).click();
  await expect(blocked.getByText(/requires single sign-on/i).first()).toBeVisible();
  await expect(blocked).toHaveURL(/\/sign-in/);
});
