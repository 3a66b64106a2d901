import { describe, expect, it } from "vitest";
import { CronError, parseCron } from "./cron";

const next = (schedule: string, after: string) => parseCron(schedule).next(new Date(after)).toISOString();

describe("cron schedules", () => {
  it.each([
    ["* * * * *", "2026-01-01T10:00:30Z", "2026-01-01T10:01:00.000Z"],
    ["*/15 * * * *", "2026-01-01T10:01:00Z", "2026-01-01T10:15:00.000Z"],
    ["0 3 * * *", "2026-01-01T03:00:00Z", "2026-01-02T03:00:00.000Z"],
    ["30 9 * * MON-FRI", "2026-01-02T10:00:00Z", "2026-01-05T09:30:00.000Z"],
    ["0 0 1 JAN *", "2026-03-01T00:00:00Z", "2027-01-01T00:00:00.000Z"],
    ["0 12 1,15 * *", "2026-01-02T00:00:00Z", "2026-01-15T12:00:00.000Z"],
    ["0 0 * * 7", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00.000Z"],
    ["0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00.000Z"],
    ["0 0 13 * 5", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00.000Z"],
    ["@hourly", "2026-01-01T10:59:59Z", "2026-01-01T11:00:00.000Z"],
    ["TZ=Europe/Paris 0 9 * * *", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00.000Z"],
    ["TZ=Europe/Paris 0 9 * * *", "2026-07-01T00:00:00Z", "2026-07-01T07:00:00.000Z"],
    ["TZ=Asia/Kolkata 0 * * * *", "2026-01-01T00:00:00Z", "2026-01-01T00:30:00.000Z"],
  ])("%s after %s", (schedule, after, expected) => {
    expect(next(schedule, after)).toBe(expected);
  });

  it.each([
    ["* * * *", "expected 5 fields"],
    ["0 * * * * *", "expected 5 fields"],
    ["61 * * * *", "out of range"],
    ["5-1 * * * *", "backwards"],
    ["TZ=Mars/Olympus 0 * * * *", "unknown time zone"],
    ["*/0 * * * *", "bad field"],
  ])("rejects %s", (schedule, message) => {
    expect(() => parseCron(schedule)).toThrow(CronError);
    expect(() => parseCron(schedule)).toThrow(message);
  });
});
