import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { newPage, signUp, uniqueEmail } from "./support";

/**
 * A project imported from an existing repository, worked by a Feature build run on the scripted
 * demo model: the agents' file edits show in the feed as they happen, their commits appear in the
 * Code tab with the agents as authors, the run's Changes tab shows the diff, the archive
 * downloads, and the branch is pushed to the connected remote. The server runs with
 * REPOS_ALLOW_LOCAL_REMOTES (tests/e2e/start-server.mjs), so local paths stand in for remotes.
 */

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "Ada Upstream",
      GIT_AUTHOR_EMAIL: "ada@example.test",
      GIT_COMMITTER_NAME: "Ada Upstream",
      GIT_COMMITTER_EMAIL: "ada@example.test",
    },
  }).trim();

/** An upstream repository with a small Node project, and an empty bare repository to push to. */
function makeRepositories() {
  const root = mkdtempSync(path.join(os.tmpdir(), "dm-e2e-repos-"));
  const upstream = path.join(root, "shop");
  mkdirSync(path.join(upstream, "src"), { recursive: true });
  writeFileSync(
    path.join(upstream, "package.json"),
    `${JSON.stringify({ name: "shop", scripts: { test: "node --test" } }, null, 2)}\n`,
  );
  writeFileSync(path.join(upstream, "package-lock.json"), "{}\n");
  writeFileSync(path.join(upstream, "README.md"), "# Shop\n\nOrders and invoices for a small shop.\n");
  writeFileSync(path.join(upstream, "src", "orders.ts"), "export const orders: string[] = [];\n");
  git(upstream, "init", "--quiet", "--initial-branch=main");
  git(upstream, "add", "-A");
  git(upstream, "commit", "--quiet", "-m", "Shop: orders");
  const pushTo = path.join(root, "push-remote.git");
  git(root, "init", "--quiet", "--bare", pushTo);
  return { upstream, pushTo };
}

const statusBadge = (page: Page, label: string) => page.getByText(label, { exact: true }).first();

test("a feature build on an imported repository commits per task, shows its changes and pushes", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const { upstream, pushTo } = makeRepositories();
  const owner = await newPage(browser);
  await signUp(owner, { name: "Rita Repo", email: uniqueEmail("rita") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Repos ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/repos-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);

  // Import the repository as a new project.
  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Import a repository").check();
  await owner.getByLabel("Repository URL").fill(upstream);
  await owner.getByLabel("Name").fill("Shop");
  await owner.getByLabel("Brief").fill("A small shop: orders, invoices and exports for the accountant.");
  await owner.getByRole("button", { name: /create project|import/i }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/shop$`), { timeout: 60_000 });

  // The Code tab shows the imported files and their history.
  await owner.goto(`/${orgSlug}/projects/shop/code`);
  await expect(owner.getByRole("link", { name: "package.json" }).first()).toBeVisible();
  await expect(owner.getByRole("link", { name: "src" }).first()).toBeVisible();

  // The import source is the project's remote; swap it for another one in the settings.
  await owner.goto(`/${orgSlug}/projects/shop/settings`);
  await owner.waitForLoadState("networkidle");
  await expect(owner.getByText(upstream, { exact: true })).toBeVisible();
  await owner.getByRole("button", { name: "Disconnect" }).click();
  await owner.getByLabel("Remote URL").fill(pushTo);
  await owner.getByRole("button", { name: "Connect remote" }).click();
  await expect(owner.getByRole("button", { name: "Disconnect" })).toBeVisible({ timeout: 30_000 });

  // A Feature build on the demo model.
  await owner.goto(`/${orgSlug}/projects/shop/runs/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Goal").fill("Add a CSV export of the orders for the accountant.");
  await owner.getByRole("combobox", { name: "Template" }).click();
  await owner.getByRole("option", { name: "Feature build" }).click();
  await owner.getByRole("button", { name: "Start run" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/shop/runs/[0-9a-f-]{36}$`), {
    timeout: 60_000,
  });
  const runPath = new URL(owner.url()).pathname;
  const runId = runPath.split("/").pop() ?? "";
  await expect(owner.getByRole("region", { name: "Run branch" })).toContainText("dm/1-add-a-csv-export");

  // Files change in the feed while agents work; a person approves each gate.
  await expect(owner.getByTestId("file-change").first()).toBeVisible({ timeout: 120_000 });
  const approve = owner.getByRole("button", { name: "Approve" });
  const completed = statusBadge(owner, "Completed");
  for (let i = 0; i < 6 && !(await completed.isVisible()); i++) {
    await expect(approve.or(completed).first()).toBeVisible({ timeout: 120_000 });
    if (await approve.isVisible()) {
      await approve.click();
      await expect(approve).toHaveCount(0, { timeout: 30_000 });
    }
  }
  await expect(completed).toBeVisible({ timeout: 120_000 });

  // The run's commits: one per accepted task, authored by agents, on the run branch.
  const run = (await (await owner.request.get(`/api/orgs/${orgSlug}/runs/${runId}`)).json()) as {
    run: { branch: string; headCommit: string; baseCommit: string };
  };
  expect(run.run.branch).toMatch(/^dm\/1-add-a-csv-export/);
  await owner.goto(`/${orgSlug}/projects/shop/code/commits?ref=${encodeURIComponent(run.run.branch)}`);
  // Each commit of the run names its agent and links to the run and the task that made it.
  await expect(owner.getByRole("link", { name: "Run #1" }).first()).toBeVisible();
  expect(await owner.getByRole("link", { name: /^Task / }).count()).toBeGreaterThanOrEqual(3);
  await expect(owner.getByText("Ada Upstream").first()).toBeVisible();

  // Changes: the branch against its base.
  await owner.goto(runPath);
  // The run's Changes tab (the artifact viewer has its own, for versions).
  await owner
    .getByRole("tab", { name: /changes/i })
    .first()
    .click();
  await expect(owner.getByText("README.md").first()).toBeVisible({ timeout: 30_000 });
  await expect(owner.getByText(/\+\d+/).first()).toBeVisible();

  // The archive of the run's head downloads as a zip.
  const archive = await owner.request.get(
    `/api/orgs/${orgSlug}/projects/shop/code/archive?ref=${run.run.headCommit}&format=zip`,
  );
  expect(archive.status()).toBe(200);
  expect(archive.headers()["content-disposition"]).toMatch(/attachment; filename="shop-[0-9a-f]{7}\.zip"/);
  expect((await archive.body()).subarray(0, 2).toString("latin1")).toBe("PK");

  // The completed run was pushed to the remote; pushing again finds it up to date.
  expect(git(pushTo, "rev-parse", `refs/heads/${run.run.branch}`)).toBe(run.run.headCommit);
  expect(git(pushTo, "log", "--format=%an", run.run.headCommit)).toMatch(/\(DafnckMachine\)/);
  await owner.getByRole("button", { name: "Push branch" }).click();
  await expect(owner.getByText(/already up to date/i).first()).toBeVisible({ timeout: 30_000 });

  // Another organization gets 404 on the Code tab and the archive.
  const stranger = await newPage(browser);
  await signUp(stranger, { name: "Sid Stranger", email: uniqueEmail("sid") });
  expect((await stranger.goto(`/${orgSlug}/projects/shop/code`))?.status()).toBe(404);
  expect(
    (await stranger.request.get(`/api/orgs/${orgSlug}/projects/shop/code/archive?ref=main`)).status(),
  ).toBe(404);
});
