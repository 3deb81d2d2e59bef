/**
 * lib/ort/lab: the benchmark's networks are valid and float-exact (so WebGPU can run them), and a small run in Node
 * (WASM only: Node has no WebGPU) reports every backend, with ORT agreeing with the reference point by point.
 */
import { expect } from "chai";
import { isFloatExact, validateModelArithmetic } from "../../lib/danku/onnxExport";
import { benchmarkRatios, LAB_NETWORKS, labNetwork, runScoreBenchmark } from "../../lib/ort";
import { ort } from "./support";

describe("lib/ort lab (scoring benchmark)", function () {
  this.timeout(120_000);

  it("builds valid, float-exact benchmark networks of the issue's shapes", () => {
    for (const network of LAB_NETWORKS) {
      const model = labNetwork(network.widths, 1);
      validateModelArithmetic(model);
      expect(isFloatExact(model).exact, network.name).to.equal(true);
    }
  });

  it("measures WASM and the reference side by side, agreeing exactly, and says when WebGPU is missing", async () => {
    const progress: string[] = [];
    const entries = await runScoreBenchmark({ samples: 300, ort, gpu: null, onProgress: (message) => progress.push(message) });
    expect(entries.map((e) => `${e.network} ${e.backend}`)).to.deep.equal([
      "784-128-10 ort-wasm",
      "784-128-10 ort-webgpu",
      "784-128-10 reference",
      "2-4-4-2 ort-wasm",
      "2-4-4-2 ort-webgpu",
      "2-4-4-2 reference",
    ]);
    for (const e of entries.filter((x) => x.backend === "ort-wasm")) {
      expect(e).to.include({ available: true, agreesWithReference: true, samples: 300 });
      expect(e.samplesPerSecond).to.be.greaterThan(0);
    }
    for (const e of entries.filter((x) => x.backend === "ort-webgpu")) expect(e).to.include({ available: false, samplesPerSecond: 0 });
    expect(benchmarkRatios(entries).find((r) => r.backend === "ort-webgpu")?.overReference).to.equal(undefined);
    expect(progress.at(-1)).to.equal("done");
  });
});
