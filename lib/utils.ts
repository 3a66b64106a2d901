import { type ClassValue, clsx } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}

/** Two-letter initials from a display name, or from an email's local part when there is no name. */
export function initials(nameOrEmail: string | null | undefined): string {
  const value = nameOrEmail?.trim() ?? "";
  const source = value.includes("@") ? (value.split("@")[0] ?? "") : value;
  const parts = source.split(value.includes("@") ? /[._+-]+/ : /\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : (parts[0]?.[1] ?? "");
  return (first + last).toUpperCase() || "?";
}

type DateInput = Date | string | number;

// A fixed locale keeps server-rendered and client-rendered text identical (no hydration mismatch).
const LOCALE = "en-US";

function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "Nov 24, 2026" (pass options to change the style, e.g. `{ dateStyle: "long" }`). */
export function formatDate(value: DateInput, options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }) {
  return new Intl.DateTimeFormat(LOCALE, options).format(toDate(value));
}

/** "Nov 24, 2026, 3:04 PM" — for audit entries and other events where the time matters. */
export function formatDateTime(value: DateInput) {
  return formatDate(value, { dateStyle: "medium", timeStyle: "short" });
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 60 * 60],
  ["month", 30 * 24 * 60 * 60],
  ["week", 7 * 24 * 60 * 60],
  ["day", 24 * 60 * 60],
  ["hour", 60 * 60],
  ["minute", 60],
];

/** "3 hours ago", "in 2 days", "now". */
export function formatRelative(value: DateInput, now: DateInput = new Date()) {
  const seconds = Math.round((toDate(value).getTime() - toDate(now).getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}
