import "./markdown.css";
import { memo } from "react";
import ReactMarkdown, { type Components, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/utils";

const remarkPlugins: Options["remarkPlugins"] = [remarkGfm];
// Only fenced blocks that name a language are highlighted: guessing is slow and often wrong.
const rehypePlugins: Options["rehypePlugins"] = [[rehypeHighlight, { detect: false }]];

const components: Components = {
  // Agent-written links leave the app: open them in a new tab, without handing over the opener.
  a: ({ node: _node, href, children, ...props }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" {...props}>
      {children}
    </a>
  ),
};

/** Markdown from agents: GFM (tables, task lists), highlighted code; raw HTML is not rendered. */
export const Markdown = memo(function Markdown({
  children,
  className,
}: {
  children: string;
  className?: string;
}) {
  return (
    <div className={cn("run-markdown", className)}>
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {children}
      </ReactMarkdown>
    </div>
  );
});

/** Source code as a highlighted block, through the same pipeline as Markdown fences. */
export function CodeBlock({
  code,
  language,
  className,
}: {
  code: string;
  language?: string | null;
  className?: string;
}) {
  // A fence longer than any backtick run in the code, so the code cannot close it early.
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const lang = (language ?? "").replace(/[^\w+#.-]/g, "");
  return <Markdown className={className}>{`${fence}${lang}\n${code.replace(/\n$/, "")}\n${fence}`}</Markdown>;
}
