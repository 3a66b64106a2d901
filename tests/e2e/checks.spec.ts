import { expect, type Page, test } from "@playwright/test";
import { newPage, signUp, uniqueEmail } from "./support";

/**
 * Checks gate the work, in the browser: a Feature build on the scripted demo model writes a small
 * real program; its first implementation attempt has a real bug its own test catches. The red
 * check appears with its real output, the rework turns it green, and the run ends with a green
 * branch. The sandbox is the real bubblewrap (CI installs it).
 */

const badge = (page: Page, status: "passed" | "failed", text: RegExp) =>
  page.locator(`[data-slot=check-badge] [data-status=${status}]`).filter({ hasText: text }).first();

test("a failing check sends the task back, the rework turns it green, the branch ends green", async ({
  browser,
}) => {
  test.setTimeout(360_000);
  const owner = await newPage(browser);
  await signUp(owner, { name: "Tess Tester", email: uniqueEmail("tess") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Checks ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/checks-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);
  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Ledger");
  await owner.getByLabel("Brief").fill("A small ledger of invoices for a bakery, kept per organization.");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/ledger$`));

  await owner.goto(`/${orgSlug}/projects/ledger/runs/new`);
  await owner.waitForLoadState("networkidle");
  await owner
    .getByLabel("Goal")
    .fill("Add invoices: create them with validation and list them newest first.");
  await owner.getByRole("combobox", { name: "Template" }).click();
  await owner.getByRole("option", { name: "Feature build" }).click();
  await owner.getByRole("button", { name: "Start run" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/ledger/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });
  const runPath = new URL(owner.url()).pathname;
  const runId = runPath.split("/").pop() ?? "";

  // People approve the gates as they come, until the run completes.
  const approve = owner.getByRole("button", { name: "Approve" });
  const completed = owner.locator("[data-slot=run-header]").getByText("Completed", { exact: true }).first();
  for (let i = 0; i < 8 && !(await completed.isVisible()); i++) {
    await expect(approve.or(completed).first()).toBeVisible({ timeout: 150_000 });
    if (await approve.first().isVisible()) {
      await approve.first().click();
      await expect(approve).toHaveCount(0, { timeout: 30_000 });
    }
  }
  await expect(completed).toBeVisible({ timeout: 150_000 });

  // After a reload, the stored history: the failing attempt's red check with its counts, then green.
  await owner.reload();
  // The task board: the reworked task's attempt history holds both attempts' checks.
  await owner.getByRole("tab", { name: /^Tasks/ }).click();
  await owner.getByText("Attempt history (2)").first().click();
  await expect(badge(owner, "failed", /Tests failed/)).toBeVisible({ timeout: 30_000 });
  await expect(badge(owner, "failed", /1 failed/)).toBeVisible();
  await expect(badge(owner, "passed", /Tests passed/)).toBeVisible();
  await expect(owner.getByText(/Branch green/).first()).toBeVisible();
  await expect(owner.getByText(/The run branch is green/).first()).toBeVisible();

  // The red check's log is the real output, searchable.
  await owner
    .locator("[data-slot=check-result]")
    .filter({ has: owner.locator("[data-status=failed]") })
    .first()
    .getByRole("button")
    .first()
    .click();
  const search = owner.getByPlaceholder("Search the log").first();
  await expect(search).toBeVisible({ timeout: 30_000 });
  await search.fill("not ok");
  await expect(owner.getByText(/^1 of \d+$/).first()).toBeVisible();

  // The same checks through the API: the gate's red then green on the implementation task, the branch green.
  const response = await owner.request.get(`/api/orgs/${orgSlug}/projects/ledger/runs/${runId}/checks`);
  expect(response.status()).toBe(200);
  const { checks } = (await response.json()) as {
    checks: { scope: string; status: string; attempt: number | null; taskId: string | null }[];
  };
  const gate = checks.filter((c) => c.scope === "task");
  const failed = gate.filter((c) => c.status === "failed");
  expect(failed).toHaveLength(1);
  expect(gate.some((c) => c.taskId === failed[0]?.taskId && c.attempt === 2 && c.status === "passed")).toBe(
    true,
  );
  expect(checks.filter((c) => c.scope === "branch").every((c) => c.status === "passed")).toBe(true);
  // Everything the demo model wrote says it is demo output.
  await expect(owner.getByText(/demo/i).first()).toBeVisible();

  // Another organization gets 404 on the run's checks.
  const stranger = await newPage(browser);
  await signUp(stranger, { name: "Sid Stranger", email: uniqueEmail("sid") });
  expect(
    (await stranger.request.get(`/api/orgs/${orgSlug}/projects/ledger/runs/${runId}/checks`)).status(),
  ).toBe(404);
});
