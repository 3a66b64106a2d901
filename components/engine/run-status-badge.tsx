import { Badge } from "@/components/ui/badge";

const VARIANTS = {
  queued: "outline",
  running: "secondary",
  sleeping: "outline",
  waiting: "outline",
  invoking: "outline",
  completed: "success",
  failed: "destructive",
  cancelled: "warning",
} as const;

/** Status of a run or a step, coloured by outcome. */
export function RunStatusBadge({ status }: { status: keyof typeof VARIANTS }) {
  return <Badge variant={VARIANTS[status]}>{status}</Badge>;
}
