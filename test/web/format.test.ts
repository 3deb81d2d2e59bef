/**
 * Display wording with exact arithmetic: ETH amounts rounded in bigint from the wei value (the header balance showed
 * 9,999.6999 as "9,999.6"), and the quantization column following the sign of the change (issue 12 §5).
 */
import { expect } from "chai";
import { parseEther } from "viem";
import { formatEth, formatFixedRounded } from "../../lib/web/format";
import { formatTokenAmount } from "../../lib/web/daimon";
import { describeQuantizationEffect } from "../../lib/web/submitter";

describe("lib/web/format formatEth (rounding)", () => {
  it("keeps 4 decimals exactly and rounds half up beyond them", () => {
    expect(formatEth(parseEther("9999.6999"))).to.equal("9,999.6999 ETH");
    expect(formatEth(parseEther("1.23456789"))).to.equal("1.2346 ETH");
    expect(formatEth(parseEther("1.23454999"))).to.equal("1.2345 ETH");
    expect(formatEth(parseEther("1.23455"))).to.equal("1.2346 ETH");
    expect(formatEth(parseEther("0.5"))).to.equal("0.5 ETH");
  });

  it("carries into the whole part and the digit groups", () => {
    expect(formatEth(parseEther("9999.99995"))).to.equal("10,000 ETH");
    expect(formatEth(parseEther("0.99996"))).to.equal("1 ETH");
  });

  it("is exact on balances far beyond float precision", () => {
    // 123,456,789,012.345649999999999999 ETH: a Number would already have lost the last digits.
    expect(formatEth(123_456_789_012_345_649_999_999_999_999n)).to.equal("123,456,789,012.3456 ETH");
    expect(formatEth(123_456_789_012_345_650_000_000_000_000n)).to.equal("123,456,789,012.3457 ETH");
    expect(formatEth(parseEther("9999.6999"), { decimals: 18 })).to.equal("9,999.6999 ETH");
    expect(formatEth(1n, { decimals: 18 })).to.equal("0.000000000000000001 ETH");
  });

  it("says an amount is too small for the precision instead of printing 0", () => {
    expect(formatEth(parseEther("0.00001"))).to.equal("< 0.0001 ETH");
    expect(formatEth(parseEther("0.00004999"))).to.equal("< 0.0001 ETH");
    expect(formatEth(parseEther("0.00005"))).to.equal("0.0001 ETH");
    expect(formatEth(parseEther("0.001"), { decimals: 2 })).to.equal("< 0.01 ETH");
    expect(formatEth(parseEther("0.4"), { decimals: 0 })).to.equal("< 1 ETH");
    expect(formatEth(0n)).to.equal("0 ETH");
  });

  it("honours the decimals and unit options, and negative amounts", () => {
    expect(formatEth(parseEther("1234.5678"), { decimals: 2, unit: false })).to.equal("1,234.57");
    expect(formatEth(parseEther("1234.5"), { decimals: 0 })).to.equal("1,235 ETH");
    expect(formatEth(-parseEther("1.23456"))).to.equal("-1.2346 ETH");
    expect(formatEth(-1n)).to.equal("> -0.0001 ETH");
  });
});

describe("lib/web/daimon formatTokenAmount (rounding, the same helper as formatEth)", () => {
  it("rounds half up instead of truncating", () => {
    expect(formatTokenAmount(parseEther("9999.69995"), "DMN")).to.equal("9,999.7 DMN");
    expect(formatTokenAmount(parseEther("1.99999"), "DMN")).to.equal("2 DMN");
    expect(formatTokenAmount(parseEther("1.23456"))).to.equal("1.2346");
    expect(formatTokenAmount(parseEther("1.23454999"))).to.equal("1.2345");
    expect(formatTokenAmount(parseEther("0.99996"), "DMN", 4)).to.equal("1 DMN");
    expect(formatTokenAmount(parseEther("2.5"), "DMN", 0)).to.equal("3 DMN");
  });

  it("is exact far beyond float precision and keeps the small and negative cases", () => {
    expect(formatTokenAmount(123_456_789_012_345_650_000_000_000_000n, "DMN")).to.equal("123,456,789,012.3457 DMN");
    expect(formatTokenAmount(parseEther("0.00004999"), "DMN")).to.equal("< 0.0001 DMN");
    expect(formatTokenAmount(parseEther("0.00005"), "DMN")).to.equal("0.0001 DMN");
    expect(formatTokenAmount(-parseEther("1.23456"), "DMN")).to.equal("-1.2346 DMN");
    expect(formatTokenAmount(-1n, "DMN")).to.equal("> -0.0001 DMN");
    expect(formatTokenAmount(0n)).to.equal("0");
  });

  it("agrees with formatEth on every amount (one helper for both)", () => {
    for (const wei of [0n, 1n, 49_999_999_999_999n, 50_000_000_000_000n, parseEther("9999.6999"), parseEther("9999.99995"), -parseEther("3.14159")]) {
      expect(formatTokenAmount(wei, "ETH")).to.equal(formatEth(wei));
      expect(formatFixedRounded(wei, 18, { decimals: 2 })).to.equal(formatEth(wei, { decimals: 2, unit: false }));
    }
  });

  it("formats other unit sizes (6-decimal tokens) with the same rounding", () => {
    expect(formatFixedRounded(1_234_565n, 6, { decimals: 2, suffix: "USDC" })).to.equal("1.23 USDC");
    expect(formatFixedRounded(1_235_000n, 6, { decimals: 2, suffix: "USDC" })).to.equal("1.24 USDC");
    expect(formatFixedRounded(1_234_567n, 6, { decimals: 9 })).to.equal("1.234567");
  });
});

describe("lib/web/submitter describeQuantizationEffect", () => {
  it("says a loss when the quantized score is lower", () => {
    // 58 / 100 quantized against 58.42 % float: 5842 / 10000.
    expect(describeQuantizationEffect({ correct: 58, total: 100 }, { correct: 5842, total: 10_000 })).to.equal("lost to quantization: 0.42 points");
    expect(describeQuantizationEffect({ correct: 40, total: 50 }, { correct: 41, total: 50 })).to.equal("lost to quantization: 2.00 points");
  });

  it("says a gain with a plus sign when the quantized score is higher", () => {
    expect(describeQuantizationEffect({ correct: 5842, total: 10_000 }, { correct: 58, total: 100 })).to.equal("gained by quantization: +0.42 points");
    expect(describeQuantizationEffect({ correct: 41, total: 50 }, { correct: 40, total: 50 })).to.equal("gained by quantization: +2.00 points");
  });

  it("says no change when the scores are equal", () => {
    expect(describeQuantizationEffect({ correct: 7, total: 12 }, { correct: 7, total: 12 })).to.equal("no change");
    expect(describeQuantizationEffect({ correct: 0, total: 0 }, { correct: 0, total: 0 })).to.equal("no change");
  });

  it("keeps the direction of a difference below 0.01 points", () => {
    expect(describeQuantizationEffect({ correct: 999_999, total: 1_000_000 }, { correct: 1_000_000, total: 1_000_000 })).to.equal("lost to quantization: < 0.01 points");
    expect(describeQuantizationEffect({ correct: 1_000_000, total: 1_000_000 }, { correct: 999_999, total: 1_000_000 })).to.equal("gained by quantization: < 0.01 points");
  });
});
