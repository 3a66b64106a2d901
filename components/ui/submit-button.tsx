"use client";

import { LoaderCircleIcon } from "lucide-react";
import type * as React from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "@/components/ui/button";

type SubmitButtonProps = Omit<ButtonProps, "type" | "asChild"> & {
  /** Label while submitting; defaults to the normal label. */
  pendingText?: React.ReactNode;
  /** Extra pending signal, e.g. `isPending` from useActionState or useMutation. */
  pending?: boolean;
};

/** Submit button for a `<form action={...}>`: disabled with a spinner while the form is submitting. */
export function SubmitButton({ children, pendingText, pending, disabled, ...props }: SubmitButtonProps) {
  const status = useFormStatus();
  const isPending = status.pending || Boolean(pending);
  return (
    <Button type="submit" disabled={disabled || isPending} aria-busy={isPending || undefined} {...props}>
      {isPending && <LoaderCircleIcon aria-hidden="true" className="animate-spin" />}
      {isPending ? (pendingText ?? children) : children}
    </Button>
  );
}
