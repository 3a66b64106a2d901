import { Slot } from "radix-ui";
import * as React from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** The ids FormField gives its hint and error, for controls it cannot reach (e.g. a SelectTrigger). */
export function fieldIds(htmlFor: string) {
  return { hint: `${htmlFor}-hint`, error: `${htmlFor}-error` };
}

type FieldErrorProps = {
  messages?: string[] | null;
  id?: string;
  className?: string;
};

/** Validation messages for one field; renders nothing when there are none. */
export function FieldError({ messages, id, className }: FieldErrorProps) {
  if (!messages?.length) return null;
  return (
    <div id={id} role="alert" className={cn("text-destructive text-sm", className)}>
      {messages.length === 1 ? (
        <p>{messages[0]}</p>
      ) : (
        <ul className="list-disc space-y-0.5 pl-4">
          {messages.map((message, index) => (
            <li key={index}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

type FormFieldProps = {
  label: React.ReactNode;
  htmlFor: string;
  error?: string[];
  hint?: React.ReactNode;
  className?: string;
  children: React.ReactNode;
};

/**
 * Label + control + hint + errors. When the child is a single element (an Input, Textarea...), it receives
 * `aria-describedby` and `aria-invalid`; give it `id={htmlFor}`.
 */
export function FormField({ label, htmlFor, error, hint, className, children }: FormFieldProps) {
  const ids = fieldIds(htmlFor);
  const hasError = Boolean(error?.length);
  const describedBy = [hint ? ids.hint : null, hasError ? ids.error : null].filter(Boolean).join(" ");

  return (
    <div data-slot="form-field" className={cn("grid gap-2", className)}>
      <Label htmlFor={htmlFor} className={cn(hasError && "text-destructive")}>
        {label}
      </Label>
      {React.isValidElement(children) ? (
        <Slot.Root aria-describedby={describedBy || undefined} aria-invalid={hasError || undefined}>
          {children}
        </Slot.Root>
      ) : (
        children
      )}
      {hint && (
        <p id={ids.hint} className="text-muted-foreground text-sm">
          {hint}
        </p>
      )}
      <FieldError id={ids.error} messages={error} />
    </div>
  );
}
