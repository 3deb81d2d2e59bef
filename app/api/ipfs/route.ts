import { handleIpfsInfo, handleIpfsUpload } from "../../../lib/ipfs/handlers";

/**
 * `POST /api/ipfs`: upload to the app's IPFS store (the body is the file's raw bytes; answers `{ cid, size }`).
 * `GET /api/ipfs`: the upload limit. Logic in lib/ipfs/handlers.ts.
 */
export const runtime = "nodejs";

export async function POST(request: Request): Promise<Response> {
  return handleIpfsUpload(request);
}

export async function GET(): Promise<Response> {
  return handleIpfsInfo();
}
