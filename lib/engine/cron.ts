/**
 * Cron schedules as Inngest accepts them: five fields (minute hour day-of-month month
 * day-of-week) with `*`, lists, ranges, steps and month/day names, the `@hourly`-style macros, and
 * an optional `TZ=Area/City ` prefix (UTC otherwise). Six-field (seconds) schedules are rejected.
 */

export class CronError extends Error {
  constructor(schedule: string, detail: string) {
    super(`Unsupported cron schedule ${JSON.stringify(schedule)}: ${detail}`);
    this.name = "CronError";
  }
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type Field = { min: number; max: number; names?: string[]; nameBase?: number };
const FIELDS: Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { min: 0, max: 7, names: DAYS, nameBase: 0 },
];

export type CronSchedule = {
  source: string;
  timeZone: string;
  /** The first fire time strictly after `after`. */
  next(after: Date): Date;
};

function parseField(schedule: string, text: string, field: Field): { set: Set<number>; star: boolean } {
  const set = new Set<number>();
  const value = (raw: string) => {
    const upper = raw.toUpperCase();
    const named = field.names?.indexOf(upper) ?? -1;
    const n = named >= 0 ? named + (field.nameBase ?? 0) : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < field.min || n > field.max) {
      throw new CronError(schedule, `${JSON.stringify(raw)} is out of range ${field.min}-${field.max}`);
    }
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!range || !Number.isInteger(step) || step < 1) {
      throw new CronError(schedule, `bad field ${JSON.stringify(part)}`);
    }
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = field.min;
      hi = field.max;
    } else if (range.includes("-")) {
      const [a, b] = range.split("-");
      lo = value(a ?? "");
      hi = value(b ?? "");
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : field.max;
    }
    if (lo > hi) throw new CronError(schedule, `range ${JSON.stringify(range)} is backwards`);
    for (let n = lo; n <= hi; n += step) set.add(n);
  }
  return { set, star: text === "*" || text.startsWith("*/") };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(date: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(date)) parts[p.type] = p.value;
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: DAYS.indexOf((parts.weekday ?? "").toUpperCase()),
  };
}

export function parseCron(source: string): CronSchedule {
  let text = source.trim();
  let timeZone = "UTC";
  const tz = /^(?:CRON_)?TZ=(\S+)\s+/.exec(text);
  if (tz) {
    timeZone = tz[1] as string;
    text = text.slice(tz[0].length);
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
    } catch {
      throw new CronError(source, `unknown time zone ${JSON.stringify(timeZone)}`);
    }
  }
  text = MACROS[text.toLowerCase()] ?? text;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(source, `expected 5 fields (minute hour day month weekday), got ${parts.length}`);
  }
  const [minute, hour, day, month, weekday] = parts.map((p, i) => parseField(source, p, FIELDS[i] as Field));
  if (!minute || !hour || !day || !month || !weekday) throw new CronError(source, "missing field");
  if (weekday.set.has(7)) weekday.set.add(0);

  // Standard cron: when both day fields are restricted, either one matching is enough.
  const dayMatches = (d: number, wd: number) => {
    if (day.star && weekday.star) return true;
    if (day.star) return weekday.set.has(wd);
    if (weekday.star) return day.set.has(d);
    return day.set.has(d) || weekday.set.has(wd);
  };

  return {
    source,
    timeZone,
    next(after) {
      let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
      // Skip whole hours when the hour or the day cannot match; at most ~4 years of hours.
      for (let i = 0; i < 40_000; i++) {
        const w = wallClock(new Date(t), timeZone);
        if (!month.set.has(w.month) || !dayMatches(w.day, w.weekday) || !hour.set.has(w.hour)) {
          t += (60 - w.minute) * 60_000;
          continue;
        }
        if (minute.set.has(w.minute)) return new Date(t);
        t += 60_000;
      }
      throw new CronError(source, "never fires");
    },
  };
}
