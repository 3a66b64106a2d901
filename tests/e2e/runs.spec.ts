import { expect, type Page, test } from "@playwright/test";
import { ARCHITECTURE_OVERVIEW_SECTIONS } from "../../lib/agents/artifact-kinds";
import { invite, join, newPage, signUp, uniqueEmail } from "./support";

/**
 * A run as the team sees it, driven by the scripted demo model: the owner starts a "Technical
 * architecture overview" run from the UI and watches it stream; a reload mid-run resumes the
 * stream without repeating anything; a member follows the same run live; a viewer cannot approve;
 * the owner approves the gate and gets the document with every section; another organization
 * gets 404 for the page and the stream.
 */

const feed = (page: Page) => page.getByRole("log", { name: "Agent output" });
const statusBadge = (page: Page, label: string) => page.getByText(label, { exact: true }).first();

test("a technical architecture overview run streams live to the team", async ({ browser }) => {
  test.setTimeout(240_000);
  const owner = await newPage(browser);
  await signUp(owner, { name: "Olivia Owner", email: uniqueEmail("owner") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Swarm ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/swarm-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);

  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Booking app");
  await owner
    .getByLabel("Brief")
    .fill("Patients book, move and cancel appointments; staff manage the calendar.");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app$`));

  const memberEmail = uniqueEmail("mia");
  const viewerEmail = uniqueEmail("victor");
  await invite(owner, orgSlug, memberEmail, "Member");
  await invite(owner, orgSlug, viewerEmail, "Viewer");
  const member = await join(browser, memberEmail, "Mia Member", orgSlug);
  const viewer = await join(browser, viewerEmail, "Victor Viewer", orgSlug);

  // Start the run from the UI.
  await owner.goto(`/${orgSlug}/projects/booking-app/runs/new`);
  await owner.waitForLoadState("networkidle");
  await owner
    .getByLabel("Goal")
    .fill("Describe the architecture of the booking app for the new engineering team.");
  await owner.getByRole("combobox", { name: "Template" }).click();
  await owner.getByRole("option", { name: "Technical architecture overview" }).click();
  await owner.getByRole("button", { name: "Start run" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });
  const runPath = new URL(owner.url()).pathname;
  const runId = runPath.split("/").pop() ?? "";
  await expect(owner.getByText("Demo model", { exact: false }).first()).toBeVisible();

  // The member follows the same run live from the start.
  await member.goto(runPath);

  // Text streams into the feed: it grows without a reload.
  await expect(feed(owner)).not.toBeEmpty({ timeout: 30_000 });
  const before = (await feed(owner).textContent())?.length ?? 0;
  await expect
    .poll(async () => (await feed(owner).textContent())?.length ?? 0, { timeout: 30_000 })
    .toBeGreaterThan(before);

  // Reload mid-run: the stream resumes from the page's last event.
  const resumed = owner.waitForRequest(
    (r) => r.url().includes(`/runs/${runId}/stream`) && /after=\d+/.test(r.url()),
  );
  await owner.reload();
  expect(Number(new URL((await resumed).url()).searchParams.get("after"))).toBeGreaterThan(0);

  // The gate: the member sees it arrive live; the viewer cannot approve, in the UI or the API.
  await expect(statusBadge(member, "Waiting for approval")).toBeVisible({ timeout: 120_000 });
  await viewer.goto(runPath);
  await expect(viewer.getByText("You can't approve runs")).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Approve" })).toHaveCount(0);
  const approvalId = await owner.evaluate(async (url) => {
    const res = await fetch(url);
    const detail = (await res.json()) as { approvals: { id: string; status: string }[] };
    return detail.approvals.find((a) => a.status === "pending")?.id ?? "";
  }, `/api/orgs/${orgSlug}/runs/${runId}`);
  expect(approvalId).not.toBe("");
  const refused = await viewer.request.post(`/api/orgs/${orgSlug}/runs/${runId}/approvals/${approvalId}`, {
    data: { decision: "approved", comment: "" },
    // As the page itself would send it, so the 403 is the viewer's role, not the cross-site check.
    headers: { origin: new URL(viewer.url()).origin },
  });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).not.toMatch(
    /another site/,
  );

  // The owner approves; the run completes, live on every page.
  await owner.getByRole("button", { name: "Approve" }).click();
  await expect(statusBadge(owner, "Completed")).toBeVisible({ timeout: 120_000 });
  await expect(statusBadge(member, "Completed")).toBeVisible({ timeout: 30_000 });
  await expect(statusBadge(viewer, "Completed")).toBeVisible({ timeout: 30_000 });

  // No duplicates: the feed that lived through the reload and the live stream shows exactly what
  // a fresh load of the whole log shows.
  const liveText = await feed(owner).textContent();
  const fresh = await newPageAs(owner);
  await fresh.goto(runPath);
  await expect(statusBadge(fresh, "Completed")).toBeVisible();
  // A finished run opens on its artifacts; the feed is one tab away.
  await fresh.getByRole("tab", { name: /feed/i }).click();
  expect(await feed(fresh).textContent()).toBe(liveText);

  // The document with all its sections.
  await owner.getByRole("tab", { name: /artifacts/i }).click();
  await owner
    .getByRole("button", { name: /technical architecture overview/i })
    .first()
    .click()
    .catch(() => {});
  for (const section of ARCHITECTURE_OVERVIEW_SECTIONS) {
    await expect(owner.getByRole("heading", { name: section, exact: false }).first()).toBeVisible();
  }

  // Another organization: 404 for the page and the stream.
  const stranger = await newPage(browser);
  await signUp(stranger, { name: "Sam Stranger", email: uniqueEmail("sam") });
  expect((await stranger.goto(runPath))?.status()).toBe(404);
  expect((await stranger.request.get(`/api/orgs/${orgSlug}/runs/${runId}/stream`)).status()).toBe(404);
});

/** A second tab of the same signed-in person. */
async function newPageAs(page: Page): Promise<Page> {
  return page.context().newPage();
}
