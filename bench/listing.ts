/**
 * `npm run bench:listing`: how fast the marketplace lists competitions. Creates competitions on a running chain
 * until the factory holds BENCH_COMPETITIONS (default 500), then times a cold listing the way the web app reads it:
 * the factory's `CompetitionCreated` events in block ranges, then every competition's changing state in batched
 * multicalls over a JSON-RPC-batching transport. The target is under 1.5 s for 500 competitions.
 *
 *   npx hardhat node --hostname 127.0.0.1 --port 8545 &  npm run deploy:local  &&  npm run bench:listing
 */
import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from "viem";
import { competitionFactoryAbi } from "../lib/generated/abis";
import { listCompetitions, readCompetitionSummaries } from "../lib/chain/danku";
import { devAccount } from "../lib/chain/devAccounts";
import { readDeployment } from "../scripts/shared/deployments";

const rpcUrl = process.env.MODELBOUNTY_RPC_URL ?? "http://127.0.0.1:8545";
const target = Number(process.env.BENCH_COMPETITIONS ?? 500);

async function main(): Promise<void> {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await probe.getChainId();
  const chain = defineChain({ id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const deployment = readDeployment(chainId);
  const factory = (process.env.MODELBOUNTY_FACTORY as Address | undefined) ?? deployment?.address;
  if (!factory) throw new Error(`no factory for chain ${chainId}: run npm run deploy:local`);
  const fromBlock = BigInt(process.env.MODELBOUNTY_FACTORY_BLOCK ?? deployment?.deploymentBlock ?? 0n);

  const setup = createPublicClient({ chain, transport: http(rpcUrl) });
  const count = Number(await setup.readContract({ address: factory, abi: competitionFactoryAbi, functionName: "competitionCount" }));
  if (count < target) {
    const wallet = createWalletClient({ account: devAccount(9), chain, transport: http(rpcUrl) });
    process.stdout.write(`creating ${target - count} competitions…\n`);
    const config = { featureCount: 2, classCount: 2, trainingBps: 5000, minAccuracyBps: 5000, init2Window: 200, trainingRevealPeriod: 100_000, submissionPeriod: 1000, modelRevealPeriod: 1000, testRevealPeriod: 1000, evaluationPeriod: 1000 };
    const hashes: Hex[] = [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`];
    let nonce = await setup.getTransactionCount({ address: wallet.account.address, blockTag: "pending" });
    let last: Hex | undefined;
    for (let i = count; i < target; i++) {
      last = await wallet.writeContract({ address: factory, abi: competitionFactoryAbi, functionName: "createCompetition", args: [config, hashes, ""], value: 10n ** 15n, nonce: nonce++, gas: 3_000_000n });
    }
    if (last) await setup.waitForTransactionReceipt({ hash: last });
  }

  for (let run = 1; run <= 3; run++) {
    // A fresh client per run: no cached block number, a cold listing like a first page load.
    const client = createPublicClient({ chain, transport: http(rpcUrl, { batch: true }) });
    const started = performance.now();
    const listed = await listCompetitions(client, factory, { fromBlock, blockRange: 50_000n });
    const afterLogs = performance.now();
    const { summaries, failed } = await readCompetitionSummaries(client, listed);
    const done = performance.now();
    process.stdout.write(
      `run ${run}: ${summaries.length} competitions (${failed.length} failed) in ${(done - started).toFixed(0)} ms ` +
        `(events ${(afterLogs - started).toFixed(0)} ms, state ${(done - afterLogs).toFixed(0)} ms)\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
