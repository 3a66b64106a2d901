import { splitMarked } from "./marked";

/** A search snippet with its matched terms in <mark>, built from text: never parsed as HTML. */
export function Snippet({ text }: { text: string }) {
  return (
    <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">
      {splitMarked(text).map((part, i) =>
        part.marked ? (
          <mark key={i} className="rounded-sm bg-warning/25 px-0.5 text-foreground">
            {part.text}
          </mark>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </p>
  );
}
