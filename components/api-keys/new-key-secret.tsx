"use client";

import { CopyButton } from "@/components/sso/copy-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export type KeyConfig = { id: string; label: string; hint: string; content: string };

type NewKeySecretProps = {
  name: string;
  secret: string;
  configs: KeyConfig[];
  /** Where the configs say the key goes; replaced by the secret here, in the browser. */
  placeholder: string;
  onDone: () => void;
};

/** The only time a key's secret is visible: copy it, or a config that already contains it. */
export function NewKeySecret({ name, secret, configs, placeholder, onDone }: NewKeySecretProps) {
  return (
    // grid-cols-1 (minmax(0, 1fr)) and min-w-0: a config's long lines scroll inside its <pre>
    // instead of widening the page (985 px on a 390 px phone).
    <div className="grid min-w-0 grid-cols-1 gap-4">
      <Alert>
        <AlertTitle>Copy the key for “{name}” now</AlertTitle>
        <AlertDescription>
          It is shown this once and stored only as a hash: nobody can read it again. If you lose it, revoke it
          and create another.
        </AlertDescription>
      </Alert>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="api-key-secret"
          className="break-all rounded-md border bg-muted px-3 py-2 font-mono text-sm"
        >
          {secret}
        </code>
        <CopyButton value={secret} label="Copy key" />
      </div>
      {configs.map((config) => {
        const content = config.content.split(placeholder).join(secret);
        return (
          <div key={config.id} className="grid min-w-0 grid-cols-1 gap-2">
            <div className="flex items-center justify-between gap-2">
              <div>
                <p className="font-medium text-sm">{config.label}</p>
                <p className="text-muted-foreground text-sm">{config.hint}</p>
              </div>
              <CopyButton value={content} />
            </div>
            <pre className="overflow-x-auto rounded-md border bg-muted p-3 font-mono text-xs">{content}</pre>
          </div>
        );
      })}
      <div>
        <Button type="button" onClick={onDone}>
          I have copied it
        </Button>
      </div>
    </div>
  );
}
