import { expect, test } from "@playwright/test";
import { invite, join, mailedLink, newPage, signIn, signUp, uniqueEmail } from "./support";

/**
 * The first day of a team: an owner signs up, creates an organization and a project, invites a
 * member and a viewer who accept by email link; the member sees the project, the viewer cannot
 * change it; signing out ends the session.
 */
test("sign up, create an org and a project, invite a member and a viewer, sign out", async ({ browser }) => {
  const owner = await newPage(browser);
  const ownerEmail = uniqueEmail("owner");
  await signUp(owner, { name: "Olivia Owner", email: ownerEmail });

  // A new user without an organization is asked to create one.
  await expect(owner).toHaveURL(/\/orgs/);
  const orgName = `Dental ${Date.now().toString(36)}`;
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(orgName);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/dental-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);
  await expect(owner.getByRole("heading", { name: "Welcome, Olivia" })).toBeVisible();
  await expect(owner.getByText(orgName).first()).toBeVisible();

  // A project with a brief.
  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Booking app");
  await owner.getByLabel("Description").fill("Online booking for a dental practice");
  await owner
    .getByLabel("Brief")
    .fill("Patients book, move and cancel appointments; staff manage the calendar.");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app$`));
  await expect(owner.getByRole("heading", { name: "Booking app" })).toBeVisible();

  // Invitations: a member and a viewer.
  const memberEmail = uniqueEmail("mia");
  const viewerEmail = uniqueEmail("victor");
  await invite(owner, orgSlug, memberEmail, "Member");
  await invite(owner, orgSlug, viewerEmail, "Viewer");

  // The member accepts from the emailed link, signing up on the way, and sees the project.
  const member = await newPage(browser);
  const memberLink = new URL(await mailedLink(memberEmail, "/invite/"));
  await member.goto(memberLink.pathname);
  await signUp(member, { name: "Mia Member", email: memberEmail, next: memberLink.pathname });
  await expect(member).toHaveURL(new RegExp(memberLink.pathname));
  await member.getByRole("button", { name: /accept and join/i }).click();
  await expect(member).toHaveURL(new RegExp(`/${orgSlug}$`));
  await member.goto(`/${orgSlug}/projects`);
  await member.getByRole("link", { name: "Booking app" }).first().click();
  await expect(member.getByRole("heading", { name: "Booking app" })).toBeVisible();
  await expect(
    member.getByRole("link", { name: "Edit" }).or(member.getByRole("button", { name: "Edit" })),
  ).toBeVisible();

  // The viewer sees the project but nothing to change, and the server refuses a change anyway.
  const viewer = await join(browser, viewerEmail, "Victor Viewer", orgSlug);
  await viewer.goto(`/${orgSlug}/projects/booking-app`);
  await expect(viewer.getByRole("heading", { name: "Booking app" })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Archive" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await viewer.goto(`/${orgSlug}/projects/new`);
  await expect(viewer.getByText(/don.t have access/i)).toBeVisible();
  const refused = await viewer.request.patch(`/api/orgs/${orgSlug}/projects/booking-app`, {
    data: { name: "Hijacked" },
  });
  expect(refused.status()).toBe(403);

  // Another organization's user gets a 404, not a hint that the organization exists.
  const stranger = await newPage(browser);
  await signUp(stranger, { name: "Sam Stranger", email: uniqueEmail("sam") });
  const strangerPage = await stranger.goto(`/${orgSlug}/projects/booking-app`);
  expect(strangerPage?.status()).toBe(404);
  expect((await stranger.request.get(`/api/orgs/${orgSlug}/projects`)).status()).toBe(404);

  // The owner sees every change in the audit log.
  await owner.goto(`/${orgSlug}/audit`);
  await expect(owner.getByRole("table").getByText("invitation.accept").first()).toBeVisible();
  await expect(owner.getByRole("table").getByText("project.create").first()).toBeVisible();

  // Signing out ends the session at once: the app sends the member back to sign in.
  await member.goto(`/${orgSlug}`);
  await member.getByRole("button", { name: "Account menu" }).click();
  await member.getByRole("menuitem", { name: /sign out/i }).click();
  await expect(member).toHaveURL(/\/sign-in/);
  await member.goto(`/${orgSlug}/projects`);
  await expect(member).toHaveURL(/\/sign-in/);

  // And the member can sign back in with their password.
  await signIn(member, memberEmail);
  await member.goto(`/${orgSlug}/projects`);
  await expect(member.getByRole("link", { name: "Booking app" }).first()).toBeVisible();
});
