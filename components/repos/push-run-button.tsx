"use client";

import { useMutation } from "@tanstack/react-query";
import { ExternalLinkIcon, UploadIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { pushRunAction } from "@/app/(app)/[org]/projects/[project]/runs/[run]/push-action";
import { Button } from "@/components/ui/button";

type Props = { org: string; project: string; run: string; pullRequestUrl: string | null };

/** Pushes the run branch to the project's remote now; shows the pull request once there is one. */
export function PushRunButton({ org, project, run, pullRequestUrl }: Props) {
  const router = useRouter();
  const push = useMutation({
    mutationFn: () => pushRunAction(org, { project, run }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      const { pushed, branch, pullRequestUrl: pr } = result.data;
      toast.success(pushed ? `Pushed ${branch}.` : `${branch} is already up to date on the remote.`, {
        description: pr ? `Pull request: ${pr}` : undefined,
      });
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <div className="flex items-center gap-2">
      <Button
        type="button"
        variant="outline"
        size="sm"
        disabled={push.isPending}
        onClick={() => push.mutate()}
      >
        <UploadIcon />
        {push.isPending ? "Pushing…" : "Push branch"}
      </Button>
      {pullRequestUrl && (
        <Button asChild variant="link" size="sm">
          <a href={pullRequestUrl} target="_blank" rel="noreferrer noopener">
            Pull request
            <ExternalLinkIcon />
          </a>
        </Button>
      )}
    </div>
  );
}
