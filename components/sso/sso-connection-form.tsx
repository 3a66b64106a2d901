"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { saveSsoConnectionAction } from "@/app/(app)/[org]/settings/sso/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import type { SsoConnectionView } from "@/lib/sso/get-connection";

type SsoConnectionFormProps = {
  orgSlug: string;
  connection: SsoConnectionView | null;
  /** Id a new connection is created with, so its redirect URI can be shown before saving. */
  draftId?: string;
  /** Roles the admin may give just-in-time members (never above their own). */
  roleOptions: { value: string; label: string }[];
};

export function SsoConnectionForm({ orgSlug, connection, draftId, roleOptions }: SsoConnectionFormProps) {
  const router = useRouter();
  const [enabled, setEnabled] = useState(connection?.enabled ?? true);
  const [enforced, setEnforced] = useState(connection?.enforced ?? false);
  const [defaultRole, setDefaultRole] = useState<string>(connection?.defaultRole ?? "member");
  const [jitEnabled, setJitEnabled] = useState(connection?.jitEnabled ?? true);
  const [jitReadmitRemoved, setJitReadmitRemoved] = useState(connection?.jitReadmitRemoved ?? false);
  // "Require SSO" and JIT act on verified domains only; until one is verified they would do nothing.
  const verified = connection?.hasVerifiedDomain ?? false;
  const [secret, setSecret] = useState("");

  const save = useMutation({
    mutationFn: (form: FormData) =>
      saveSsoConnectionAction(orgSlug, {
        id: connection ? undefined : draftId,
        issuer: form.get("issuer"),
        clientId: form.get("clientId"),
        clientSecret: secret,
        domains: form.get("domains"),
        defaultRole,
        enabled,
        enforced,
        jitEnabled,
        jitReadmitRemoved,
      }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      setSecret("");
      toast.success(connection ? "SSO connection saved." : "SSO connection created.");
      router.refresh();
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
      {error?.fieldErrors && (
        <Alert variant="destructive">
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      )}
      <FormField
        label="Issuer URL"
        htmlFor="sso-issuer"
        error={fieldErrors.issuer}
        hint="Your identity provider's OpenID Connect issuer, e.g. https://login.example.com. We check it when you save."
      >
        <Input
          id="sso-issuer"
          name="issuer"
          type="url"
          required
          spellCheck={false}
          autoComplete="off"
          defaultValue={connection?.issuer}
          placeholder="https://login.example.com"
        />
      </FormField>
      <FormField label="Client ID" htmlFor="sso-client-id" error={fieldErrors.clientId}>
        <Input
          id="sso-client-id"
          name="clientId"
          required
          spellCheck={false}
          autoComplete="off"
          defaultValue={connection?.clientId}
        />
      </FormField>
      <FormField
        label="Client secret"
        htmlFor="sso-client-secret"
        error={fieldErrors.clientSecret}
        hint={
          connection?.hasSecret
            ? "A secret is stored (encrypted). Leave blank to keep it, or enter a new one to replace it."
            : "Stored encrypted; it is never shown again."
        }
      >
        <Input
          id="sso-client-secret"
          name="clientSecret"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          placeholder={connection?.hasSecret ? "•••••••• (unchanged)" : undefined}
        />
      </FormField>
      <FormField
        label="Email domains"
        htmlFor="sso-domains"
        error={fieldErrors.domains}
        hint="One per line or separated by commas. Each domain works once you verify it with a DNS record. Public domains such as gmail.com cannot be used."
      >
        <Textarea
          id="sso-domains"
          name="domains"
          rows={3}
          spellCheck={false}
          defaultValue={connection?.domains.join("\n")}
          placeholder={"example.com\nexample.co.uk"}
        />
      </FormField>
      <FormField
        label="Role for new members"
        htmlFor="sso-default-role"
        error={fieldErrors.defaultRole}
        hint="People who sign in through SSO for the first time join the organization with this role."
      >
        <Select value={defaultRole} onValueChange={setDefaultRole}>
          <SelectTrigger id="sso-default-role" className="w-48">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {roleOptions.map((role) => (
              <SelectItem key={role.value} value={role.value}>
                {role.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </FormField>
      <div className="grid gap-4 rounded-lg border p-4">
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="sso-enabled">Enabled</Label>
            <p className="text-muted-foreground text-sm">Allow signing in through this connection.</p>
          </div>
          <Switch id="sso-enabled" checked={enabled} onCheckedChange={setEnabled} />
        </div>
        {!verified && (
          <p className="text-muted-foreground text-sm" id="sso-needs-verified-domain">
            Verify at least one domain (see Domain verification) before requiring SSO or letting people join
            through it.
          </p>
        )}
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="sso-enforced">Require SSO</Label>
            <p className="text-muted-foreground text-sm">
              People with the verified email domains can no longer sign in with a password, GitHub or Google.
              Test the connection first.
            </p>
            {fieldErrors.enforced && (
              <p role="alert" className="text-destructive text-sm">
                {fieldErrors.enforced.join(" ")}
              </p>
            )}
          </div>
          <Switch
            id="sso-enforced"
            checked={enforced}
            onCheckedChange={setEnforced}
            disabled={!verified && !enforced}
            aria-describedby={verified ? undefined : "sso-needs-verified-domain"}
          />
        </div>
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="sso-jit">Join on first sign-in</Label>
            <p className="text-muted-foreground text-sm">
              People of a verified domain who sign in through SSO become members with the role above.
            </p>
          </div>
          <Switch
            id="sso-jit"
            checked={jitEnabled}
            onCheckedChange={setJitEnabled}
            disabled={!verified}
            aria-describedby={verified ? undefined : "sso-needs-verified-domain"}
          />
        </div>
        <div className="flex items-start justify-between gap-4">
          <div className="grid gap-1">
            <Label htmlFor="sso-jit-readmit">Re-admit removed members</Label>
            <p className="text-muted-foreground text-sm">
              Off: someone removed from the organization (or who left) does not rejoin through SSO until an
              admin invites them again.
            </p>
          </div>
          <Switch
            id="sso-jit-readmit"
            checked={jitReadmitRemoved}
            onCheckedChange={setJitReadmitRemoved}
            disabled={!verified || !jitEnabled}
          />
        </div>
      </div>
      <div>
        <SubmitButton pending={save.isPending} pendingText="Checking the issuer…">
          {connection ? "Save changes" : "Create connection"}
        </SubmitButton>
      </div>
    </form>
  );
}
