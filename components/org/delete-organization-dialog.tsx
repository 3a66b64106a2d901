"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { deleteOrganizationAction } from "@/app/(app)/[org]/settings/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";

/** Deleting needs the slug typed out, so it cannot happen by a stray click. */
export function DeleteOrganizationDialog({ org }: { org: { name: string; slug: string } }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");

  const remove = useMutation({
    mutationFn: () => deleteOrganizationAction(org.slug, { confirm }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      setOpen(false);
      toast.success(`${org.name} was deleted.`);
      router.push("/orgs");
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = remove.data && !remove.data.ok ? remove.data.error : null;

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setConfirm("");
          remove.reset();
        }
      }}
    >
      <AlertDialogTrigger asChild>
        <Button variant="destructive">
          <Trash2Icon />
          Delete organization
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirm === org.slug) remove.mutate();
          }}
        >
          <AlertDialogHeader>
            <AlertDialogTitle>Delete {org.name}?</AlertDialogTitle>
            <AlertDialogDescription>
              This permanently deletes the organization with its projects, members, invitations, SSO settings
              and audit log. It cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          {error && !error.fieldErrors && (
            <Alert variant="destructive">
              <AlertDescription>{error.message}</AlertDescription>
            </Alert>
          )}
          <FormField
            label={
              <span>
                Type <span className="font-mono font-semibold">{org.slug}</span> to confirm
              </span>
            }
            htmlFor="delete-confirm"
            error={error?.fieldErrors?.confirm}
          >
            <Input
              id="delete-confirm"
              name="confirm"
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </FormField>
          <AlertDialogFooter>
            <AlertDialogCancel type="button" disabled={remove.isPending}>
              Cancel
            </AlertDialogCancel>
            <Button type="submit" variant="destructive" disabled={confirm !== org.slug || remove.isPending}>
              {remove.isPending && <Spinner />}
              Delete forever
            </Button>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
