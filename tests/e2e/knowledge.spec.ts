import { expect, type Page, test } from "@playwright/test";
import { invite, join, newPage, signUp, uniqueEmail } from "./support";

/**
 * A project's knowledge as a team uses it: the owner uploads a Markdown standard through the drop
 * zone, watches it go from Processing to Ready, finds it by searching a phrase in it (the matched
 * terms highlighted, the result cited by document and heading), a viewer reads and searches but
 * gets no upload or delete controls, and a run on the demo model has its architect search the
 * knowledge base and cite the document in its artifact.
 */

const STANDARD = `# Payment standards

How every service in the billing platform moves money.

## Retries

Every charge request carries an idempotency key, so a retried charge never bills a customer twice.
Keys live for 24 hours in the ledger.

## Refunds

Refunds are new ledger entries that point at the original charge; a charge is never edited.
`;

const documentRow = (page: Page, title: string) =>
  page.getByTestId("knowledge-document").filter({ hasText: title });

test("a project's document is uploaded, found by search with a citation, and cited by a run's architect", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const owner = await newPage(browser);
  await signUp(owner, { name: "Kai Knowledge", email: uniqueEmail("kai") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Know ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/know-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);

  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Billing");
  await owner.getByLabel("Brief").fill("Charges, refunds and invoices for the shop's customers.");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/billing$`));

  // The organization's navigation and the project's page both lead to Knowledge.
  await expect(
    owner.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Knowledge" }),
  ).toHaveAttribute("href", `/${orgSlug}/knowledge`);
  await owner.getByRole("main").getByRole("link", { name: "Knowledge" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/billing/knowledge$`));
  // A new project's repository README is indexed as a repository document; deleting it warns that
  // the next index brings it back.
  const readme = documentRow(owner, "README.md");
  await expect(readme).toContainText("Repository");
  await expect(readme.getByText(/Ready · \d+ chunks?/)).toBeVisible({ timeout: 60_000 });
  await readme.getByRole("button", { name: "Actions for README.md" }).click();
  await owner.getByRole("menuitem", { name: "Delete" }).click();
  await expect(owner.getByRole("alertdialog")).toContainText(
    "comes back the next time the repository is indexed",
  );
  await owner.getByRole("button", { name: "Cancel" }).click();

  // A file the server would refuse is refused before it is sent, with the reason.
  await owner.getByTestId("knowledge-file-input").setInputFiles({
    name: "logo.png",
    mimeType: "image/png",
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
  });
  await expect(owner.getByText("logo.png: this kind of file is not supported").first()).toBeVisible();

  // Upload through the drop zone's file input, with a title and tags.
  await owner.getByLabel("Title (optional)").fill("Payment standards");
  await owner.getByLabel("Tags (optional)").fill("standards, payments");
  const uploaded = owner.waitForResponse(
    (r) => r.url().endsWith(`/api/orgs/${orgSlug}/knowledge/documents`) && r.request().method() === "POST",
  );
  await owner.getByTestId("knowledge-file-input").setInputFiles({
    name: "payments.md",
    mimeType: "text/markdown",
    buffer: Buffer.from(STANDARD),
  });
  expect((await uploaded).status()).toBe(201);
  const row = documentRow(owner, "Payment standards");
  await expect(row).toBeVisible();
  await expect(row).toContainText("payments.md");
  await expect(row).toContainText("standards");
  // Processing, then Ready with its chunks, without a reload (the list polls while processing).
  await expect(row.getByText(/Ready · \d+ chunks?/)).toBeVisible({ timeout: 60_000 });
  await owner.screenshot({ path: test.info().outputPath("knowledge-owner.png"), fullPage: true });

  // Search a phrase from the document: a cited result with the terms highlighted.
  await owner.getByRole("searchbox").fill("idempotency key retried charge");
  await owner.getByRole("searchbox").press("Enter");
  const hit = owner.getByTestId("knowledge-hit").first();
  await expect(hit).toBeVisible({ timeout: 30_000 });
  await expect(hit.getByTestId("knowledge-citation")).toContainText("Payment standards");
  await expect(hit.getByTestId("knowledge-citation")).toContainText("Retries");
  await expect(hit.locator("mark").first()).toBeVisible();
  await expect(
    hit
      .locator("mark")
      .filter({ hasText: /idempotency/i })
      .first(),
  ).toBeVisible();
  // The demo setup has no embedding model: the page says search is full-text only.
  await expect(owner.getByTestId("knowledge-text-mode")).toBeVisible();
  await owner.screenshot({ path: test.info().outputPath("knowledge-search.png"), fullPage: true });

  // A member adds an insight by hand, and corrects it.
  await owner.getByRole("tab", { name: "Insights" }).click();
  await expect(owner.getByRole("heading", { name: "No insights yet" })).toBeVisible();
  await owner.getByRole("button", { name: "Add an insight" }).click();
  const dialog = owner.getByRole("dialog");
  await dialog.getByLabel("Title").fill("Refunds are ledger entries");
  await dialog.getByLabel("Insight").fill("Never edit a charge: a refund is a new entry.");
  await dialog.getByRole("button", { name: "Add insight" }).click();
  await expect(dialog).toHaveCount(0);
  const handInsight = owner
    .getByTestId("knowledge-insight")
    .filter({ hasText: "Refunds are ledger entries" });
  await expect(handInsight).toContainText("by Kai Knowledge");
  await handInsight.getByRole("button", { name: "Edit Refunds are ledger entries" }).click();
  await dialog
    .getByLabel("Insight")
    .fill("Never edit a charge: a refund is a new ledger entry pointing at it.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(handInsight).toContainText("pointing at it");
  await owner.getByRole("tab", { name: "Documents" }).click();

  // A viewer reads and searches the same knowledge, with no upload, edit or delete controls.
  const viewerEmail = uniqueEmail("vera");
  await invite(owner, orgSlug, viewerEmail, "Viewer");
  const viewer = await join(browser, viewerEmail, "Vera Viewer", orgSlug);
  await viewer.goto(`/${orgSlug}/projects/billing/knowledge`);
  await expect(documentRow(viewer, "Payment standards")).toBeVisible();
  await expect(viewer.getByRole("heading", { name: "Upload documents" })).toHaveCount(0);
  await expect(viewer.getByTestId("knowledge-file-input")).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Actions for/ })).toHaveCount(0);
  await viewer.getByRole("tab", { name: "Insights" }).click();
  await expect(viewer.getByTestId("knowledge-insight").first()).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Add an insight" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /^(Edit|Delete) / })).toHaveCount(0);
  await viewer.screenshot({ path: test.info().outputPath("knowledge-viewer.png"), fullPage: true });
  const refused = await viewer.request.delete(
    `/api/orgs/${orgSlug}/knowledge/documents/${await documentId(owner, orgSlug)}?project=billing`,
    {
      headers: { origin: new URL(viewer.url()).origin },
    },
  );
  expect(refused.status()).toBe(403);

  // A run on the demo model: its architect searches the knowledge base and cites the document.
  await owner.goto(`/${orgSlug}/projects/billing/runs/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Goal").fill("Describe the architecture of the payment services for the new team.");
  await owner.getByRole("combobox", { name: "Template" }).click();
  await owner.getByRole("option", { name: "Technical architecture overview" }).click();
  await owner.getByRole("button", { name: "Start run" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/billing/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });
  const runId = new URL(owner.url()).pathname.split("/").pop() ?? "";
  const approve = owner.getByRole("button", { name: "Approve" });
  const completed = owner.getByText("Completed", { exact: true }).first();
  for (let i = 0; i < 6 && !(await completed.isVisible()); i++) {
    await expect(approve.or(completed).first()).toBeVisible({ timeout: 120_000 });
    if (await approve.isVisible()) {
      await approve.click();
      await expect(approve).toHaveCount(0, { timeout: 30_000 });
    }
  }
  await expect(completed).toBeVisible({ timeout: 120_000 });
  await owner.getByRole("tab", { name: /artifacts/i }).click();
  await owner
    .getByRole("button", { name: /technical architecture overview/i })
    .first()
    .click()
    .catch(() => {});
  await expect(owner.getByRole("heading", { name: "Sources" }).first()).toBeVisible();
  await expect(owner.getByText(/Payment standards › /).first()).toBeVisible();
  await owner.screenshot({ path: test.info().outputPath("knowledge-run-sources.png"), fullPage: true });

  // What the architect learnt is an insight of the project, linked to its run.
  await owner.goto(`/${orgSlug}/projects/billing/knowledge`);
  await owner.getByRole("tab", { name: "Insights" }).click();
  const insight = owner.getByTestId("knowledge-insight").filter({ hasText: "Architecture decided" });
  await expect(insight).toBeVisible();
  await expect(insight.getByRole("link", { name: /Run/ })).toHaveAttribute(
    "href",
    `/${orgSlug}/projects/billing/runs/${runId}`,
  );
  await owner.screenshot({ path: test.info().outputPath("knowledge-insights.png"), fullPage: true });

  // The organization's own knowledge page: its own documents only, not the project's.
  await owner
    .getByRole("navigation", { name: "Organization" })
    .getByRole("link", { name: "Knowledge" })
    .click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/knowledge$`));
  await expect(owner.getByRole("heading", { name: "No documents yet" })).toBeVisible();
  await expect(owner.getByRole("heading", { name: "Upload documents" })).toBeVisible();
});

async function documentId(page: Page, orgSlug: string): Promise<string> {
  const res = await page.request.get(`/api/orgs/${orgSlug}/knowledge/documents?project=billing`);
  const body = (await res.json()) as { documents: { id: string; title: string }[] };
  return body.documents.find((d) => d.title === "Payment standards")?.id ?? "";
}
