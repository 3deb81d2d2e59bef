/**
 * Demo content for the local chain: four DanKu competitions, each left in a different stage, created with the same
 * library flows the CLI and the web app use. Order matters because every competition shares one block height:
 * the ones that must travel furthest are created first, and the ones that must stay put get long periods.
 *
 *   1. finalized with a winner        (created first, driven to the end)
 *   2. in evaluation with a leaderboard (long evaluation period)
 *   3. awaiting the test reveal        (long test-reveal period)
 *   4. open for submissions            (US county election data, long submission period)
 *
 * The organizer's secrets are written to .data/demo/ so the demo organizer can reveal test data from the UI.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEther, toHex, type Address, type PublicClient, type TestClient } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { readCompetition, type CompetitionConfig, type DankuWallet } from "../../lib/chain/danku";
import { commitSubmission, evaluateSubmissionToEnd, launchCompetition, mineLocalBlocks, revealPendingGroups, revealSubmissionModel } from "../../lib/chain/flows";
import { sendContractTransaction } from "../../lib/chain/transactions";
import { parseCsvDataset, type ParsedDataset } from "../../lib/danku/dataset";
import { buildDataGroups, groupPointCounts, minimumEvaluationPeriod, type DataGroup } from "../../lib/danku/groups";
import { buildSecrets, serializeSecrets, withCompetition } from "../../lib/danku/secrets";
import { buildCompetitionMetadata } from "../../lib/danku/metadata";
import { trainBaselineMlp, seededUniform } from "../../lib/danku/train";
import { modelToCommit } from "../../lib/danku/submission";
import { submissionCommitment, type DataPoint } from "../../lib/danku/encoding";
import { randomBytes32 } from "../../lib/danku/random";
import type { IpfsStore } from "../../lib/ipfs/store";

export interface SeedContext {
  client: PublicClient;
  testClient: TestClient;
  factory: Address;
  organizer: DankuWallet;
  submitters: DankuWallet[];
  donor: DankuWallet;
  ipfs: IpfsStore;
  root: string;
  log: (message: string) => void;
}

export interface SeededCompetition {
  address: Address;
  title: string;
  stage: string;
}

interface DemoSpec {
  title: string;
  description: string;
  datasetName: string;
  dataset: ParsedDataset;
  labelColumn: string;
  groupCount: number;
  reward: string;
  config: Omit<CompetitionConfig, "featureCount" | "classCount" | "splitDelay">;
}

const SHORT = 10;
const LONG = 100_000;
/** The split's seed block is init1 + 2 on the local chain: the flow mines the two blocks itself. */
const SPLIT_DELAY = 2;

function syntheticCsv(options: { seed: number; features: string[]; classes: string[]; perClass: number; spread: number }): string {
  const rand = seededUniform(options.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  const centres = options.classes.map(() => options.features.map(() => 50 + rand() * 150));
  const rows = [[...options.features, "label"].join(",")];
  options.classes.forEach((name, c) => {
    for (let i = 0; i < options.perClass; i++) {
      const values = centres[c]!.map((mu) => Math.min(255, Math.max(0, Math.round(mu + options.spread * gaussian()))));
      rows.push([...values, name].join(","));
    }
  });
  return `${rows.join("\n")}\n`;
}

async function mineTo(context: SeedContext, block: bigint): Promise<void> {
  const current = await context.client.getBlockNumber({ cacheTime: 0 });
  if (block > current) await context.testClient.mine({ blocks: Number(block - current) });
}

async function uploadJson(context: SeedContext, value: unknown): Promise<string> {
  const { cid } = await context.ipfs.add(new TextEncoder().encode(JSON.stringify(value, null, 2)));
  return cid;
}

/** Creates a competition from a spec, reveals its training data and returns what later steps need. */
async function launch(context: SeedContext, spec: DemoSpec): Promise<{ address: Address; groups: DataGroup[]; training: DataPoint[] }> {
  const featureCount = spec.dataset.featureNames.length;
  const classCount = spec.dataset.classNames.length;
  // The contract refuses an evaluation period too short for a worst-case evaluation of all points (§7.2).
  const minimum = minimumEvaluationPeriod(spec.dataset.points.length);
  if (spec.config.evaluationPeriod < minimum) {
    throw new Error(`${spec.title}: evaluation period ${spec.config.evaluationPeriod} < the contract's minimum ${minimum} for ${spec.dataset.points.length} points`);
  }
  const groups = buildDataGroups(spec.dataset.points, { groupCount: spec.groupCount, featureCount, classCount });
  const metadataCid = await uploadJson(
    context,
    buildCompetitionMetadata({
      title: spec.title,
      description: spec.description,
      dataset: {
        name: spec.datasetName,
        featureNames: spec.dataset.featureNames,
        classNames: spec.dataset.classNames,
        featureMappings: spec.dataset.featureMappings,
        pointCount: spec.dataset.points.length,
        groupCount: spec.groupCount,
        labelColumn: spec.labelColumn,
      },
    }),
  );
  const secrets = buildSecrets({
    chainId: await context.client.getChainId(),
    featureCount,
    classCount,
    featureNames: spec.dataset.featureNames,
    classNames: spec.dataset.classNames,
    featureMappings: spec.dataset.featureMappings,
    groups,
  });
  const launched = await launchCompetition(
    context.organizer,
    context.client,
    {
      factory: context.factory,
      config: { ...spec.config, splitDelay: SPLIT_DELAY, featureCount, classCount },
      groupHashes: groups.map((g) => g.hash),
      groupPointCounts: groupPointCounts(groups),
      metadataCid,
      reward: parseEther(spec.reward),
    },
    { advance: mineLocalBlocks(context.client) },
  );
  const secretsDir = path.join(context.root, ".data", "demo");
  mkdirSync(secretsDir, { recursive: true });
  writeFileSync(path.join(secretsDir, `${launched.address}.secrets.json`), serializeSecrets(withCompetition(secrets, launched.address)));
  const revealable = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
  await revealPendingGroups(context.organizer, context.client, { competition: launched.address, groups: revealable, training: true });
  const isTraining = new Set(launched.split.training);
  const training = groups.filter((g) => isTraining.has(g.index)).flatMap((g) => g.points);
  context.log(`  ${spec.title}: ${launched.address} (${groups.length} groups, ${training.length} training points)`);
  return { address: launched.address, groups, training };
}

interface DemoSubmission {
  id: number;
  wallet: DankuWallet;
  modelHex: `0x${string}`;
  salt: `0x${string}`;
}

async function commitTrainedModel(
  context: SeedContext,
  competition: Address,
  wallet: DankuWallet,
  training: DataPoint[],
  classCount: number,
  featureCount: number,
  recipe: { hidden: number; epochs: number; seed: number },
): Promise<DemoSubmission> {
  const float = trainBaselineMlp(training, { hidden: recipe.hidden, classes: classCount, epochs: recipe.epochs, seed: recipe.seed, rate: 0.05 });
  const { bytes, hash } = modelToCommit(float, training, { featureCount, classCount });
  const salt = randomBytes32();
  const commitment = submissionCommitment({ competition, submitter: wallet.account.address, modelHash: hash, salt });
  const { submissionId } = await commitSubmission(wallet, context.client, { competition, commitment });
  return { id: submissionId, wallet, modelHex: toHex(bytes), salt };
}

async function revealModels(context: SeedContext, competition: Address, submissions: DemoSubmission[]): Promise<void> {
  for (const s of submissions) {
    await revealSubmissionModel(s.wallet, context.client, { competition, submissionId: s.id, modelHex: s.modelHex, salt: s.salt });
  }
}

async function revealTest(context: SeedContext, competition: Address, groups: DataGroup[]): Promise<void> {
  const revealable = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
  await revealPendingGroups(context.organizer, context.client, { competition, groups: revealable, training: false });
}

async function donate(context: SeedContext, competition: Address, eth: string): Promise<void> {
  const hash = await context.donor.sendTransaction({ account: context.donor.account, chain: context.donor.chain, to: competition, value: parseEther(eth) });
  await context.client.waitForTransactionReceipt({ hash });
}

export async function seedDemo(context: SeedContext): Promise<SeededCompetition[]> {
  const countiesCsv = readFileSync(path.join(context.root, "public", "demo", "us-counties.csv"), "utf8");
  const counties = parseCsvDataset(countiesCsv, { labelColumn: "party" });
  const specs = {
    finalized: {
      title: "Wine cultivar from chemistry",
      description: "Three cultivars, eight chemical measurements scaled to bytes. Finished: the best model has been paid.",
      datasetName: "wine-like (synthetic)",
      dataset: parseCsvDataset(syntheticCsv({ seed: 7, features: ["alcohol", "malic", "ash", "alcalinity", "magnesium", "phenols", "flavanoids", "color"], classes: ["A", "B", "C"], perClass: 60, spread: 28 }), { labelColumn: "label" }),
      labelColumn: "label",
      groupCount: 36,
      reward: "1.5",
      config: { trainingBps: 7000, minAccuracyBps: 6000, init2Window: 5, trainingRevealPeriod: SHORT * 5, submissionPeriod: SHORT, modelRevealPeriod: SHORT, testRevealPeriod: SHORT, evaluationPeriod: SHORT * 3 },
    },
    evaluating: {
      title: "Loan default risk",
      description: "Predict default from four applicant features. Test data is revealed; submitters are evaluating on chain.",
      datasetName: "credit-like (synthetic)",
      dataset: parseCsvDataset(syntheticCsv({ seed: 11, features: ["income", "debt", "age", "history"], classes: ["repaid", "default"], perClass: 150, spread: 40 }), { labelColumn: "label" }),
      labelColumn: "label",
      groupCount: 60,
      reward: "3",
      config: { trainingBps: 8000, minAccuracyBps: 7000, init2Window: 5, trainingRevealPeriod: SHORT * 5, submissionPeriod: SHORT, modelRevealPeriod: SHORT, testRevealPeriod: SHORT, evaluationPeriod: LONG },
    },
    testReveal: {
      title: "Iris-style flower species",
      description: "Four measurements, three species. Models are revealed; waiting for the organizer to reveal the test data.",
      datasetName: "iris-like (synthetic)",
      dataset: parseCsvDataset(syntheticCsv({ seed: 3, features: ["sepal_length", "sepal_width", "petal_length", "petal_width"], classes: ["setosa", "versicolor", "virginica"], perClass: 50, spread: 22 }), { labelColumn: "label" }),
      labelColumn: "label",
      groupCount: 30,
      reward: "0.8",
      config: { trainingBps: 8000, minAccuracyBps: 8000, init2Window: 5, trainingRevealPeriod: SHORT * 5, submissionPeriod: SHORT, modelRevealPeriod: SHORT, testRevealPeriod: LONG, evaluationPeriod: LONG },
    },
    open: {
      title: "US county election winners",
      description:
        "Predict the winning party of a US county from its latitude and longitude — the dataset shape of the original DanKu launch. 3,000 counties in 120 hashed groups; 80 % revealed for training.",
      datasetName: "us-counties.csv (synthetic county geography)",
      dataset: counties,
      labelColumn: "party",
      groupCount: 120,
      reward: "5",
      config: { trainingBps: 8000, minAccuracyBps: 8500, init2Window: 5, trainingRevealPeriod: SHORT * 5, submissionPeriod: LONG, modelRevealPeriod: SHORT * 10, testRevealPeriod: SHORT * 10, evaluationPeriod: SHORT * 50 },
    },
  } satisfies Record<string, DemoSpec>;

  const [alice, bob, carol] = context.submitters;
  if (!alice || !bob || !carol) throw new Error("seeding needs three submitter accounts");
  const seeded: SeededCompetition[] = [];

  // 1. Finalized with a winner.
  {
    const spec = specs.finalized;
    const { address, groups, training } = await launch(context, spec);
    const f = spec.dataset.featureNames.length;
    const c = spec.dataset.classNames.length;
    const subs = [
      await commitTrainedModel(context, address, alice, training, c, f, { hidden: 16, epochs: 40, seed: 1 }),
      await commitTrainedModel(context, address, bob, training, c, f, { hidden: 4, epochs: 3, seed: 2 }),
    ];
    await donate(context, address, "0.5");
    let state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.submissionEnd);
    await revealModels(context, address, subs);
    state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.modelRevealEnd);
    await revealTest(context, address, groups);
    for (const s of subs) await evaluateSubmissionToEnd(context.donor, context.client, { competition: address, submissionId: s.id });
    state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.evaluationEnd);
    await sendContractTransaction(context.donor, context.client, { address, abi: dankuCompetitionAbi, functionName: "finalize", args: [] });
    seeded.push({ address, title: spec.title, stage: "Finalized" });
  }

  // 2. In evaluation with a leaderboard: three revealed models, two evaluated.
  {
    const spec = specs.evaluating;
    const { address, groups, training } = await launch(context, spec);
    const f = spec.dataset.featureNames.length;
    const c = spec.dataset.classNames.length;
    const subs = [
      await commitTrainedModel(context, address, alice, training, c, f, { hidden: 8, epochs: 20, seed: 4 }),
      await commitTrainedModel(context, address, bob, training, c, f, { hidden: 16, epochs: 30, seed: 5 }),
      await commitTrainedModel(context, address, carol, training, c, f, { hidden: 4, epochs: 2, seed: 6 }),
    ];
    await donate(context, address, "1");
    let state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.submissionEnd);
    await revealModels(context, address, subs);
    state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.modelRevealEnd);
    await revealTest(context, address, groups);
    for (const s of subs.slice(0, 2)) await evaluateSubmissionToEnd(context.donor, context.client, { competition: address, submissionId: s.id });
    seeded.push({ address, title: spec.title, stage: "Evaluation" });
  }

  // 3. Awaiting the test reveal.
  {
    const spec = specs.testReveal;
    const { address, training } = await launch(context, spec);
    const f = spec.dataset.featureNames.length;
    const c = spec.dataset.classNames.length;
    const subs = [
      await commitTrainedModel(context, address, alice, training, c, f, { hidden: 8, epochs: 25, seed: 7 }),
      await commitTrainedModel(context, address, carol, training, c, f, { hidden: 8, epochs: 5, seed: 8 }),
    ];
    let state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.submissionEnd);
    await revealModels(context, address, subs);
    state = await readCompetition(context.client, address);
    await mineTo(context, state.deadlines.modelRevealEnd);
    seeded.push({ address, title: spec.title, stage: "TestReveal" });
  }

  // 4. Open for submissions: the county election data, with one early commitment and a donation.
  {
    const spec = specs.open;
    const { address, training } = await launch(context, spec);
    await commitTrainedModel(context, address, bob, training, spec.dataset.classNames.length, spec.dataset.featureNames.length, { hidden: 16, epochs: 8, seed: 9 });
    await donate(context, address, "0.25");
    seeded.push({ address, title: spec.title, stage: "Submission" });
  }

  for (const s of seeded) {
    const state = await readCompetition(context.client, s.address);
    if (state.stage !== s.stage) throw new Error(`seeding left ${s.title} in ${state.stage}, expected ${s.stage}`);
  }
  return seeded;
}
