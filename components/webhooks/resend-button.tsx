"use client";

import { useMutation } from "@tanstack/react-query";
import { RotateCwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { resendWebhookDeliveryAction } from "@/app/(app)/[org]/settings/webhooks/actions";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export function ResendDeliveryButton({ orgSlug, deliveryId }: { orgSlug: string; deliveryId: string }) {
  const router = useRouter();
  const resend = useMutation({
    mutationFn: () => resendWebhookDeliveryAction(orgSlug, { id: deliveryId }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      toast.success("Sent again as a new delivery.");
      router.push(`/${orgSlug}/settings/webhooks/deliveries/${result.data.id}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <Button variant="outline" disabled={resend.isPending} onClick={() => resend.mutate()}>
      {resend.isPending ? <Spinner /> : <RotateCwIcon />}
      Resend
    </Button>
  );
}
