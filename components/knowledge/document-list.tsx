"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FileTextIcon, MoreHorizontalIcon, PencilIcon, Trash2Icon, UploadIcon } from "lucide-react";
import { useRef, useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { KnowledgeDocumentView } from "@/lib/knowledge/types";
import { formatDate } from "@/lib/utils";
import { deleteDocument, fetchDocuments, type KnowledgeTarget, knowledgeKeys } from "./api";
import { DocumentStatus } from "./document-status";
import { EditDocumentDialog } from "./edit-document-dialog";
import { ACCEPT_ATTRIBUTE, formatBytes } from "./files";
import { personLabel, SOURCE_LABELS } from "./labels";
import type { Uploads } from "./use-uploads";

/** How often the list is read again while a document is still processing. */
const PROCESSING_POLL_MS = 1500;

type Props = {
  target: KnowledgeTarget;
  /** Null for readers: no edit, delete or new-version controls. */
  uploads: Uploads | null;
};

/** The documents of the organization or of a project, refreshed while any is processing. */
export function DocumentList({ target, uploads }: Props) {
  const queryClient = useQueryClient();
  const canWrite = uploads !== null;
  const documents = useQuery({
    queryKey: knowledgeKeys.documents(target),
    queryFn: ({ signal }) => fetchDocuments(target, signal),
    refetchInterval: (query) =>
      query.state.data?.some((d) => d.status === "processing") ? PROCESSING_POLL_MS : false,
  });
  const [editing, setEditing] = useState<KnowledgeDocumentView | null>(null);
  const [deleting, setDeleting] = useState<KnowledgeDocumentView | null>(null);
  const versionInput = useRef<HTMLInputElement>(null);
  const versionOf = useRef<KnowledgeDocumentView | null>(null);

  const remove = useMutation({
    mutationFn: (d: KnowledgeDocumentView) => deleteDocument(target, d.id),
    onSuccess: (_, d) => {
      setDeleting(null);
      toast.success(`“${d.title}” was deleted.`);
    },
    onError: (error) => toast.error(error.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(target.org) }),
  });

  if (documents.isError) {
    return (
      <Alert variant="destructive">
        <AlertDescription>{documents.error.message}</AlertDescription>
      </Alert>
    );
  }
  if (!documents.data) return <DocumentsSkeleton />;
  if (documents.data.length === 0) {
    return (
      <EmptyState
        icon={<FileTextIcon />}
        title="No documents yet"
        description={
          canWrite
            ? target.project
              ? "Upload the standards, specs and API references this project's agents should follow. Its repository's docs/ and READMEs appear here once indexed."
              : "Upload the standards and references every project in the organization shares. Agents search them while they work."
            : "Nobody has added documents here yet. Members can upload them."
        }
      />
    );
  }

  return (
    <>
      <Table aria-busy={documents.isFetching}>
        <TableHeader>
          <TableRow>
            <TableHead>Document</TableHead>
            <TableHead className="hidden md:table-cell">Source</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="hidden lg:table-cell">Version</TableHead>
            <TableHead className="hidden lg:table-cell">Size</TableHead>
            <TableHead className="hidden md:table-cell">Added</TableHead>
            {canWrite && (
              <TableHead className="w-10">
                <span className="sr-only">Actions</span>
              </TableHead>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {documents.data.map((d) => {
            // A project also sees the organization's documents; they are managed on its page.
            const inherited = target.project !== null && d.projectId === null;
            return (
              <TableRow key={d.id} data-testid="knowledge-document">
                <TableCell className="max-w-80 whitespace-normal">
                  <p className="truncate font-medium">{d.title}</p>
                  {d.fileName && d.fileName !== d.title && (
                    <p className="truncate font-mono text-muted-foreground text-xs">{d.fileName}</p>
                  )}
                  {(d.tags.length > 0 || inherited) && (
                    <div className="mt-1 flex flex-wrap gap-1">
                      {inherited && <Badge variant="outline">Organization</Badge>}
                      {d.tags.map((tag) => (
                        <Badge key={tag} variant="secondary">
                          {tag}
                        </Badge>
                      ))}
                    </div>
                  )}
                </TableCell>
                <TableCell className="hidden md:table-cell">{SOURCE_LABELS[d.source]}</TableCell>
                <TableCell>
                  <DocumentStatus document={d} />
                </TableCell>
                <TableCell className="hidden tabular-nums lg:table-cell">v{d.currentVersion}</TableCell>
                <TableCell className="hidden tabular-nums lg:table-cell">
                  {d.byteSize === null ? "—" : formatBytes(d.byteSize)}
                </TableCell>
                <TableCell className="hidden text-muted-foreground text-sm md:table-cell">
                  <p className="truncate">
                    {d.source === "repository" ? "Repository index" : personLabel(d.createdBy)}
                  </p>
                  <p>
                    {formatDate(d.updatedAt, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}{" "}
                    UTC
                  </p>
                </TableCell>
                {canWrite && (
                  <TableCell>
                    {!inherited && (
                      <DropdownMenu>
                        <DropdownMenuTrigger asChild>
                          <Button variant="ghost" size="icon" aria-label={`Actions for ${d.title}`}>
                            <MoreHorizontalIcon />
                          </Button>
                        </DropdownMenuTrigger>
                        <DropdownMenuContent align="end">
                          <DropdownMenuItem onSelect={() => setEditing(d)}>
                            <PencilIcon />
                            Edit title and tags
                          </DropdownMenuItem>
                          {d.source === "upload" && (
                            <DropdownMenuItem
                              onSelect={() => {
                                versionOf.current = d;
                                versionInput.current?.click();
                              }}
                            >
                              <UploadIcon />
                              Upload a new version
                            </DropdownMenuItem>
                          )}
                          <DropdownMenuSeparator />
                          <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(d)}>
                            <Trash2Icon />
                            Delete
                          </DropdownMenuItem>
                        </DropdownMenuContent>
                      </DropdownMenu>
                    )}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>

      {uploads && (
        <input
          ref={versionInput}
          type="file"
          accept={ACCEPT_ATTRIBUTE}
          // The menu item opens it; hidden from the keyboard and assistive technologies.
          hidden
          onChange={(e) => {
            const file = e.target.files?.[0];
            const d = versionOf.current;
            e.target.value = "";
            if (file && d) void uploads.upload([file], { documentId: d.id });
          }}
        />
      )}

      <EditDocumentDialog target={target} document={editing} onClose={() => setEditing(null)} />

      <AlertDialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete “{deleting?.title}”?</AlertDialogTitle>
            <AlertDialogDescription>
              {deleting?.source === "repository"
                ? "Its versions and every chunk are removed, and agents stop finding it. It is a file of the project's repository, so it comes back the next time the repository is indexed; remove it from the repository to keep it out."
                : "Its versions and every chunk are removed, and agents stop finding it. This cannot be undone."}
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting)}
            >
              {remove.isPending && <Spinner />}
              Delete document
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

function DocumentsSkeleton() {
  return (
    <div className="grid gap-3" role="status" aria-label="Loading documents">
      {[0, 1, 2].map((i) => (
        <div key={i} className="flex items-center gap-4">
          <Skeleton className="h-10 flex-1" />
          <Skeleton className="h-6 w-24" />
          <Skeleton className="hidden h-6 w-32 md:block" />
        </div>
      ))}
    </div>
  );
}
