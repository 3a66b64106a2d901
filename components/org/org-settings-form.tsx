"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { updateOrganizationAction } from "@/app/(app)/[org]/settings/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { SLUG_MAX } from "@/lib/orgs/slug";

type OrgSettingsFormProps = { org: { name: string; slug: string } };

/** Rename the organization or change its URL; after a slug change the page follows the new URL. */
export function OrgSettingsForm({ org }: OrgSettingsFormProps) {
  const router = useRouter();
  const [slug, setSlug] = useState(org.slug);

  const save = useMutation({
    mutationFn: (form: FormData) => updateOrganizationAction(org.slug, form),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success("Organization saved.");
      // The name also shows in the sidebar and switcher, which the server renders: re-render them.
      if (result.data.slug !== org.slug) router.replace(`/${result.data.slug}/settings`);
      else router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = save.data && !save.data.ok ? save.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};

  return (
    <form
      noValidate
      className="grid gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      {fieldErrors._ && (
        <Alert variant="destructive">
          <AlertDescription>{fieldErrors._.join(" ")}</AlertDescription>
        </Alert>
      )}
      <FormField label="Name" htmlFor="org-name" error={fieldErrors.name}>
        <Input
          id="org-name"
          name="name"
          required
          minLength={2}
          maxLength={64}
          defaultValue={org.name}
          autoComplete="off"
        />
      </FormField>
      <FormField
        label="URL slug"
        htmlFor="org-slug"
        error={fieldErrors.slug}
        hint={
          <>
            Your organization lives at <span className="font-mono">/{slug || "…"}</span>
            {slug !== org.slug ? ". Links to the old address will stop working." : "."}
          </>
        }
      >
        <Input
          id="org-slug"
          name="slug"
          required
          maxLength={SLUG_MAX}
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
          value={slug}
          onChange={(e) => setSlug(e.target.value.toLowerCase())}
        />
      </FormField>
      <div>
        <SubmitButton pending={save.isPending} pendingText="Saving…">
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}
