"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailIcon, RotateCwIcon, XIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { resendInvitationAction, revokeInvitationAction } from "@/app/(app)/[org]/members/actions";
import { RoleBadge } from "@/components/members/role-badge";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { type InvitationView, invitationKeys } from "@/lib/invitations/types";
import type { RoleOption } from "@/lib/members/types";
import { formatDate, formatRelative } from "@/lib/utils";
import { toastInvitationSent } from "./invitation-toast";

async function fetchInvitations(org: string, signal: AbortSignal): Promise<InvitationView[]> {
  const res = await fetch(`/api/orgs/${org}/invitations`, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load invitations.");
  return (body as { invitations: InvitationView[] }).invitations;
}

const networkError = () => toast.error("Could not reach the server. Check your connection and try again.");

/** Open invitations with resend (new link, new expiry) and revoke. */
export function InvitationsTable({ org, grantableRoles }: { org: string; grantableRoles: RoleOption[] }) {
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: invitationKeys.list(org),
    queryFn: ({ signal }) => fetchInvitations(org, signal),
  });
  const [revoking, setRevoking] = useState<InvitationView | null>(null);
  const grantable = new Set(grantableRoles.map((r) => r.value));
  const refresh = () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(org) });

  const resend = useMutation({
    mutationFn: (invitation: InvitationView) => resendInvitationAction(org, { id: invitation.id }),
    onSuccess: (result, invitation) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toastInvitationSent(result.data, invitation.email);
      refresh();
    },
    onError: networkError,
  });

  const revoke = useMutation({
    mutationFn: (invitation: InvitationView) => revokeInvitationAction(org, { id: invitation.id }),
    onSuccess: (result, invitation) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setRevoking(null);
      toast.success(`The invitation for ${invitation.email} was revoked.`);
      refresh();
    },
    onError: networkError,
  });

  if (invitations.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>{invitations.error.message}</AlertDescription>
      </Alert>
    );
  }
  if (!invitations.data) {
    return (
      <div className="flex justify-center py-12">
        <Spinner />
      </div>
    );
  }
  if (invitations.data.length === 0) {
    return (
      <EmptyState
        icon={<MailIcon />}
        title="No pending invitations"
        description="Invitations you send appear here until they are accepted or revoked."
      />
    );
  }

  return (
    <>
      <div className="rounded-xl border">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Email</TableHead>
              <TableHead className="w-28">Role</TableHead>
              <TableHead className="hidden w-44 md:table-cell">Status</TableHead>
              <TableHead className="w-28">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invitations.data.map((invitation) => {
              const manageable = grantable.has(invitation.role);
              const busy =
                (resend.isPending && resend.variables?.id === invitation.id) ||
                (revoke.isPending && revoke.variables?.id === invitation.id);
              return (
                <TableRow key={invitation.id}>
                  <TableCell>
                    <p className="truncate font-medium">{invitation.email}</p>
                    <p className="truncate text-muted-foreground text-sm">
                      Sent {formatDate(invitation.lastSentAt, { dateStyle: "medium", timeZone: "UTC" })}
                      {invitation.invitedBy
                        ? ` by ${invitation.invitedBy.name ?? invitation.invitedBy.email}`
                        : ""}
                    </p>
                  </TableCell>
                  <TableCell>
                    <RoleBadge role={invitation.role} />
                  </TableCell>
                  <TableCell className="hidden md:table-cell">
                    {invitation.status === "expired" ? (
                      <Badge variant="warning">Expired</Badge>
                    ) : (
                      <span className="text-muted-foreground text-sm" suppressHydrationWarning>
                        Expires {formatRelative(invitation.expiresAt)}
                      </span>
                    )}
                  </TableCell>
                  <TableCell>
                    {manageable && (
                      <div className="flex justify-end gap-1">
                        <Button
                          variant="ghost"
                          size="icon"
                          disabled={busy}
                          aria-label={`Resend the invitation to ${invitation.email}`}
                          title="Resend with a new link"
                          onClick={() => resend.mutate(invitation)}
                        >
                          {resend.isPending && resend.variables?.id === invitation.id ? (
                            <Spinner />
                          ) : (
                            <RotateCwIcon />
                          )}
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon"
                          disabled={busy}
                          aria-label={`Revoke the invitation to ${invitation.email}`}
                          title="Revoke"
                          onClick={() => setRevoking(invitation)}
                        >
                          <XIcon />
                        </Button>
                      </div>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>

      <AlertDialog open={revoking !== null} onOpenChange={(open) => !open && setRevoking(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke the invitation to {revoking?.email}?</AlertDialogTitle>
            <AlertDialogDescription>
              Its link stops working. You can send a new invitation later.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={revoke.isPending}>Cancel</AlertDialogCancel>
            <Button
              variant="destructive"
              disabled={revoke.isPending}
              onClick={() => revoking && revoke.mutate(revoking)}
            >
              {revoke.isPending && <Spinner />}
              Revoke invitation
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
