import { cn } from "@/lib/utils";

/** The DafnckMachine mark: three agents linked into one swarm. Decorative; pair it with a text name. */
export function LogoMark({ className }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
      className={cn("size-7 shrink-0", className)}
    >
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M10 12h12l-6 10z"
        fill="none"
        strokeWidth="1.75"
        strokeLinejoin="round"
        className="stroke-primary-foreground/60"
      />
      <g className="fill-primary-foreground">
        <circle cx="10" cy="12" r="3" />
        <circle cx="22" cy="12" r="3" />
        <circle cx="16" cy="22" r="3" />
      </g>
    </svg>
  );
}

/** Mark + "DafnckMachine" wordmark. With `wordmark={false}` the name stays available to screen readers. */
export function Logo({ className, wordmark = true }: { className?: string; wordmark?: boolean }) {
  return (
    <span className={cn("inline-flex items-center gap-2", className)}>
      <LogoMark />
      <span className={cn("font-semibold text-base tracking-tight", !wordmark && "sr-only")}>
        DafnckMachine
      </span>
    </span>
  );
}
