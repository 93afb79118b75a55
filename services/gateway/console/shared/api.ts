/** One problem in a refused input, as the API reports it (`details.problems`). */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An API refusal: the `{error:{code,message,details}}` shape every service returns. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems of a 400, each with a JSON pointer such as `/patient/phone`. */
  get problems(): FieldProblem[] {
    const problems = (this.details as { problems?: FieldProblem[] } | undefined)?.problems;
    return Array.isArray(problems) ? problems : [];
  }
}

export interface Api {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/**
 * REST calls to the same base URL with the signed-in user's bearer token. A 401 ends
 * the session (expired or revoked token) through `onUnauthenticated`.
 */
export function createApi(token: () => string | null, onUnauthenticated: () => void): Api {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const bearer = token();
    if (bearer) headers['authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ApiError(0, 'UNAVAILABLE', `the server cannot be reached (${(err as Error).message})`);
    }
    const text = await res.text();
    const data: unknown = text ? JSON.parse(text) : undefined;
    if (res.ok) return data as T;
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (res.status === 401) onUnauthenticated();
    throw new ApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? `${res.status} ${res.statusText}`, error?.details);
  }

  return {
    get: (path, query) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
      const qs = params.toString();
      return call('GET', qs ? `${path}?${qs}` : path);
    },
    post: (path, body) => call('POST', path, body ?? {}),
  };
}
