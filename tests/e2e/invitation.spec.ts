import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { invite, mailedLink, newPage, PASSWORD, signUp, uniqueEmail } from "./support";

/**
 * An invitation to an address with no account yet, followed from the email as the invitee would:
 * the page leads with "Create account", the sign-up form has the invited address filled in and
 * locked, and the new account is not asked to confirm the address the invitation went to.
 */
test("a new address follows the invitation email: create account, prefilled, no verification asked", async ({
  browser,
}) => {
  const owner = await newPage(browser);
  await signUp(owner, { name: "Olivia Owner", email: uniqueEmail("owner") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Clinic ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/clinic-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);

  const email = uniqueEmail("nina");
  await invite(owner, orgSlug, email, "Member");

  const invitee = await newPage(browser);
  const link = new URL(await mailedLink(email, "/invite/"));
  await invitee.goto(`${link.pathname}${link.search}`);

  // Creating the account comes first; signing in is the secondary path.
  const create = invitee.getByRole("link", { name: "Create account" });
  const signIn = invitee.getByRole("link", { name: "Sign in" });
  await expect(create).toBeVisible();
  await expect(signIn).toBeVisible();
  const [createBox, signInBox] = await Promise.all([create.boundingBox(), signIn.boundingBox()]);
  expect(createBox?.y ?? Infinity).toBeLessThan(signInBox?.y ?? 0);
  await create.click();

  // The invited address, filled in and locked.
  await expect(invitee).toHaveURL(/\/sign-up\?/);
  const emailField = invitee.getByLabel("Email");
  await expect(emailField).toHaveValue(email);
  await expect(emailField).not.toBeEditable();
  await invitee.getByLabel("Name").fill("Nina New");
  await invitee.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await invitee.getByRole("button", { name: /create account/i }).click();

  // Back on the invitation, signed in; accepting lands in the organization with nothing to verify.
  await expect(invitee).toHaveURL(new RegExp(link.pathname));
  await invitee.getByRole("button", { name: /accept and join/i }).click();
  await expect(invitee).toHaveURL(new RegExp(`/${orgSlug}$`));
  await expect(invitee.getByText("Confirm your email address")).toHaveCount(0);
  const log = readFileSync(process.env.E2E_SERVER_LOG ?? ".data/e2e/server.log", "utf8");
  expect(log).toContain(`To: ${email} | You're invited`);
  expect(log).not.toContain(`To: ${email} | Confirm your email`);

  // The copied link (no proof from the email) still works, but that address must be confirmed.
  const other = uniqueEmail("otto");
  await invite(owner, orgSlug, other, "Viewer");
  const copied = new URL(await mailedLink(other, "/invite/"));
  const second = await newPage(browser);
  await second.goto(copied.pathname);
  await second.getByRole("link", { name: "Create account" }).click();
  await expect(second.getByLabel("Email")).toHaveValue(other);
  await second.getByLabel("Name").fill("Otto Other");
  await second.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await second.getByRole("button", { name: /create account/i }).click();
  await expect(second).toHaveURL(new RegExp(copied.pathname));
  await second.getByRole("button", { name: /accept and join/i }).click();
  await expect(second).toHaveURL(new RegExp(`/${orgSlug}$`));
  await expect(second.getByText("Confirm your email address")).toBeVisible();
});
