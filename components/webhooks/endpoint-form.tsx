"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  createWebhookEndpointAction,
  updateWebhookEndpointAction,
} from "@/app/(app)/[org]/settings/webhooks/actions";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/ui/submit-button";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import type { WebhookEndpointSummary } from "@/lib/webhooks/schemas";
import { SecretOnce } from "./secret-once";

type Props = { orgSlug: string; endpoint?: WebhookEndpointSummary };

/** Creates an endpoint (then shows its secret once) or edits one's URL, description and events. */
export function WebhookEndpointForm({ orgSlug, endpoint }: Props) {
  const router = useRouter();
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? ["run.completed", "run.failed"]);
  const [secret, setSecret] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async (form: FormData) => {
      const input = { url: form.get("url"), description: form.get("description") ?? "", events };
      if (endpoint) return updateWebhookEndpointAction(orgSlug, { id: endpoint.id, ...input });
      return createWebhookEndpointAction(orgSlug, input);
    },
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      if ("secret" in result.data) {
        setSecret(result.data.secret);
        setEvents(["run.completed", "run.failed"]);
        (document.getElementById("webhook-endpoint-form") as HTMLFormElement | null)?.reset();
      }
      toast.success(endpoint ? "Endpoint saved." : "Endpoint added.");
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const fieldErrors = save.data && !save.data.ok ? (save.data.error.fieldErrors ?? {}) : {};

  return (
    <div className="grid gap-4">
      {secret && <SecretOnce secret={secret} />}
      <form
        id="webhook-endpoint-form"
        noValidate
        className="grid gap-5"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(new FormData(event.currentTarget));
        }}
      >
        <FormField
          label="Endpoint URL"
          htmlFor="webhook-url"
          error={fieldErrors.url}
          hint="An https:// address on the public internet. Redirects are not followed."
        >
          <Input
            id="webhook-url"
            name="url"
            type="url"
            required
            defaultValue={endpoint?.url}
            placeholder="https://example.com/webhooks/dafnck"
          />
        </FormField>
        <FormField label="Description" htmlFor="webhook-description" error={fieldErrors.description}>
          <Input
            id="webhook-description"
            name="description"
            defaultValue={endpoint?.description}
            placeholder="CI notifications"
          />
        </FormField>
        <fieldset className="grid gap-2">
          <legend className="mb-1 font-medium text-sm">Events</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {WEBHOOK_EVENTS.map((type) => {
              const id = `webhook-event-${type}`;
              return (
                <div key={type} className="flex items-start gap-2">
                  <Checkbox
                    id={id}
                    checked={events.includes(type)}
                    onCheckedChange={(checked) =>
                      setEvents((current) =>
                        checked ? [...current, type] : current.filter((e) => e !== type),
                      )
                    }
                  />
                  <Label htmlFor={id} className="grid gap-0.5 font-normal">
                    <code className="text-xs">{type}</code>
                    <span className="text-muted-foreground text-xs">{WEBHOOK_EVENT_LABELS[type]}</span>
                  </Label>
                </div>
              );
            })}
          </div>
          <FieldError messages={fieldErrors.events} />
        </fieldset>
        <div>
          <SubmitButton pending={save.isPending}>{endpoint ? "Save endpoint" : "Add endpoint"}</SubmitButton>
        </div>
      </form>
    </div>
  );
}
