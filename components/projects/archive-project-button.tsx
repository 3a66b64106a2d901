"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ArchiveIcon, ArchiveRestoreIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { archiveProjectAction, unarchiveProjectAction } from "@/app/(app)/[org]/projects/actions";
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
import { type Project, projectKeys } from "@/lib/projects/types";

type Props = { org: string; project: Pick<Project, "name" | "slug" | "status">; size?: "sm" | "default" };

/** Archive (after confirming) or restore a project, then refresh the page's server data. */
export function ArchiveProjectButton({ org, project, size = "default" }: Props) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const archived = project.status === "archived";

  const toggle = useMutation({
    mutationFn: () =>
      archived
        ? unarchiveProjectAction(org, { project: project.slug })
        : archiveProjectAction(org, { project: project.slug }),
    onSuccess: (result) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setOpen(false);
      queryClient.invalidateQueries({ queryKey: projectKeys.all(org) });
      toast.success(archived ? `“${project.name}” restored.` : `“${project.name}” archived.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  if (archived) {
    return (
      <Button variant="outline" size={size} disabled={toggle.isPending} onClick={() => toggle.mutate()}>
        {toggle.isPending ? <Spinner /> : <ArchiveRestoreIcon />}
        Unarchive
      </Button>
    );
  }

  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button variant="outline" size={size}>
          <ArchiveIcon />
          Archive
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Archive “{project.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            The project leaves the active list and becomes read-only: nobody can edit it until it is
            unarchived. Nothing is deleted.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={toggle.isPending}>Cancel</AlertDialogCancel>
          {/* A plain button, not AlertDialogAction: the dialog stays open until the server answers. */}
          <Button onClick={() => toggle.mutate()} disabled={toggle.isPending}>
            {toggle.isPending && <Spinner />}
            Archive project
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
