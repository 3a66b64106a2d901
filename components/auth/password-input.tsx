"use client";

import { CheckIcon, EyeIcon, EyeOffIcon, XIcon } from "lucide-react";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { passwordChecklist } from "@/lib/auth/password-rules";
import { cn } from "@/lib/utils";

type PasswordInputProps = Omit<React.ComponentProps<"input">, "type"> & {
  /** Shows the password rules under the field, ticked as they are met. */
  showRules?: boolean;
  /** The email typed in the same form, for the "not your email" rule. */
  email?: string;
};

/** Password field with a show/hide toggle and, for new passwords, the rules as a live checklist. */
export function PasswordInput({ showRules, email, className, onChange, ...props }: PasswordInputProps) {
  const [visible, setVisible] = React.useState(false);
  const [value, setValue] = React.useState("");
  const rulesId = props.id ? `${props.id}-rules` : undefined;
  return (
    <div className="grid gap-2">
      <div className="relative">
        <Input
          {...props}
          type={visible ? "text" : "password"}
          // With rules shown the field is controlled, so the checklist and the field agree and a
          // failed submission (which resets uncontrolled fields) does not make people retype it.
          value={showRules ? value : undefined}
          className={cn("pr-10", className)}
          aria-describedby={
            [props["aria-describedby"], showRules ? rulesId : null].filter(Boolean).join(" ") || undefined
          }
          onChange={(event) => {
            setValue(event.target.value);
            onChange?.(event);
          }}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="absolute inset-y-0 right-0 h-full w-9 text-muted-foreground hover:bg-transparent"
          onClick={() => setVisible((v) => !v)}
          aria-label={visible ? "Hide password" : "Show password"}
          aria-pressed={visible}
        >
          {visible ? <EyeOffIcon /> : <EyeIcon />}
        </Button>
      </div>
      {showRules && (
        <ul id={rulesId} className="grid gap-1 text-sm" aria-label="Password rules">
          {passwordChecklist(value, { email }).map(({ rule, ok }) => (
            <li
              key={rule}
              className={cn("flex items-start gap-2", ok ? "text-foreground" : "text-muted-foreground")}
            >
              {ok ? (
                <CheckIcon
                  aria-hidden="true"
                  className="mt-0.5 size-4 shrink-0 text-green-600 dark:text-green-500"
                />
              ) : (
                <XIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
              )}
              <span>
                {rule}
                <span className="sr-only">{ok ? " (met)" : " (not met yet)"}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
