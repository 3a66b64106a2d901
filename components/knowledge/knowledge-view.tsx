"use client";

import { FileTextIcon, LightbulbIcon, SearchIcon } from "lucide-react";
import { useMemo } from "react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { KnowledgeTarget } from "./api";
import { DocumentList } from "./document-list";
import { DropZone } from "./drop-zone";
import { InsightList } from "./insight-list";
import { SearchPanel } from "./search-panel";
import { useUploads } from "./use-uploads";

type Props = {
  org: string;
  /** The project's slug, or null for the organization's own knowledge. */
  project: string | null;
  /** `knowledge.write`: upload, edit and delete. */
  canWrite: boolean;
  maxUploadBytes: number;
  /** For admins: where an embedding model is configured. */
  aiSettingsHref: string | null;
  projectSlugs: Record<string, string>;
};

/** The Knowledge page: search on top, then the documents (with the upload) and the insights. */
export function KnowledgeView({
  org,
  project,
  canWrite,
  maxUploadBytes,
  aiSettingsHref,
  projectSlugs,
}: Props) {
  const target: KnowledgeTarget = useMemo(() => ({ org, project }), [org, project]);
  const uploads = useUploads(target, maxUploadBytes);
  const scopeLabel = project ? "this project only" : "the organization: every project sees them";

  return (
    <div className="grid max-w-5xl gap-6">
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <SearchIcon className="size-4" aria-hidden="true" />
            <h2>Search</h2>
          </CardTitle>
          <CardDescription>
            {project
              ? "This project's documents, insights and past runs, and the organization's documents."
              : "The organization's documents and insights."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SearchPanel target={target} aiSettingsHref={aiSettingsHref} projectSlugs={projectSlugs} />
        </CardContent>
      </Card>

      <Tabs defaultValue="documents">
        <TabsList aria-label="Knowledge">
          <TabsTrigger value="documents">
            <FileTextIcon />
            Documents
          </TabsTrigger>
          <TabsTrigger value="insights">
            <LightbulbIcon />
            Insights
          </TabsTrigger>
        </TabsList>
        <TabsContent value="documents" className="grid gap-6">
          {canWrite && (
            <Card>
              <CardHeader>
                <CardTitle>
                  <h2>Upload documents</h2>
                </CardTitle>
                <CardDescription>
                  Standards, specs, API references and decisions. Each is split into passages that search and
                  the agents cite.
                </CardDescription>
              </CardHeader>
              <CardContent>
                <DropZone uploads={uploads} maxBytes={maxUploadBytes} scopeLabel={scopeLabel} />
              </CardContent>
            </Card>
          )}
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Documents</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <DocumentList target={target} uploads={canWrite ? uploads : null} />
            </CardContent>
          </Card>
        </TabsContent>
        <TabsContent value="insights">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Insights</h2>
              </CardTitle>
              <CardDescription>What agents and members learnt, with the run it came from.</CardDescription>
            </CardHeader>
            <CardContent>
              <InsightList target={target} canWrite={canWrite} projectSlugs={projectSlugs} />
            </CardContent>
          </Card>
        </TabsContent>
      </Tabs>
    </div>
  );
}
