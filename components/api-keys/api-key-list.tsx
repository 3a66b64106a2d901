"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRoundIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { revokeApiKeyAction } from "@/app/(app)/[org]/settings/api-keys/actions";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ApiKeySummary } from "@/lib/api-keys/schemas";
import { formatDate, formatRelative } from "@/lib/utils";

const STATUS_VARIANT = { active: "default", expired: "secondary", revoked: "outline" } as const;

function RevokeButton({ orgSlug, apiKey }: { orgSlug: string; apiKey: ApiKeySummary }) {
  const router = useRouter();
  const revoke = useMutation({
    mutationFn: () => revokeApiKeyAction(orgSlug, { id: apiKey.id }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      toast.success(`Revoked “${apiKey.name}”.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size="sm" disabled={revoke.isPending}>
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{apiKey.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Requests with this key get 401 from now on: CI jobs, scripts and IDE agents using it stop working.
            This cannot be undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={() => revoke.mutate()}>Revoke key</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Every key of the organization: what it may do, when it was last used; never its secret. */
export function ApiKeyList({ orgSlug, keys }: { orgSlug: string; keys: ApiKeySummary[] }) {
  if (keys.length === 0) {
    return (
      <EmptyState
        icon={<KeyRoundIcon aria-hidden="true" />}
        title="No API keys yet"
        description="Create one for CI, a script or an IDE agent."
      />
    );
  }
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead>Scopes</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => (
          <TableRow key={key.id}>
            <TableCell>
              <div className="grid gap-0.5">
                <span className="font-medium">{key.name}</span>
                <span className="text-muted-foreground text-xs">
                  {key.createdBy ?? "a former member"}, {formatDate(key.createdAt)}
                </span>
              </div>
            </TableCell>
            <TableCell className="font-mono text-xs">dmk_{key.prefix}_…</TableCell>
            <TableCell className="max-w-64">
              <div className="flex flex-wrap gap-1">
                {key.scopes.map((scope) => (
                  <Badge key={scope} variant="secondary" className="font-mono text-[11px]">
                    {scope}
                  </Badge>
                ))}
              </div>
            </TableCell>
            <TableCell title={key.lastUsedAt ?? undefined}>
              {key.lastUsedAt ? (
                formatRelative(key.lastUsedAt)
              ) : (
                <span className="text-muted-foreground">Never</span>
              )}
            </TableCell>
            <TableCell>
              {key.expiresAt ? (
                formatDate(key.expiresAt)
              ) : (
                <span className="text-muted-foreground">Never</span>
              )}
            </TableCell>
            <TableCell>
              <Badge variant={STATUS_VARIANT[key.status]}>{key.status}</Badge>
            </TableCell>
            <TableCell className="text-right">
              {key.status === "active" && <RevokeButton orgSlug={orgSlug} apiKey={key} />}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
