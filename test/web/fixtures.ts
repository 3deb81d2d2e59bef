/** Shared by the web tests that create competitions on Hardhat's in-process chain. */

import { buildCompetitionMetadata } from "../../lib/danku/metadata";
import type { IpfsStore } from "../../lib/ipfs/store";

/** A 2-feature, 2-class competition that stays open for submissions for 1,000 blocks after its training reveal. */
export const OPEN_COMPETITION_CONFIG = {
  featureCount: 2,
  classCount: 2,
  trainingBps: 5000,
  minAccuracyBps: 5000,
  init2Window: 5,
  splitDelay: 1,
  trainingRevealPeriod: 1000,
  submissionPeriod: 1000,
  modelRevealPeriod: 10,
  testRevealPeriod: 10,
  evaluationPeriod: 10,
};

/** A 2-feature, 2-class competition with short stages (100 blocks of submissions), for walking through every stage. */
export const SHORT_COMPETITION_CONFIG = {
  featureCount: 2,
  classCount: 2,
  trainingBps: 8000,
  minAccuracyBps: 7000,
  init2Window: 5,
  splitDelay: 1,
  trainingRevealPeriod: 50,
  submissionPeriod: 100,
  modelRevealPeriod: 20,
  testRevealPeriod: 20,
  evaluationPeriod: 30,
};

/** Adds a competition metadata document (a 2-feature, 2-class dataset) to `store` and returns its CID. */
export async function addCompetitionMetadata(store: IpfsStore, title: string, description: string): Promise<string> {
  const metadata = buildCompetitionMetadata({
    title,
    description,
    dataset: { name: "d.csv", featureNames: ["x", "y"], classNames: ["a", "b"], featureMappings: [{ kind: "identity" }, { kind: "identity" }], pointCount: 4, groupCount: 2, labelColumn: "label" },
  });
  return (await store.add(new TextEncoder().encode(JSON.stringify(metadata)))).cid;
}
