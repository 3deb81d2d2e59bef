/** Shared by the web tests that create competitions on Hardhat's in-process chain. */

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
