"use client";

import { useMutation } from "@tanstack/react-query";
import { KeyRoundIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  deleteWebhookEndpointAction,
  rollWebhookSecretAction,
  updateWebhookEndpointAction,
} from "@/app/(app)/[org]/settings/webhooks/actions";
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
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { SecretOnce } from "./secret-once";

const OFFLINE = "Could not reach the server. Check your connection and try again.";

/** Enable/disable, roll the secret, delete. */
export function WebhookEndpointControls({
  orgSlug,
  endpointId,
  enabled,
}: {
  orgSlug: string;
  endpointId: string;
  enabled: boolean;
}) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = useMutation({
    mutationFn: (next: boolean) => updateWebhookEndpointAction(orgSlug, { id: endpointId, enabled: next }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      toast.success(result.data.enabled ? "Endpoint enabled." : "Endpoint disabled.");
      router.refresh();
    },
    onError: () => toast.error(OFFLINE),
  });
  const roll = useMutation({
    mutationFn: () => rollWebhookSecretAction(orgSlug, { id: endpointId }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      setSecret(result.data.secret);
    },
    onError: () => toast.error(OFFLINE),
  });
  const remove = useMutation({
    mutationFn: () => deleteWebhookEndpointAction(orgSlug, { id: endpointId }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      setOpen(false);
      toast.success("Endpoint deleted.");
      router.push(`/${orgSlug}/settings/webhooks`);
      router.refresh();
    },
    onError: () => toast.error(OFFLINE),
  });

  return (
    <div className="grid gap-4">
      {secret && <SecretOnce secret={secret} />}
      <div className="flex flex-wrap items-center gap-4">
        <div className="flex items-center gap-2">
          <Switch
            id="webhook-enabled"
            checked={enabled}
            disabled={toggle.isPending}
            onCheckedChange={(next) => toggle.mutate(next)}
          />
          <Label htmlFor="webhook-enabled">Enabled</Label>
        </div>
        <Button variant="outline" disabled={roll.isPending} onClick={() => roll.mutate()}>
          {roll.isPending ? <Spinner /> : <KeyRoundIcon />}
          Roll secret
        </Button>
        <AlertDialog open={open} onOpenChange={setOpen}>
          <AlertDialogTrigger asChild>
            <Button variant="destructive">
              <Trash2Icon />
              Delete endpoint
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Delete this endpoint?</AlertDialogTitle>
              <AlertDialogDescription>
                No more events are sent to it, and its delivery log is deleted with it.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
              <Button variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate()}>
                {remove.isPending && <Spinner />}
                Delete endpoint
              </Button>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </div>
    </div>
  );
}
