import Link from "next/link";
import { Fragment } from "react";

/** `project / src / lib / file.ts`, each folder a link to its tree. */
export function PathBreadcrumb({
  root,
  path,
  hrefFor,
}: {
  root: string;
  path: string;
  hrefFor: (path: string) => string;
}) {
  const segments = path ? path.split("/") : [];
  return (
    <nav aria-label="Path" className="flex min-w-0 flex-wrap items-center gap-1 font-mono text-sm">
      {segments.length === 0 ? (
        <span className="font-semibold">{root}</span>
      ) : (
        <Link className="text-primary hover:underline" href={hrefFor("")}>
          {root}
        </Link>
      )}
      {segments.map((segment, i) => {
        const at = segments.slice(0, i + 1).join("/");
        const last = i === segments.length - 1;
        return (
          <Fragment key={at}>
            <span className="text-muted-foreground">/</span>
            {last ? (
              <span className="break-all font-semibold" aria-current="page">
                {segment}
              </span>
            ) : (
              <Link className="break-all text-primary hover:underline" href={hrefFor(at)}>
                {segment}
              </Link>
            )}
          </Fragment>
        );
      })}
    </nav>
  );
}
