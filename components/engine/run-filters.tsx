import { Button } from "@/components/ui/button";

const SELECT =
  "h-9 rounded-md border border-input bg-transparent px-3 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50";

type Props = {
  statuses: readonly string[];
  functionIds: string[];
  value: { status?: string; functionId?: string };
};

/** A plain GET form: filters live in the URL, so a filtered list can be shared and reloaded. */
export function RunFilters({ statuses, functionIds, value }: Props) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
      <label className="grid gap-1 text-sm">
        <span className="text-muted-foreground">Status</span>
        <select name="status" defaultValue={value.status ?? ""} className={SELECT}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="grid gap-1 text-sm">
        <span className="text-muted-foreground">Function</span>
        <select name="functionId" defaultValue={value.functionId ?? ""} className={SELECT}>
          <option value="">Any function</option>
          {functionIds.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </label>
      <Button type="submit" variant="outline">
        Apply
      </Button>
    </form>
  );
}
