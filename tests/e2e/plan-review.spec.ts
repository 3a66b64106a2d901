import { expect, type Page, test } from "@playwright/test";
import { invite, join, newPage, signUp, uniqueEmail } from "./support";

/**
 * "Review the plan first", in the browser, on the scripted demo model: a member starts a run that
 * holds after planning; on the task board they add a task (title, agent, a dependency) through the
 * plan editor, get a field error for an edit the plan cannot take (a dependency cycle), rename
 * another unstarted task, then start the run. It runs to the end and the added task is done.
 */

const statusBadge = (page: Page, label: string) =>
  page.locator("[data-slot=run-header]").getByText(label, { exact: true }).first();
const board = (page: Page) => page.getByRole("tabpanel");
const card = (page: Page, title: string) => board(page).getByRole("article", { name: title, exact: true });

/** Console errors and uncaught exceptions of a page: a page that only rendered in tests may break here. */
function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

test("a member reviews and changes the plan, then starts the run", async ({ browser }) => {
  test.setTimeout(300_000);
  const owner = await newPage(browser);
  await signUp(owner, { name: "Pia Planner", email: uniqueEmail("pia") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Plans ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/plans-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);
  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Booking app");
  await owner.getByLabel("Description").fill("Patients book, move and cancel appointments.");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app$`));
  const memberEmail = uniqueEmail("max");
  await invite(owner, orgSlug, memberEmail, "Member");
  const member = await join(browser, memberEmail, "Max Member", orgSlug);
  const problems = watchErrors(member);

  // Start with "Review the plan first".
  await member.goto(`/${orgSlug}/projects/booking-app/runs/new`);
  await member.waitForLoadState("networkidle");
  await member.getByLabel("Goal").fill("Describe the architecture of the booking app.");
  await member.getByRole("combobox", { name: "Template" }).click();
  await member.getByRole("option", { name: "Technical architecture overview" }).click();
  await member.getByLabel("Review the plan first").check();
  await member.getByRole("button", { name: "Start run" }).click();
  await expect(member).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });

  // It holds after planning: the banner, and nothing runs.
  const start = member.getByRole("button", { name: "Review plan — start run" });
  await expect(start).toBeVisible({ timeout: 120_000 });
  await expect(member.getByText("The plan waits for your review")).toBeVisible();
  await member.getByRole("tab", { name: /tasks/i }).click();
  const drivers = "Capture the architecture drivers";
  await expect(card(member, drivers)).toBeVisible();
  await expect(board(member).getByRole("region", { name: /^To do/ })).toContainText(drivers);

  // Add a task: title, agent, a dependency.
  const added = "Write the onboarding guide for engineers";
  await member.getByRole("button", { name: "Add task" }).click();
  let dialog = member.getByRole("dialog", { name: "Add a task" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Title").fill(added);
  await dialog.getByLabel("Description").fill("A short guide from the architecture drivers.");
  await dialog.getByRole("combobox", { name: "Agent" }).click();
  await member.getByRole("option", { name: "Documentation Writer" }).click();
  await dialog.getByLabel(drivers).check();
  await dialog.getByLabel("Acceptance criteria").fill("Names the quality attributes in order");
  await dialog.getByRole("button", { name: "Add task" }).click();
  await expect(dialog).toBeHidden();
  await expect(card(member, added)).toBeVisible();
  await expect(card(member, added)).toContainText("Documentation Writer");

  // An edit the plan cannot take: the drivers task depending on the new task is a cycle.
  await card(member, drivers).getByRole("button", { name: "Edit" }).click();
  dialog = member.getByRole("dialog", { name: `Edit "${drivers}"` });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel(added).check();
  await dialog.getByRole("button", { name: "Save task" }).click();
  // The message is under "Depends on" (the dialog's own description mentions cycles too).
  await expect(
    dialog.getByRole("group", { name: "Depends on" }).getByText(/^Dependency cycle:/),
  ).toBeVisible();
  await expect(dialog).toBeVisible();
  // Nothing changed; the empty title is refused too, with its message under the field.
  await dialog.getByLabel(added).uncheck();
  await dialog.getByLabel("Title").fill("");
  await dialog.getByRole("button", { name: "Save task" }).click();
  await expect(dialog.getByText("Give the task a title.")).toBeVisible();
  await expect(dialog.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(card(member, drivers)).toBeVisible();

  // Rename another unstarted task.
  const evaluation = "Evaluate candidate technologies";
  const renamed = "Evaluate the candidate stacks";
  await card(member, evaluation).getByRole("button", { name: "Edit" }).click();
  dialog = member.getByRole("dialog", { name: `Edit "${evaluation}"` });
  await dialog.getByLabel("Title").fill(renamed);
  await dialog.getByRole("button", { name: "Save task" }).click();
  await expect(dialog).toBeHidden();
  await expect(card(member, renamed)).toBeVisible();
  await expect(card(member, evaluation)).toHaveCount(0);

  // The edits survive a reload (they are the run's plan, not page state).
  await member.reload();
  await member.getByRole("tab", { name: /tasks/i }).click();
  await expect(card(member, added)).toBeVisible();
  await expect(card(member, renamed)).toBeVisible();

  // Start: the banner goes, the run proceeds to its approval gate and completes.
  await member.getByRole("button", { name: "Review plan — start run" }).click();
  await expect(member.getByRole("button", { name: "Review plan — start run" })).toHaveCount(0, {
    timeout: 30_000,
  });
  await expect(member.getByRole("button", { name: "Approve" })).toBeVisible({ timeout: 180_000 });
  await member.getByRole("button", { name: "Approve" }).click();
  await expect(statusBadge(member, "Completed")).toBeVisible({ timeout: 180_000 });

  // The added task ran: its card is in Done.
  await member.getByRole("tab", { name: /tasks/i }).click();
  const done = board(member).getByRole("region", { name: /^Done/ });
  await expect(done.getByRole("article", { name: added, exact: true })).toBeVisible();
  await expect(done.getByRole("article", { name: renamed, exact: true })).toBeVisible();
  await member.screenshot({ path: "test-results/plan-review/done.png", fullPage: true });
  expect(problems).toEqual([]);
});
