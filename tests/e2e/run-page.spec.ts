import { expect, type Page, test } from "@playwright/test";
import { newPage, signUp, uniqueEmail } from "./support";

/**
 * The run page as a new user sees it on a 1366×768 laptop, driven by the scripted demo model:
 * the header is not under the top bar, the whole task board is reachable, the document renders
 * its Mermaid diagram and wraps table cells at word boundaries, the approval panel links to what
 * it approves, and a cancelled run says so (not a green "done") without a lingering toast.
 */

const SHOTS = "test-results/run-page";

test.use({ viewport: { width: 1366, height: 768 } });

const statusBadge = (page: Page, label: string) =>
  page.locator("[data-slot=run-header]").getByText(label, { exact: true }).first();

async function createOrgAndProject(page: Page): Promise<string> {
  await signUp(page, { name: "Rita Runner", email: uniqueEmail("rita") });
  await expect(page).toHaveURL(/\/orgs/);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Organization name").fill(`Laptop ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/laptop-[a-z0-9]+$/);
  const orgSlug = new URL(page.url()).pathname.slice(1);
  await page.goto(`/${orgSlug}/projects/new`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Name").fill("Booking app");
  await page
    .getByLabel("Brief")
    .fill("Patients book, move and cancel appointments; staff manage the calendar.");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app$`));
  return orgSlug;
}

async function startRun(page: Page, orgSlug: string, goal: string): Promise<string> {
  await page.goto(`/${orgSlug}/projects/booking-app/runs/new`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Goal").fill(goal);
  await page.getByRole("combobox", { name: "Template" }).click();
  await page.getByRole("option", { name: "Technical architecture overview" }).click();
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(new RegExp(`/${orgSlug}/projects/booking-app/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });
  return new URL(page.url()).pathname;
}

/** The run header's top edge is below the sticky top bar and inside the viewport. */
async function expectHeaderVisible(page: Page) {
  const header = page.locator("[data-slot=run-header]");
  await expect(header).toBeVisible();
  const topBar = await page.locator("header.sticky").first().boundingBox();
  const title = await header.getByRole("heading", { level: 1 }).boundingBox();
  expect(topBar).not.toBeNull();
  expect(title).not.toBeNull();
  expect(title?.y ?? 0).toBeGreaterThanOrEqual((topBar?.y ?? 0) + (topBar?.height ?? 0));
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
}

test("the run page at 1366×768: header, board, diagram, tables, approval link", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1366, height: 768 });
  const orgSlug = await createOrgAndProject(page);
  await startRun(page, orgSlug, "Describe the architecture of the booking app for the new engineering team.");

  // Opened from the start form: the page starts at its top, the header below the top bar.
  await page.screenshot({ path: `${SHOTS}/opened.png` });
  await expectHeaderVisible(page);

  // The gate: the panel links to the document under review, which opens in the viewer.
  const approval = page.locator("[data-slot=approval-panel]");
  await expect(approval.getByText("Waiting for approval").first()).toBeVisible({ timeout: 120_000 });
  await page.reload();
  await expectHeaderVisible(page);
  await page.screenshot({ path: `${SHOTS}/waiting-approval.png` });
  const review = approval.getByRole("link", { name: /technical architecture overview/i }).first();
  await expect(review).toBeVisible();
  await review.click();
  await expect(page.getByRole("tab", { name: /artifacts/i })).toHaveAttribute("aria-selected", "true");
  const doc = page.locator(".run-markdown").first();
  await expect(doc.getByRole("heading", { name: /system components/i })).toBeVisible();

  // The Mermaid block is a diagram, not source.
  const diagram = doc.locator("[data-slot=mermaid] svg").first();
  await expect(diagram).toBeVisible();
  await expect(doc.locator("code.language-mermaid")).toHaveCount(0);
  await diagram.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/diagram.png` });

  // Table cells wrap between words, and a wide table scrolls inside its own wrapper.
  const cell = doc.locator("td").first();
  await expect(cell).toBeVisible();
  const wrap = await cell.evaluate((el) => {
    const style = getComputedStyle(el);
    return { wordBreak: style.wordBreak, overflowWrap: style.overflowWrap };
  });
  expect(wrap.wordBreak).toBe("normal");
  expect(wrap.overflowWrap).not.toBe("anywhere");
  const scroller = await doc
    .locator("table")
    .first()
    .evaluate((table) => getComputedStyle(table.parentElement as HTMLElement).overflowX);
  expect(scroller).toBe("auto");
  await cell.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/table.png` });

  // Approve; the run completes.
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(statusBadge(page, "Completed")).toBeVisible({ timeout: 120_000 });

  // Every column of the board is visible, or the board scrolls to it within itself.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole("tab", { name: /tasks/i }).click();
  const done = page.getByRole("region", { name: /^Done/ });
  await expect(done).toBeAttached();
  await done.scrollIntoViewIfNeeded();
  await expect(done).toBeInViewport({ ratio: 0.9 });
  const pageOverflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(pageOverflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/board.png` });
});

test("a cancelled run says cancelled, not done, and leaves no toast behind", async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1366, height: 768 });
  const orgSlug = await createOrgAndProject(page);
  await startRun(page, orgSlug, "Describe the architecture of the booking app for the support team.");
  await expect(statusBadge(page, "Running")).toBeVisible({ timeout: 60_000 });

  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel run" }).click();
  await expect(statusBadge(page, "Cancelled")).toBeVisible({ timeout: 30_000 });

  const progress = page.locator("[data-slot=run-header]").getByRole("progressbar");
  await expect(progress).toHaveAttribute("data-state", "cancelled");
  await expect(progress).not.toHaveAttribute("aria-valuenow", "100");
  await expect(page.locator("[data-slot=run-header]")).not.toContainText(/tasks done/);
  const fill = await progress
    .locator("div")
    .first()
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  const success = await page.evaluate(() => {
    const probe = document.createElement("div");
    probe.className = "bg-success";
    document.body.append(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
  expect(fill).not.toBe(success);
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 10_000 });
  await page.screenshot({ path: `${SHOTS}/cancelled.png` });

  // The same after a reload (the state comes from the log, not from the click).
  await page.reload();
  await expect(statusBadge(page, "Cancelled")).toBeVisible();
  await expect(progress).toHaveAttribute("data-state", "cancelled");
});
