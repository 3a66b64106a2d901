"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { saveAgentAction } from "@/app/(app)/[org]/agents/actions";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import type { AgentDefinition } from "@/lib/agents/schema";

/** Saving writes a new version; editing a built-in saves the organization's own version of it. */
export function AgentEditForm({ orgSlug, agent }: { orgSlug: string; agent: AgentDefinition }) {
  const router = useRouter();
  const save = useMutation({
    mutationFn: (form: FormData) =>
      saveAgentAction(orgSlug, {
        slug: agent.slug,
        name: form.get("name"),
        whenToUse: form.get("whenToUse"),
        systemPrompt: form.get("systemPrompt"),
        tools: form.get("tools"),
        artifactKinds: form.get("artifactKinds"),
        modelTier: form.get("modelTier"),
        modelId: form.get("modelId"),
      }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success(`Saved as version ${result.data.version}.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const errors = (save.data && !save.data.ok && save.data.error.fieldErrors) || {};
  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      <FormField label="Name" htmlFor="agent-name" error={errors.name}>
        <Input id="agent-name" name="name" defaultValue={agent.name} />
      </FormField>
      <FormField label="When to use" htmlFor="agent-when" error={errors.whenToUse}>
        <Textarea id="agent-when" name="whenToUse" rows={3} defaultValue={agent.whenToUse} />
      </FormField>
      <FormField label="System prompt" htmlFor="agent-prompt" error={errors.systemPrompt}>
        <Textarea
          id="agent-prompt"
          name="systemPrompt"
          rows={16}
          defaultValue={agent.systemPrompt}
          className="font-mono text-xs"
        />
      </FormField>
      <FormField label="Tools" htmlFor="agent-tools" error={errors.tools} hint="One per line.">
        <Textarea
          id="agent-tools"
          name="tools"
          rows={4}
          defaultValue={agent.tools.join("\n")}
          className="font-mono text-xs"
        />
      </FormField>
      <FormField
        label="Artifact kinds"
        htmlFor="agent-kinds"
        error={errors.artifactKinds}
        hint="One per line."
      >
        <Textarea
          id="agent-kinds"
          name="artifactKinds"
          rows={3}
          defaultValue={agent.artifactKinds.join("\n")}
          className="font-mono text-xs"
        />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="Model tier"
          htmlFor="agent-tier"
          error={errors.modelTier}
          hint="fast, standard or deep"
        >
          <Input id="agent-tier" name="modelTier" defaultValue={agent.modelTier} />
        </FormField>
        <FormField
          label="Model id"
          htmlFor="agent-model"
          error={errors.modelId}
          hint="Blank: the organization's model for the tier."
        >
          <Input id="agent-model" name="modelId" defaultValue={agent.modelId ?? ""} />
        </FormField>
      </div>
      <div>
        <SubmitButton pending={save.isPending} pendingText="Saving…">
          Save new version
        </SubmitButton>
      </div>
    </form>
  );
}
