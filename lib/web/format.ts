/** Display formatting shared by the web app's components; plain functions, no framework imports. */
import type { Address } from "viem";

const groupDigits = (text: string) => text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * A fixed-point amount (`value` in base units of `unitDecimals` decimals: 18 for wei and DaiMoN tokens) → text,
 * rounded half up to at most `decimals` decimals (clamped to 0–`unitDecimals`) with trailing zeros trimmed and the
 * whole part in digit groups: 9999699900000000000000n → "9,999.6999", 1234567890000000000n → "1.2346",
 * 9999999990000000000n → "10". All in bigint from the base units, so large amounts round exactly. A non-zero amount
 * that rounds to zero says so ("< 0.0001", "> -0.0001") instead of printing 0. `suffix` follows after a space.
 */
export function formatFixedRounded(value: bigint, unitDecimals: number, options: { decimals?: number; suffix?: string } = {}): string {
  const places = Math.max(0, Math.trunc(unitDecimals));
  const decimals = Math.min(places, Math.max(0, Math.trunc(options.decimals ?? 4)));
  const unit = options.suffix ? ` ${options.suffix}` : "";
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const step = 10n ** BigInt(places - decimals);
  const rounded = step === 1n ? magnitude : (magnitude + step / 2n) / step;
  if (rounded === 0n && magnitude !== 0n) {
    const smallest = decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
    return `${negative ? "> -" : "< "}${smallest}${unit}`;
  }
  const scale = 10n ** BigInt(decimals);
  const fraction = decimals === 0 ? "" : (rounded % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative && rounded !== 0n ? "-" : ""}${groupDigits((rounded / scale).toString())}${fraction ? `.${fraction}` : ""}${unit}`;
}

/** Wei → ETH text, rounded half up in bigint to at most `decimals` decimals (4 by default): see formatFixedRounded. */
export function formatEth(wei: bigint, options: { decimals?: number; unit?: boolean } = {}): string {
  return formatFixedRounded(wei, 18, { decimals: options.decimals, suffix: options.unit === false ? undefined : "ETH" });
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
