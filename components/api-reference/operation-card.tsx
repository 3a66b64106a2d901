import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReferenceOperation } from "@/lib/api/v1/reference";
import { cn } from "@/lib/utils";

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-success/10 text-success",
  POST: "bg-primary/10 text-primary",
  PATCH: "bg-warning/10 text-warning",
  DELETE: "bg-destructive/10 text-destructive",
};

/** One operation of the REST API reference: method, path, scope, fields and a curl example. */
export function OperationCard({ op }: { op: ReferenceOperation }) {
  return (
    <Card id={op.id} className="scroll-mt-20">
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          <span
            className={cn(
              "rounded px-1.5 py-0.5 font-mono text-xs",
              METHOD_STYLE[op.method] ?? "bg-muted text-foreground",
            )}
          >
            {op.method}
          </span>
          <code className="break-all font-mono text-sm">{op.path}</code>
        </CardTitle>
        <CardDescription className="space-y-1">
          <h3 className="font-medium text-foreground">{op.summary}</h3>
          {op.description && <p>{op.description}</p>}
        </CardDescription>
        <div className="flex flex-wrap gap-2 pt-1">
          <Badge variant="outline" title={op.scopeLabel}>
            scope: <code>{op.scope}</code>
          </Badge>
          {op.idempotent && <Badge variant="secondary">Idempotency-Key</Badge>}
          <Badge variant="secondary">{op.responseStatus} on success</Badge>
        </div>
      </CardHeader>
      <CardContent className="space-y-4">
        {op.fields.length > 0 && (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Field</TableHead>
                <TableHead>In</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Description</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {op.fields.map((f) => (
                <TableRow key={`${f.where}:${f.name}`}>
                  <TableCell className="font-mono text-xs">
                    {f.name}
                    {f.required && <span className="text-destructive"> *</span>}
                  </TableCell>
                  <TableCell className="text-muted-foreground text-xs">{f.where}</TableCell>
                  <TableCell className="max-w-48 whitespace-normal break-words font-mono text-xs">
                    {f.type}
                  </TableCell>
                  <TableCell className="whitespace-normal text-xs">{f.description}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs leading-relaxed">
          <code>{op.curl}</code>
        </pre>
      </CardContent>
    </Card>
  );
}
