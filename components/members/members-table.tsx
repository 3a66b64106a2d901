"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { changeMemberRoleAction, removeMemberAction } from "@/app/(app)/[org]/members/actions";
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
import { Avatar, AvatarFallback } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { type MemberView, memberKeys, type RoleOption } from "@/lib/members/types";
import { formatDate, initials } from "@/lib/utils";
import { RoleBadge, roleLabel } from "./role-badge";

type MembersTableProps = {
  org: string;
  orgName: string;
  currentUserId: string;
  /** Whether the viewer may change roles and remove members (`members.manage`). */
  canManage: boolean;
  /** Roles the viewer may grant: their own and below. Members above that are read-only to them. */
  grantableRoles: RoleOption[];
};

async function fetchMembers(org: string, signal: AbortSignal): Promise<MemberView[]> {
  const res = await fetch(`/api/orgs/${org}/members`, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load members.");
  return (body as { members: MemberView[] }).members;
}

export function MembersTable({ org, orgName, currentUserId, canManage, grantableRoles }: MembersTableProps) {
  const queryClient = useQueryClient();
  const members = useQuery({
    queryKey: memberKeys.list(org),
    queryFn: ({ signal }) => fetchMembers(org, signal),
  });
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const grantable = new Set(grantableRoles.map((r) => r.value));

  const refresh = () => queryClient.invalidateQueries({ queryKey: memberKeys.list(org) });

  const changeRole = useMutation({
    mutationFn: (input: { member: MemberView; role: string }) =>
      changeMemberRoleAction(org, { memberId: input.member.id, role: input.role }),
    onSuccess: (result, { member }) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      toast.success(`${member.name ?? member.email} is now ${roleLabel(result.data.role)}.`);
      refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  const remove = useMutation({
    mutationFn: (member: MemberView) => removeMemberAction(org, { memberId: member.id }),
    onSuccess: (result, member) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setRemoving(null);
      toast.success(`${member.name ?? member.email} was removed from ${orgName}.`);
      refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  if (members.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>{members.error.message}</AlertDescription>
      </Alert>
    );
  }
  if (!members.data) {
    return (
      <div className="flex justify-center py-12">
        <Spinner />
      </div>
    );
  }

  return (
    <>
      <div className="rounded-xl border">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Member</TableHead>
              <TableHead className="w-40">Role</TableHead>
              <TableHead className="hidden w-36 sm:table-cell">Joined</TableHead>
              {canManage && (
                <TableHead className="w-14">
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data.map((member) => {
              const self = member.userId === currentUserId;
              // Nobody manages someone ranked above them; one's own membership is changed by leaving.
              const manageable = canManage && !self && grantable.has(member.role);
              return (
                <TableRow key={member.id}>
                  <TableCell>
                    <div className="flex items-center gap-3">
                      <Avatar className="size-8">
                        <AvatarFallback className="text-xs">
                          {initials(member.name ?? member.email)}
                        </AvatarFallback>
                      </Avatar>
                      <div className="min-w-0">
                        <p className="truncate font-medium">
                          {member.name ?? member.email}
                          {self && (
                            <Badge variant="outline" className="ml-2 align-middle">
                              You
                            </Badge>
                          )}
                        </p>
                        {member.name && (
                          <p className="truncate text-muted-foreground text-sm">{member.email}</p>
                        )}
                      </div>
                    </div>
                  </TableCell>
                  <TableCell>
                    {manageable ? (
                      <Select
                        value={member.role}
                        disabled={changeRole.isPending}
                        onValueChange={(role) => changeRole.mutate({ member, role })}
                      >
                        <SelectTrigger
                          size="sm"
                          aria-label={`Role of ${member.name ?? member.email}`}
                          className="w-32"
                        >
                          <SelectValue />
                        </SelectTrigger>
                        <SelectContent>
                          {grantableRoles.map((r) => (
                            <SelectItem key={r.value} value={r.value}>
                              {r.label}
                            </SelectItem>
                          ))}
                        </SelectContent>
                      </Select>
                    ) : (
                      <RoleBadge role={member.role} />
                    )}
                  </TableCell>
                  <TableCell className="hidden text-muted-foreground sm:table-cell">
                    {formatDate(member.joinedAt, { dateStyle: "medium", timeZone: "UTC" })}
                  </TableCell>
                  {canManage && (
                    <TableCell>
                      {manageable && (
                        <Button
                          variant="ghost"
                          size="icon"
                          aria-label={`Remove ${member.name ?? member.email}`}
                          onClick={() => setRemoving(member)}
                        >
                          <Trash2Icon />
                        </Button>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>

      <AlertDialog open={removing !== null} onOpenChange={(open) => !open && setRemoving(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Remove {removing?.name ?? removing?.email}?</AlertDialogTitle>
            <AlertDialogDescription>
              They lose access to {orgName} on their next request. You can invite them again later.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
            {/* A plain button, not AlertDialogAction: the dialog stays open until the removal succeeds. */}
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => removing && remove.mutate(removing)}
            >
              {remove.isPending && <Spinner />}
              Remove member
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
