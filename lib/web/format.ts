/** Display formatting shared by the web app's components; plain functions, no framework imports. */
import { formatEther, type Address } from "viem";

const groupDigits = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** 1234500000000000000n → "1.2345 ETH"; trims trailing zeros, keeps at most `decimals` decimals (rounded down). */
export function formatEth(wei: bigint, options: { decimals?: number; unit?: boolean } = {}): string {
  const decimals = options.decimals ?? 4;
  const negative = wei < 0n;
  const [whole = "0", fraction = ""] = formatEther(negative ? -wei : wei).split(".");
  const shown = fraction.slice(0, decimals).replace(/0+$/, "");
  if (shown === "" && fraction.replace(/0+$/, "") !== "" && wei !== 0n && whole === "0") {
    // Too small for the chosen precision: say so instead of printing 0.
    return `< 0.${"0".repeat(Math.max(0, decimals - 1))}1${options.unit === false ? "" : " ETH"}`;
  }
  const text = `${negative ? "-" : ""}${groupDigits(whole)}${shown ? `.${shown}` : ""}`;
  return options.unit === false ? text : `${text} ETH`;
}

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function sameAddress(a: Address | string | undefined | null, b: Address | string | undefined | null): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export function formatNumber(value: number | bigint): string {
  return groupDigits(value.toString());
}

export function formatBlocks(blocks: bigint | number): string {
  const n = BigInt(blocks);
  return `${formatNumber(n)} ${n === 1n ? "block" : "blocks"}`;
}

/** Seconds → "≈ 3 d 4 h", "≈ 12 min", "< 1 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  if (seconds < 60) return "< 1 min";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `≈ ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return `≈ ${hours} h${rest ? ` ${rest} min` : ""}`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return `≈ ${formatNumber(days)} d${restHours ? ` ${restHours} h` : ""}`;
}

export function formatPercent(numerator: number, denominator: number, decimals = 1): string {
  if (denominator <= 0) return "–";
  return `${((numerator / denominator) * 100).toFixed(decimals)} %`;
}

export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(bps % 100 === 0 ? 0 : 2)} %`;
}
