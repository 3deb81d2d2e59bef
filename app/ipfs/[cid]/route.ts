import { handleIpfsGateway } from "../../../lib/ipfs/handlers";

/** The app's IPFS gateway: the verified bytes of a CID (lib/ipfs/handlers.ts). */
export const runtime = "nodejs";

export async function GET(request: Request, context: { params: Promise<{ cid: string }> }): Promise<Response> {
  const { cid } = await context.params;
  return handleIpfsGateway(request, cid);
}
