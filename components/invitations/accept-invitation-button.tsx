"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { acceptInvitationAction } from "@/app/(app)/invite/[token]/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

export function AcceptInvitationButton({ token, orgName }: { token: string; orgName: string }) {
  const router = useRouter();
  const accept = useMutation({
    mutationFn: () => acceptInvitationAction({ token }),
    onSuccess: (result) => {
      if (!result.ok) return;
      toast.success(result.data.alreadyMember ? `You are already in ${orgName}.` : `Welcome to ${orgName}!`);
      router.push(`/${result.data.org.slug}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = accept.data && !accept.data.ok ? accept.data.error.message : null;

  return (
    <div className="grid gap-4">
      {error && (
        <Alert variant="destructive">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      )}
      <Button
        className="w-full"
        disabled={accept.isPending || accept.data?.ok}
        onClick={() => accept.mutate()}
      >
        {accept.isPending && <Spinner />}
        Accept and join {orgName}
      </Button>
    </div>
  );
}
