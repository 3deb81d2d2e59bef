/** Display formatting shared by the web app's components; plain functions, no framework imports. */
import type { Address } from "viem";

const groupDigits = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * Wei → ETH text, rounded half up to at most `decimals` decimals (4 by default, 0–18) with trailing zeros trimmed:
 * 9999699900000000000000n → "9,999.6999 ETH", 1234567890000000000n → "1.2346 ETH", 9999999990000000000n → "10 ETH".
 * All in bigint from the wei value, so large balances round exactly. A non-zero amount that rounds to zero says so
 * ("< 0.0001 ETH") instead of printing 0.
 */
export function formatEth(wei: bigint, options: { decimals?: number; unit?: boolean } = {}): string {
  const decimals = Math.min(18, Math.max(0, Math.trunc(options.decimals ?? 4)));
  const unit = options.unit === false ? "" : " ETH";
  const negative = wei < 0n;
  const magnitude = negative ? -wei : wei;
  const step = 10n ** BigInt(18 - decimals);
  const rounded = (magnitude + step / 2n) / step;
  if (rounded === 0n && magnitude !== 0n) {
    const smallest = decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
    return `${negative ? "> -" : "< "}${smallest}${unit}`;
  }
  const scale = 10n ** BigInt(decimals);
  const fraction = decimals === 0 ? "" : (rounded % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${groupDigits((rounded / scale).toString())}${fraction ? `.${fraction}` : ""}${unit}`;
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
