"use client";

import { useMutation } from "@tanstack/react-query";
import { PlayIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { runProjectChecksAction } from "@/app/(app)/[org]/projects/[project]/checks-action";
import { Button } from "@/components/ui/button";

/** Runs the project's checks on its default branch in the background; the card shows the result. */
export function RunProjectChecksButton({ org, project }: { org: string; project: string }) {
  const router = useRouter();
  const run = useMutation({
    mutationFn: () => runProjectChecksAction(org, { project }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      toast.success("Checks started on the default branch. Reload in a moment to see the result.");
      setTimeout(() => router.refresh(), 5_000);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <Button type="button" variant="outline" size="sm" disabled={run.isPending} onClick={() => run.mutate()}>
      <PlayIcon />
      {run.isPending ? "Starting…" : "Run checks"}
    </Button>
  );
}
