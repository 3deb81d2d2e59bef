/**
 * scripts/dev/mining: `npm run dev` makes its Hardhat node mine on an interval as well as on transactions, so
 * countdowns move on an idle local chain (issue 12 §5: "on the local chain blocks only come with transactions, so
 * countdowns never move"). The interval is read from MODELBOUNTY_DEV_BLOCK_INTERVAL with a clear error, and the
 * in-process Hardhat chain really produces blocks with no transaction once it is started.
 */
import hre from "hardhat";
import { expect } from "chai";
import { createTestClient, custom, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { DEFAULT_DEV_BLOCK_INTERVAL_SECONDS, devBlockInterval, startIntervalMining } from "../../scripts/dev/mining";

describe("scripts/dev/mining devBlockInterval", () => {
  it("defaults to 2 s and reads MODELBOUNTY_DEV_BLOCK_INTERVAL (0: off)", () => {
    expect(DEFAULT_DEV_BLOCK_INTERVAL_SECONDS).to.equal(2);
    expect(devBlockInterval({})).to.equal(2);
    expect(devBlockInterval({ MODELBOUNTY_DEV_BLOCK_INTERVAL: " " })).to.equal(2);
    expect(devBlockInterval({ MODELBOUNTY_DEV_BLOCK_INTERVAL: "5" })).to.equal(5);
    expect(devBlockInterval({ MODELBOUNTY_DEV_BLOCK_INTERVAL: "0.5" })).to.equal(0.5);
    expect(devBlockInterval({ MODELBOUNTY_DEV_BLOCK_INTERVAL: "0" })).to.equal(0);
  });

  it("refuses anything else, saying what to set", () => {
    for (const bad of ["two", "-1", "1e3", "0.01", "7200"]) {
      expect(() => devBlockInterval({ MODELBOUNTY_DEV_BLOCK_INTERVAL: bad }), bad).to.throw(/MODELBOUNTY_DEV_BLOCK_INTERVAL=.* is not a number of seconds .*0 to mine only on transactions/);
    }
  });
});

describe("scripts/dev/mining startIntervalMining (in-process Hardhat chain)", function () {
  const provider = hre.network.provider;
  const testClient = createTestClient({ chain: hardhat, mode: "hardhat", transport: custom(provider) });
  let client: PublicClient;

  before(async () => {
    client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
  });
  after(async () => {
    await testClient.setIntervalMining({ interval: 0 });
  });

  it("mines blocks with no transaction, tells the app the block time, and stops again with 0", async function () {
    const start = await client.getBlockNumber();
    expect(await startIntervalMining(testClient, 0.5, {})).to.equal("0.5");
    let now = start;
    for (let i = 0; i < 100 && now < start + 2n; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await client.getBlockNumber();
    }
    expect(now >= start + 2n, `blocks ${start} → ${now} with no transaction`).to.equal(true);
    // Transactions are still mined at once (automine stays on).
    expect(await provider.request({ method: "hardhat_getAutomine" })).to.equal(true);
    // A block time the user configured wins.
    expect(await startIntervalMining(testClient, 0.5, { MODELBOUNTY_BLOCK_TIME_SECONDS: "3" })).to.equal(undefined);
    expect(await startIntervalMining(testClient, 0, {})).to.equal(undefined);
    const stopped = await client.getBlockNumber();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await client.getBlockNumber()).to.equal(stopped);
  });
});
