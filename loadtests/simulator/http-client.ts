/** A JSON call to the system's REST API with a bearer token; never throws for HTTP statuses. */
export interface ApiReply {
  status: number;
  body: unknown;
}

export type Api = (method: string, path: string, token: string, body?: unknown) => Promise<ApiReply>;

export function createApi(baseUrl: string, timeoutMs = 15_000): Api {
  return async (method, path, token, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  };
}

/** The stable error code of an error reply, if it is one. */
export function errorCodeOf(reply: ApiReply): string {
  const code = (reply.body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : `HTTP_${reply.status}`;
}
