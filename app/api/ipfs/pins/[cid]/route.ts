import { handleIpfsPinRequest, handleIpfsPinStatus } from "../../../../../lib/ipfs/handlers";

/**
 * `GET /api/ipfs/pins/<cid>`: the remote pin's state. `POST /api/ipfs/pins/<cid>`: request it (again).
 * Logic in lib/ipfs/handlers.ts; the service is configured by MODELBOUNTY_PINNING_SERVICE_URL / _TOKEN.
 */
export const runtime = "nodejs";

export async function GET(_request: Request, context: { params: Promise<{ cid: string }> }): Promise<Response> {
  const { cid } = await context.params;
  return handleIpfsPinStatus(cid);
}

export async function POST(_request: Request, context: { params: Promise<{ cid: string }> }): Promise<Response> {
  const { cid } = await context.params;
  return handleIpfsPinRequest(cid);
}
