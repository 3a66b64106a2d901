import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, type Page, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startMcpServer } from "../support/mcp-server";
import { newPage, signUp, uniqueEmail } from "./support";

/**
 * The integration pages an org owner uses, in the browser, against real receivers started here:
 * a webhook endpoint gets a signed delivery of a run event and a resend; a registered MCP server's
 * tools are listed and granted to an agent; the API reference lists the v1 operations and links
 * the OpenAPI document.
 */

/** Console errors and uncaught exceptions of a page: a page that only rendered in tests may break here. */
function watchErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

async function ownerWithOrg(page: Page, prefix: string): Promise<string> {
  watched.set(page, watchErrors(page));
  await signUp(page, { name: "Ida Integrator", email: uniqueEmail("ida") });
  await expect(page).toHaveURL(/\/orgs/);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Organization name").fill(`${prefix} ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/${prefix.toLowerCase()}-[a-z0-9]+$`));
  return new URL(page.url()).pathname.slice(1);
}

/** The page does not scroll sideways at 1280 px: wide content scrolls inside its own box. */
async function expectNoSideScroll(page: Page) {
  const width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(width.scroll).toBeLessThanOrEqual(width.client);
}

const watched = new Map<Page, string[]>();

type Received = { headers: IncomingHttpHeaders; body: string };

/** A webhook receiver on 127.0.0.1:0 that records every request and answers 204. */
async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Standard Webhooks verification of one received request, as a receiver does it. */
function verify(secret: string, r: Received) {
  const headers = {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  };
  return new Webhook(secret).verify(r.body, headers) as { type: string; data: Record<string, unknown> };
}

test("webhooks: an endpoint gets a signed run event, listed with its attempts, and a resend", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const receiver = await startReceiver();
  try {
    const owner = await newPage(browser);
    const orgSlug = await ownerWithOrg(owner, "Hooks");

    await owner.goto(`/${orgSlug}/settings/webhooks`);
    await owner.waitForLoadState("networkidle");
    await expect(owner.getByText("No endpoints yet")).toBeVisible();
    await owner.getByLabel("Endpoint URL").fill(receiver.url);
    await owner.getByLabel("Description").fill("Local receiver");
    // Only run.started (the defaults are run.completed and run.failed).
    await owner.getByRole("checkbox", { name: /run\.completed/ }).uncheck();
    await owner.getByRole("checkbox", { name: /run\.failed/ }).uncheck();
    await owner.getByRole("checkbox", { name: /run\.started/ }).check();
    await owner.getByRole("button", { name: "Add endpoint" }).click();
    const secretBox = owner.getByTestId("webhook-secret");
    await expect(secretBox).toBeVisible();
    const secret = (await secretBox.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    const endpointRow = owner.getByRole("row", { name: new RegExp(receiver.url.replace(/[.]/g, "\\.")) });
    await expect(endpointRow).toContainText("run.started");
    await expect(endpointRow).toContainText("enabled");
    // Shown once: a reload does not show it again.
    await owner.reload();
    await expect(owner.getByTestId("webhook-secret")).toHaveCount(0);
    await expect(owner.getByText(secret)).toHaveCount(0);

    // A run starts (held for plan review, so it does no more than plan).
    await owner.goto(`/${orgSlug}/projects/new`);
    await owner.waitForLoadState("networkidle");
    await owner.getByLabel("Name").fill("Hooked");
    await owner.getByLabel("Description").fill("Tells CI when runs start.");
    await owner.getByRole("button", { name: "Create project" }).click();
    await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/hooked$`));
    await owner.goto(`/${orgSlug}/projects/hooked/runs/new`);
    await owner.waitForLoadState("networkidle");
    // A long first line: the delivery page shows it in the payload without widening the page.
    await owner
      .getByLabel("Goal")
      .fill(`Describe the architecture ${"of the appointment booking system ".repeat(8)}for the team.`);
    await owner.getByRole("combobox", { name: "Template" }).click();
    await owner.getByRole("option", { name: "Technical architecture overview" }).click();
    await owner.getByLabel("Review the plan first").check();
    await owner.getByRole("button", { name: "Start run" }).click();
    await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/projects/hooked/runs/[0-9a-f-]{36}$`), {
      timeout: 60_000,
    });
    const runId = new URL(owner.url()).pathname.split("/").pop();

    // The receiver gets one signed run.started for this run.
    await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(1);
    const first = receiver.received[0] as Received;
    const payload = verify(secret, first);
    expect(payload.type).toBe("run.started");
    expect(payload.data).toMatchObject({ run: { id: runId, status: "planning" } });
    // A tampered body fails the same check.
    expect(() =>
      verify(secret, { ...first, body: first.body.replace("run.started", "run.failed") }),
    ).toThrow();

    // The page lists the delivery: succeeded, one attempt, 204.
    await owner.goto(`/${orgSlug}/settings/webhooks`);
    const deliveryRow = owner.getByRole("row", { name: /run\.started/ }).filter({ hasText: "succeeded" });
    await expect(async () => {
      await owner.reload();
      await expect(deliveryRow).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(deliveryRow.getByRole("cell").nth(3)).toHaveText("1");
    await expect(deliveryRow.getByRole("cell").nth(4)).toHaveText("204");

    // Resend from the delivery page: a new delivery, signed again with a new webhook-id.
    await deliveryRow.getByRole("link", { name: "run.started" }).click();
    await expect(owner).toHaveURL(new RegExp(`/${orgSlug}/settings/webhooks/deliveries/[0-9a-f-]{36}$`));
    const originalUrl = owner.url();
    await expect(owner.getByRole("heading", { name: "Attempts" })).toBeVisible();
    await expect(owner.getByRole("heading", { name: "Payload" })).toBeVisible();
    await expectNoSideScroll(owner);
    await owner.getByRole("button", { name: "Resend", exact: true }).click();
    await expect(owner).not.toHaveURL(originalUrl, { timeout: 30_000 });
    await expect(owner.getByText("A resend of")).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 60_000 }).toBe(2);
    await expect(async () => {
      await owner.reload();
      await expect(owner.getByText("succeeded", { exact: true }).first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const second = receiver.received[1] as Received;
    expect(verify(secret, second).type).toBe("run.started");
    // The same message again (Standard Webhooks: a resend keeps its webhook-id), signed anew.
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.headers["webhook-signature"]).not.toBe(first.headers["webhook-signature"]);
    // The page names the id the receiver saw.
    await expect(
      owner.getByText(`webhook-id ${first.headers["webhook-id"]}`, { exact: false }),
    ).toBeVisible();
    await expect(owner.getByText(/\.resend-/)).toHaveCount(0);

    await owner.goto(`/${orgSlug}/settings/webhooks`);
    await expect(async () => {
      await owner.reload();
      await expect(
        owner.getByRole("row", { name: /run\.started/ }).filter({ hasText: "succeeded" }),
      ).toHaveCount(2, { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(owner.getByRole("row", { name: /resend/ })).toHaveCount(1);
    await expectNoSideScroll(owner);
    await owner.screenshot({ path: "test-results/integrations/webhooks.png", fullPage: true });

    // The endpoint's own page lists both deliveries too.
    await owner.getByRole("link", { name: receiver.url }).click();
    await expect(owner.getByRole("heading", { name: "Deliveries" })).toBeVisible();
    await expect(
      owner.getByRole("row", { name: /run\.started/ }).filter({ hasText: "succeeded" }),
    ).toHaveCount(2);
    await expectNoSideScroll(owner);
    expect(watched.get(owner)).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

test("MCP servers: register a server, see its tools, grant one to an agent", async ({ browser }) => {
  const mcp = await startMcpServer();
  try {
    const owner = await newPage(browser);
    const orgSlug = await ownerWithOrg(owner, "Tools");
    await owner.goto(`/${orgSlug}/settings/mcp`);
    await owner.waitForLoadState("networkidle");
    await owner.getByLabel("Name").fill("Tickets");
    await owner.getByLabel("URL").fill(mcp.url);
    await owner.getByRole("button", { name: "Add server" }).click();

    // Its tools are listed in the grants grid.
    const grant = owner.getByRole("checkbox", { name: "Offer lookup_ticket to Documentation Writer" });
    await expect(grant).toBeVisible({ timeout: 30_000 });
    await expect(owner.getByText(/^2 tools · refreshed/)).toBeVisible();
    await expect(owner.getByRole("columnheader", { name: "slow_report" })).toBeVisible();
    await expect(grant).not.toBeChecked();

    // Grant it; the grant is stored.
    await grant.check();
    await expect(grant).toBeChecked();
    await expect(grant).toBeEnabled();
    await owner.reload();
    const after = owner.getByRole("checkbox", { name: "Offer lookup_ticket to Documentation Writer" });
    await expect(after).toBeChecked();
    await expect(
      owner.getByRole("checkbox", { name: "Offer slow_report to Documentation Writer" }),
    ).not.toBeChecked();
    await expect(
      owner.getByRole("checkbox", { name: "Offer lookup_ticket to System Architect" }),
    ).not.toBeChecked();
    await expectNoSideScroll(owner);
    await owner.screenshot({ path: "test-results/integrations/mcp.png", fullPage: true });
    expect(watched.get(owner)).toEqual([]);
  } finally {
    await mcp.stop();
  }
});

test("API reference: lists the v1 operations and links the OpenAPI document", async ({ browser }) => {
  const owner = await newPage(browser);
  const orgSlug = await ownerWithOrg(owner, "Docs");
  await owner.goto(`/${orgSlug}/docs/api`);
  await expect(owner.getByRole("heading", { name: "REST API reference" })).toBeVisible();
  const startRun = owner.locator("[id]").filter({
    has: owner.getByText("/api/v1/projects/{project}/runs", { exact: true }),
  });
  await expect(startRun.filter({ hasText: "POST" }).first()).toBeVisible();
  await expect(owner.getByText("/api/v1/projects", { exact: true }).first()).toBeVisible();

  const link = owner.getByRole("link", { name: "OpenAPI 3.1 document" });
  const href = await link.getAttribute("href");
  expect(href).toBeTruthy();
  const res = await owner.request.get(href as string);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("json");
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(Object.keys(doc.paths["/api/v1/projects/{project}/runs"] ?? {})).toContain("post");
  // The link opens it in the browser too.
  await expectNoSideScroll(owner);
  await owner.screenshot({ path: "test-results/integrations/api-reference.png" });
  expect(watched.get(owner)).toEqual([]);
  await link.click();
  await expect(owner).toHaveURL(/\/api\/v1\/openapi\.json$/);
  await expect(owner.locator("body")).toContainText('"openapi"');
});

test("the integration pages fit a phone, the new API key's configs included", async ({ browser }) => {
  const owner = await newPage(browser);
  const orgSlug = await ownerWithOrg(owner, "Phone");
  await owner.setViewportSize({ width: 390, height: 844 });
  await owner.goto(`/${orgSlug}/settings/api-keys`);
  await owner.waitForLoadState("networkidle");
  await owner.getByLabel("Name").fill("CI");
  await owner.getByRole("button", { name: "Read only" }).click();
  await owner.getByRole("button", { name: "Create key" }).click();
  await expect(owner.getByTestId("api-key-secret")).toBeVisible();
  // The MCP and git configs carry long lines: they scroll inside their boxes.
  await expect(owner.getByText(/mcpServers/).first()).toBeVisible();
  await expectNoSideScroll(owner);
  for (const path of ["settings/webhooks", "settings/mcp", "docs/api"]) {
    await owner.goto(`/${orgSlug}/${path}`);
    await owner.waitForLoadState("networkidle");
    await expectNoSideScroll(owner);
  }
  expect(watched.get(owner)).toEqual([]);
});
