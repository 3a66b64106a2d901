"use client";

import { useMutation } from "@tanstack/react-query";
import { RotateCcwIcon, SquareIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { cancelRunAction, replayRunAction } from "@/app/(app)/admin/engine/actions";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

type Props = { runId: string; status: string };

/** Cancel an active run, or replay a failed or cancelled one from the start with its event. */
export function RunActions({ runId, status }: Props) {
  const router = useRouter();
  const active = status === "queued" || status === "running";
  const replayable = status === "failed" || status === "cancelled";

  const cancel = useMutation({
    mutationFn: () => cancelRunAction({ runId }),
    onSuccess: (result) => {
      if (!result.ok) return void toast.error(result.error.message);
      toast.success("Run cancelled.");
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const replay = useMutation({
    mutationFn: () => replayRunAction({ runId }),
    onSuccess: (result) => {
      if (!result.ok) return void toast.error(result.error.message);
      toast.success("Replay started.");
      router.push(`/admin/engine/runs/${result.data.runId}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  return (
    <>
      {active && (
        <Button variant="outline" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          {cancel.isPending ? <Spinner /> : <SquareIcon />}
          Cancel run
        </Button>
      )}
      {replayable && (
        <Button disabled={replay.isPending} onClick={() => replay.mutate()}>
          {replay.isPending ? <Spinner /> : <RotateCcwIcon />}
          Replay
        </Button>
      )}
    </>
  );
}
