import { expect, request, test } from "@playwright/test";
import { newPage, signUp, uniqueEmail } from "./support";

/**
 * An admin creates an API key in the browser, copies the secret shown once, and a script uses it
 * on the REST API; after revoking it in the page the same request gets 401.
 */
test("create an API key, use it on the REST API, revoke it", async ({ browser }) => {
  const owner = await newPage(browser);
  await signUp(owner, { name: "Kai Keys", email: uniqueEmail("kai") });
  await expect(owner).toHaveURL(/\/orgs/);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Organization name").fill(`Keys ${Date.now().toString(36)}`);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(/\/keys-[a-z0-9]+$/);
  const orgSlug = new URL(owner.url()).pathname.slice(1);

  await owner.goto(`/${orgSlug}/projects/new`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("Key project");
  await owner.getByLabel("Description").fill("Driven from CI");
  await owner.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/key-project$`));

  await owner.goto(`/${orgSlug}/settings/api-keys`);
  await owner.waitForLoadState("networkidle");
  await expect(owner.getByText("No API keys yet")).toBeVisible();
  await owner.getByLabel("Name").fill("GitHub Actions");
  await owner.getByRole("button", { name: "Create key" }).click();
  await expect(owner.getByText("Choose at least one scope.")).toBeVisible();
  await owner.getByRole("button", { name: "Read only" }).click();
  await owner.getByRole("button", { name: "Create key" }).click();
  const secretBox = owner.getByTestId("api-key-secret");
  await expect(secretBox).toBeVisible();
  const secret = (await secretBox.textContent())?.trim() ?? "";
  expect(secret).toMatch(/^dmk_[0-9a-f]{12}_/);
  // The MCP config shown beside it already carries the key.
  await expect(owner.getByText(/mcpServers/).first()).toContainText(secret);
  await owner.getByRole("button", { name: "I have copied it" }).click();
  const row = owner.getByRole("row", { name: /GitHub Actions/ });
  // Not used yet (it expires in 90 days, so "Never" is the last-used column).
  await expect(row).toContainText("Never");
  await expect(owner.getByText(secret)).toHaveCount(0);

  const api = await request.newContext({ baseURL: test.info().project.use.baseURL });
  const auth = { authorization: `Bearer ${secret}` };
  const list = await api.get("/api/v1/projects", { headers: auth });
  expect(list.status()).toBe(200);
  const body = await list.json();
  expect(body.data.map((p: { slug: string }) => p.slug)).toContain("key-project");
  // A read-only key cannot create.
  const denied = await api.post("/api/v1/projects", { headers: auth, data: { name: "Nope" } });
  expect(denied.status()).toBe(403);

  // The page shows when it was last used; revoking stops it at once.
  await owner.reload();
  await expect(row).not.toContainText("Never");
  await owner.getByRole("button", { name: "Revoke" }).click();
  await owner.getByRole("button", { name: "Revoke key" }).click();
  await expect(row).toContainText("revoked");
  const after = await api.get("/api/v1/projects", { headers: auth });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("unauthenticated");
  await api.dispose();
});
