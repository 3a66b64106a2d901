"use client";

import { TriangleAlertIcon } from "lucide-react";
import { useTheme } from "next-themes";
import { useEffect, useId, useState } from "react";

type Rendered = { status: "pending" } | { status: "svg"; svg: string } | { status: "error"; message: string };

let renders = 0;

/** Mermaid's parse errors are multi-line with a caret diagram; the first line says what is wrong. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((line) => line.trim()) ?? "The diagram could not be read.";
}

/**
 * A Mermaid diagram drawn in the browser. Mermaid (large) is imported only when a document has a
 * diagram; `securityLevel: "strict"` sanitizes labels and disables click handlers, and the SVG it
 * returns is inserted as markup (no script runs). An invalid diagram falls back to its source.
 */
export function MermaidDiagram({ source }: { source: string }) {
  const { resolvedTheme } = useTheme();
  const baseId = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const [rendered, setRendered] = useState<Rendered>({ status: "pending" });

  useEffect(() => {
    let current = true;
    // A fresh id per render: Mermaid uses it for the SVG and for a scratch element in the body.
    const id = `mermaid-${baseId}-${++renders}`;
    (async () => {
      try {
        const { default: mermaid } = await import("mermaid");
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          theme: resolvedTheme === "dark" ? "dark" : "default",
          fontFamily: "inherit",
        });
        await mermaid.parse(source);
        const { svg } = await mermaid.render(id, source);
        if (current) setRendered({ status: "svg", svg });
      } catch (error) {
        if (current) setRendered({ status: "error", message: firstLine(error) });
      } finally {
        // Mermaid leaves its scratch element behind when rendering fails.
        document.getElementById(`d${id}`)?.remove();
      }
    })();
    return () => {
      current = false;
    };
  }, [source, resolvedTheme, baseId]);

  if (rendered.status === "svg") {
    return (
      <figure
        data-slot="mermaid"
        className="my-[0.9em] overflow-x-auto rounded-md border bg-card p-3 [&_svg]:mx-auto [&_svg]:h-auto [&_svg]:max-w-full"
        // Produced by Mermaid in strict mode from the diagram source, which it sanitizes.
        // biome-ignore lint/security/noDangerouslySetInnerHtml: Mermaid's own sanitized SVG output.
        dangerouslySetInnerHTML={{ __html: rendered.svg }}
      />
    );
  }

  return (
    <div data-slot="mermaid-source" className="my-[0.9em] space-y-2">
      {rendered.status === "error" && (
        <p role="note" className="flex items-start gap-1.5 text-destructive text-xs">
          <TriangleAlertIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
          <span>This diagram could not be drawn: {rendered.message} Its source is shown instead.</span>
        </p>
      )}
      <pre aria-busy={rendered.status === "pending" || undefined}>
        <code className="language-mermaid">{source}</code>
      </pre>
    </div>
  );
}
