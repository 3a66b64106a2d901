import { Separator } from "@/components/ui/separator";

/** "or" between alternative ways to sign in. */
export function Divider({ label = "or" }: { label?: string }) {
  return (
    <div className="flex items-center gap-3" role="presentation">
      <Separator className="flex-1" />
      <span className="text-muted-foreground text-xs uppercase">{label}</span>
      <Separator className="flex-1" />
    </div>
  );
}
