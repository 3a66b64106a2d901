import "./markdown.css";
import { memo } from "react";
import ReactMarkdown, { type Components, type ExtraProps, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/utils";
import { MermaidDiagram } from "./mermaid-diagram";

const remarkPlugins: Options["remarkPlugins"] = [remarkGfm];
// Only fenced blocks that name a language are highlighted: guessing is slow and often wrong.
// Mermaid fences stay plain: they are drawn as diagrams from their text.
const rehypePlugins: Options["rehypePlugins"] = [
  [rehypeHighlight, { detect: false, plainText: ["mermaid"] }],
];

type HastNode = NonNullable<ExtraProps["node"]>["children"][number];

const textOf = (node: HastNode): string =>
  node.type === "text" ? node.value : "children" in node ? node.children.map(textOf).join("") : "";

/** The source of a ```mermaid fence, or null for any other block. */
function mermaidSource(node: ExtraProps["node"]): string | null {
  const code = node?.children[0];
  if (code?.type !== "element" || code.tagName !== "code") return null;
  const classes = code.properties.className;
  return Array.isArray(classes) && classes.includes("language-mermaid") ? textOf(code) : null;
}

const components: Components = {
  // Agent-written links leave the app: open them in a new tab, without handing over the opener.
  a: ({ node: _node, href, children, ...props }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" {...props}>
      {children}
    </a>
  ),
  pre: ({ node, children, ...props }) => {
    const diagram = mermaidSource(node);
    if (diagram !== null) return <MermaidDiagram source={diagram.replace(/\n$/, "")} />;
    return <pre {...props}>{children}</pre>;
  },
  // Wide tables scroll inside their own frame instead of squeezing cells until words break.
  table: ({ node: _node, children, ...props }) => (
    <div className="run-table">
      <table {...props}>{children}</table>
    </div>
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
