"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { UserPlusIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { createInvitationAction } from "@/app/(app)/[org]/members/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FieldError, FormField, fieldIds } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { invitationKeys } from "@/lib/invitations/types";
import type { RoleOption } from "@/lib/members/types";
import { toastInvitationSent } from "./invitation-toast";

const ROLE_HINTS: Record<string, string> = {
  owner: "Everything, including billing and deleting the organization.",
  admin: "Manages members, settings, SSO and the audit log.",
  member: "Creates projects and starts runs.",
  viewer: "Reads projects and runs; changes nothing.",
};

type InviteMemberDialogProps = {
  org: string;
  orgName: string;
  /** Roles the inviter may grant: their own and below. */
  grantableRoles: RoleOption[];
  /** Open on arrival, e.g. from the dashboard's "Invite teammates". */
  defaultOpen?: boolean;
};

export function InviteMemberDialog({
  org,
  orgName,
  grantableRoles,
  defaultOpen = false,
}: InviteMemberDialogProps) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(defaultOpen);
  const defaultRole = grantableRoles.some((r) => r.value === "member")
    ? "member"
    : (grantableRoles.at(-1)?.value ?? "");
  const [role, setRole] = useState<string>(defaultRole);

  const invite = useMutation({
    mutationFn: (form: FormData) => createInvitationAction(org, form),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toastInvitationSent(result.data, result.data.invitation.email);
      queryClient.invalidateQueries({ queryKey: invitationKeys.list(org) });
      setOpen(false);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const fieldErrors = invite.data && !invite.data.ok ? (invite.data.error.fieldErrors ?? {}) : {};

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          invite.reset();
          setRole(defaultRole);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlusIcon />
          Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite to {orgName}</DialogTitle>
          <DialogDescription>
            We email them a link that works once and expires in 7 days. They sign in (or create an account)
            with this email to join.
          </DialogDescription>
        </DialogHeader>
        <form
          noValidate
          className="grid gap-5"
          onSubmit={(event) => {
            event.preventDefault();
            invite.mutate(new FormData(event.currentTarget));
          }}
        >
          {fieldErrors._ && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors._.join(" ")}</AlertDescription>
            </Alert>
          )}
          <FormField label="Email" htmlFor="invite-email" error={fieldErrors.email}>
            <Input
              id="invite-email"
              name="email"
              type="email"
              required
              autoComplete="off"
              placeholder="teammate@example.com"
              autoFocus
            />
          </FormField>
          <div className="grid gap-2">
            <Label htmlFor="invite-role" className={fieldErrors.role ? "text-destructive" : undefined}>
              Role
            </Label>
            <Select name="role" value={role} onValueChange={setRole}>
              <SelectTrigger
                id="invite-role"
                className="w-full"
                aria-invalid={fieldErrors.role ? true : undefined}
                aria-describedby={`${fieldIds("invite-role").hint} ${fieldErrors.role ? fieldIds("invite-role").error : ""}`.trim()}
              >
                <SelectValue placeholder="Choose a role" />
              </SelectTrigger>
              <SelectContent>
                {grantableRoles.map((r) => (
                  <SelectItem key={r.value} value={r.value}>
                    {r.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <p id={fieldIds("invite-role").hint} className="text-muted-foreground text-sm">
              {ROLE_HINTS[role] ?? "You can invite people with your role or below."}
            </p>
            <FieldError id={fieldIds("invite-role").error} messages={fieldErrors.role} />
          </div>
          <DialogFooter>
            <SubmitButton pending={invite.isPending} pendingText="Sending…">
              Send invitation
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
