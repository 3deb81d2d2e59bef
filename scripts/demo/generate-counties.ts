/**
 * Writes public/demo/us-counties.csv: a synthetic dataset shaped like the DanKu launch's US county election data
 * (latitude, longitude, winning party). Deterministic (seeded PRNG), so the file in git is reproducible:
 * `npx ts-node --transpile-only scripts/demo/generate-counties.ts`. Not real election results: a plausible geography of urban/coastal
 * and rural counties with label noise, so that a small network learns it to ~85–90 %.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Metropolitan centres that lean Democratic, with a radius of influence in degrees. */
const METROS: ReadonlyArray<readonly [lat: number, lon: number, radius: number]> = [
  [40.7, -74.0, 2.2], [42.4, -71.1, 1.8], [39.0, -77.0, 1.5], [41.9, -87.6, 1.4], [34.0, -118.2, 2.0],
  [37.6, -122.2, 2.4], [47.6, -122.3, 1.8], [45.5, -122.7, 1.4], [39.7, -105.0, 1.0], [33.7, -84.4, 1.0],
  [29.8, -95.4, 0.8], [42.3, -83.0, 1.0], [44.9, -93.2, 1.0], [25.8, -80.2, 0.9], [35.1, -106.6, 1.5],
];

const random = mulberry32(20180111);
const rows = ["latitude,longitude,party"];
const COUNTIES = 3000;
for (let i = 0; i < COUNTIES; i++) {
  const lat = 25 + random() * 24;
  const lon = -124 + random() * 57;
  let score = -1.2; // rural baseline leans Republican
  for (const [mlat, mlon, radius] of METROS) {
    const d = Math.hypot(lat - mlat, (lon - mlon) * Math.cos((lat * Math.PI) / 180));
    score += 2.6 * Math.exp(-((d / radius) ** 2));
  }
  if (lon > -76 && lat > 41) score += 0.9; // New England
  if (lon < -121 && lat > 36) score += 0.8; // Pacific coast
  if (lat < 33 && lon > -92 && lon < -84) score += 0.7; // Black Belt
  const noisy = score + (random() - 0.5) * 1.2;
  rows.push(`${lat.toFixed(4)},${lon.toFixed(4)},${noisy > 0 ? "Democratic" : "Republican"}`);
}
const out = path.join(__dirname, "..", "..", "public", "demo", "us-counties.csv");
writeFileSync(out, `${rows.join("\n")}\n`);
process.stdout.write(`wrote ${COUNTIES} rows to ${out}\n`);
