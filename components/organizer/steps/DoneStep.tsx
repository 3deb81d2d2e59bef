"use client";

import Link from "next/link";
import type { CompetitionState } from "@/lib/chain/danku";
import { buttonPrimary } from "@/components/ui/styles";
import { STAGE_TITLES } from "@/lib/web/stages";
import { formatBlocks, formatNumber } from "@/lib/web/format";
import { Notice, SecondaryButton } from "../ui";

/** Step 8: the competition is open; where to go next and what to keep. */
export function DoneStep({ competition, state, onDownloadSecrets }: { competition: string; state: CompetitionState | undefined; onDownloadSecrets: () => void }) {
  return (
    <div className="space-y-6">
      <Notice tone="success" title="Your competition is live" testId="wizard-done">
        <p>
          {state
            ? `${STAGE_TITLES[state.stage]}: ${formatNumber(state.trainingPoints)} training points are on chain; submissions are open until block ${formatNumber(state.deadlines.submissionEnd)}.`
            : "The training data is revealed."}
        </p>
      </Notice>
      <Notice tone="warning" title="Keep the secrets file until the test reveal">
        <p>
          After the model reveal ({state ? `${formatBlocks(state.config.submissionPeriod + state.config.modelRevealPeriod)} from now` : "later"}) you must
          reveal the test data within the test-reveal period from the competition page, using the secrets kept in this browser or the file. If the test
          data is not revealed in full and in time, there is no evaluation: your reward is shared equally among the revealed submissions (the
          donors get their donations back), and the reward never comes back to you.
        </p>
        <div className="pt-2">
          <SecondaryButton onClick={onDownloadSecrets}>Download the secrets file again</SecondaryButton>
        </div>
      </Notice>
      <Link href={`/competitions/${competition}`} className={buttonPrimary} data-testid="competition-link">
        Open the competition page
      </Link>
    </div>
  );
}
