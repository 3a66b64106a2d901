import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { WebhookDeliverySummary } from "@/lib/webhooks/schemas";
import { WebhookDeliveriesTable } from "./deliveries-table";
import { SecretOnce } from "./secret-once";

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

const delivery = (over: Partial<WebhookDeliverySummary>): WebhookDeliverySummary => ({
  id: "00000000-0000-4000-8000-000000000001",
  endpointId: "00000000-0000-4000-8000-0000000000e1",
  endpointUrl: "https://hooks.example.com/in",
  eventType: "run.completed",
  messageId: "msg_abc",
  status: "succeeded",
  attempts: 1,
  lastStatusCode: 200,
  lastDurationMs: 42,
  lastError: null,
  resentFromId: null,
  createdAt: "2026-12-04T10:00:00.000Z",
  deliveredAt: "2026-12-04T10:00:01.000Z",
  ...over,
});

describe("webhook components", () => {
  it("lists deliveries with event, status, attempts, last code, response time and a link to each", () => {
    const html = renderToStaticMarkup(
      h(WebhookDeliveriesTable, {
        orgSlug: "acme",
        showEndpoint: true,
        deliveries: [
          delivery({}),
          delivery({
            id: "00000000-0000-4000-8000-000000000002",
            eventType: "task.failed",
            status: "failed",
            attempts: 6,
            lastStatusCode: null,
            lastDurationMs: null,
            resentFromId: "00000000-0000-4000-8000-000000000001",
          }),
        ],
      }),
    );
    const t = text(html);
    expect(t).toContain(
      "run.completed https://hooks.example.com/in succeeded 1 200 42 ms 04/12/2026, 10:00:00 UTC",
    );
    expect(t).toContain("task.failed resend https://hooks.example.com/in failed 6 — —");
    expect(html).toContain('href="/acme/settings/webhooks/deliveries/00000000-0000-4000-8000-000000000002"');
    expect(text(renderToStaticMarkup(h(WebhookDeliveriesTable, { orgSlug: "acme", deliveries: [] })))).toBe(
      "No deliveries yet.",
    );
  });

  it("shows a new secret once with a copy button", () => {
    const t = text(renderToStaticMarkup(h(SecretOnce, { secret: "whsec_c2VjcmV0" })));
    expect(t).toContain("whsec_c2VjcmV0");
    expect(t).toContain("Copy secret");
    expect(t).toContain("shown only this once");
  });
});
