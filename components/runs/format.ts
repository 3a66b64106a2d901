/** Display helpers shared by the run components. Fixed locale: server and client render the same text. */

const LOCALE = "en-US";

const compact = new Intl.NumberFormat(LOCALE, { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(LOCALE);

/** "950", "12.4K", "3.1M". */
export const formatTokens = (tokens: number) => compact.format(tokens);

/** "12,431" — for titles and tooltips next to a compact number. */
export const formatNumber = (value: number) => whole.format(value);

/** Dollars with enough precision for small model bills: "$0.00", "$0.004", "$1.27". */
export function formatCost(usd: number): string {
  const digits = usd > 0 && usd < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(LOCALE, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  }).format(usd);
}

/** "45s", "4m 05s", "2h 03m". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** Agent display names by slug; built-in and organization agents come from the server. */
export type AgentNames = Readonly<Record<string, string>>;

/** The agent's name, or its slug made readable ("system-architect" → "System architect"). */
export function agentLabel(slug: string, names?: AgentNames): string {
  const name = names?.[slug];
  if (name) return name;
  const words = slug.replace(/[-_]+/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : slug;
}
