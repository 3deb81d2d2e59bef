"use client";

import { useState } from "react";
import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import type { CompetitionMetadata } from "@/lib/danku/metadata";
import type { SubmitSection } from "@/lib/web/actions";
import { csvColumns } from "@/components/competition/DatasetPanel";
import { ModelPreview, type PreviewedModel } from "./ModelPreview";
import { SubmissionFlow } from "./SubmissionFlow";

/**
 * The data scientist's side of the competition page: preview a model's exact on-chain score, then submit it; later
 * the visitor's own submissions. Only the parts `section` allows now (lib/web/actions.ts availableActions).
 */
export function SubmitterPanel({
  state,
  metadata,
  submissions,
  withdrawable,
  section,
}: {
  state: CompetitionState;
  metadata: CompetitionMetadata | undefined;
  submissions: readonly SubmissionState[] | undefined;
  withdrawable: bigint | undefined;
  section: SubmitSection;
}) {
  const [previewed, setPreviewed] = useState<PreviewedModel>();
  const { classNames } = csvColumns(state, metadata);
  return (
    <div className="space-y-6">
      {section.preview ? <ModelPreview state={state} classNames={classNames} imageShape={metadata?.dataset.imageShape} onPreviewed={setPreviewed} /> : null}
      <SubmissionFlow state={state} submissions={submissions} previewed={section.preview ? previewed : undefined} withdrawable={withdrawable} section={section} />
    </div>
  );
}
