import { CircleAlertIcon, CircleCheckIcon, InfoIcon } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import type { AuthFormState } from "@/lib/auth/form-state";

/** The outcome of an auth form: its message, and the development notice about unsent email. */
export function FormMessage({ state }: { state: AuthFormState }) {
  if (!state.message && !state.mailNotice) return null;
  return (
    <div className="grid gap-3">
      {state.message && (
        <Alert variant={state.status === "error" ? "destructive" : "default"}>
          {state.status === "error" ? <CircleAlertIcon /> : <CircleCheckIcon />}
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      )}
      {state.mailNotice && <MailNotice text={state.mailNotice} />}
    </div>
  );
}

export function MailNotice({ text }: { text: string }) {
  return (
    <Alert variant="warning">
      <InfoIcon />
      <AlertDescription>{text}</AlertDescription>
    </Alert>
  );
}
