"use client";

import { useMutation } from "@tanstack/react-query";
import { LogOutIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { leaveOrganizationAction } from "@/app/(app)/[org]/members/actions";
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
import { Spinner } from "@/components/ui/spinner";

/** Any member can leave; the server refuses the last owner with an explanation shown here. */
export function LeaveOrganizationButton({ org, orgName }: { org: string; orgName: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const leave = useMutation({
    mutationFn: () => leaveOrganizationAction(org, {}),
    onSuccess: (result) => {
      if (!result.ok) return;
      setOpen(false);
      toast.success(`You left ${orgName}.`);
      router.push("/orgs");
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = leave.data && !leave.data.ok ? leave.data.error.message : null;

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) leave.reset();
      }}
    >
      <AlertDialogTrigger asChild>
        <Button variant="outline">
          <LogOutIcon />
          Leave organization
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Leave {orgName}?</AlertDialogTitle>
          <AlertDialogDescription>
            You lose access to its projects right away. To come back, someone has to invite you again.
          </AlertDialogDescription>
        </AlertDialogHeader>
        {error && (
          <Alert variant="destructive">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        <AlertDialogFooter>
          <AlertDialogCancel disabled={leave.isPending}>Cancel</AlertDialogCancel>
          <Button variant="destructive" disabled={leave.isPending} onClick={() => leave.mutate()}>
            {leave.isPending && <Spinner />}
            Leave
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
