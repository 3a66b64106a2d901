"use client";

import { useMutation } from "@tanstack/react-query";
import { LogInIcon } from "lucide-react";
import { toast } from "sonner";
import { testSsoSignInAction } from "@/app/(app)/[org]/settings/sso/actions";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** Goes through the IdP and back; while the email's domain is unverified nobody is signed in. */
export function TestSignIn({ orgSlug }: { orgSlug: string }) {
  const test = useMutation({
    mutationFn: () => testSsoSignInAction(orgSlug, {}),
    onSuccess: (result) => {
      if (result && !result.ok) toast.error(result.error.message);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <Button type="button" variant="outline" disabled={test.isPending} onClick={() => test.mutate()}>
      {test.isPending ? <Spinner /> : <LogInIcon aria-hidden="true" />}
      Test sign-in
    </Button>
  );
}
