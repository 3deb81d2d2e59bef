"use client";

import { useState } from "react";
import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import type { CompetitionMetadata } from "@/lib/danku/metadata";
import { csvColumns } from "@/components/competition/DatasetPanel";
import { ModelPreview, type PreviewedModel } from "./ModelPreview";
import { SubmissionFlow } from "./SubmissionFlow";

/** The data scientist's side of the competition page: preview a model's exact on-chain score, then submit it. */
export function SubmitterPanel({
  state,
  metadata,
  submissions,
  withdrawable,
}: {
  state: CompetitionState;
  metadata: CompetitionMetadata | undefined;
  submissions: readonly SubmissionState[] | undefined;
  withdrawable: bigint | undefined;
}) {
  const [previewed, setPreviewed] = useState<PreviewedModel>();
  const { classNames } = csvColumns(state, metadata);
  return (
    <div className="space-y-6">
      <ModelPreview state={state} classNames={classNames} onPreviewed={setPreviewed} />
      <SubmissionFlow state={state} submissions={submissions} previewed={previewed} withdrawable={withdrawable} />
    </div>
  );
}
