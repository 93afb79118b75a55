import { createApi, ApiError } from './api.ts';
import { fill, h } from './dom.ts';

export type Role = 'nurse' | 'coordinator' | 'security' | 'admin';

export interface Claims {
  sub: string;
  role: Role;
  institution?: string;
  exp?: number;
}

export interface Session {
  token: string;
  claims: Claims;
}

const STORAGE_KEY = 'hn.console.token';

/** The token's claims, read without verifying: the server verifies; the page only needs to know who it is. */
export function readClaims(token: string): Claims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as Claims;
    return typeof claims.sub === 'string' && typeof claims.role === 'string' ? claims : null;
  } catch {
    return null;
  }
}

function usable(token: string | null, roles: readonly Role[]): Session | null {
  if (!token) return null;
  const claims = readClaims(token);
  if (!claims || !roles.includes(claims.role)) return null;
  if (claims.exp !== undefined && claims.exp * 1000 < Date.now()) return null;
  return { token, claims };
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  location.reload();
}

export interface SignInOptions {
  title: string;
  roles: readonly Role[];
  devSignIn: boolean;
  /** Dev sign-in buttons: a label and the role it signs in as. */
  devRoles: readonly { role: Role; label: string }[];
}

/**
 * The signed-in session (kept for the tab in sessionStorage), or a sign-in card that
 * resolves once the user pasted a token or, in development, clicked a role.
 */
export function signIn(root: HTMLElement, options: SignInOptions): Promise<Session> {
  const existing = usable(sessionStorage.getItem(STORAGE_KEY), options.roles);
  if (existing) return Promise.resolve(existing);
  sessionStorage.removeItem(STORAGE_KEY);

  return new Promise((resolve) => {
    const accept = (token: string): boolean => {
      const session = usable(token.trim(), options.roles);
      if (!session) return false;
      sessionStorage.setItem(STORAGE_KEY, session.token);
      root.replaceChildren();
      resolve(session);
      return true;
    };

    const tokenError = h('p', { class: 'field-error', id: 'token-error', role: 'alert' });
    const tokenInput = h('textarea', { id: 'token', rows: 3, 'aria-describedby': 'token-error', spellcheck: 'false', autocomplete: 'off' });
    const form = h(
      'form',
      {
        class: 'signin-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          if (!accept(tokenInput.value)) {
            fill(tokenError, `Not a valid, unexpired token for ${options.roles.join(' or ')}.`);
            tokenInput.setAttribute('aria-invalid', 'true');
          }
        },
      },
      h('label', { for: 'token' }, 'Bearer token'),
      tokenInput,
      tokenError,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    );

    const card = h('section', { class: 'signin-card', 'aria-labelledby': 'signin-title' }, h('h1', { id: 'signin-title' }, options.title), form);
    if (options.devSignIn) card.append(devSection(options, accept));
    root.replaceChildren(card);
  });
}

/** One-click tokens from POST /v1/dev/token (development only), with an institution picker. */
function devSection(options: SignInOptions, accept: (token: string) => boolean): HTMLElement {
  const api = createApi(() => null, () => undefined);
  const institution = h('select', { id: 'dev-institution' }, h('option', { value: '' }, 'loading institutions…'));
  const subject = h('input', { id: 'dev-subject', value: 'dev-user', autocomplete: 'off' });
  const error = h('p', { class: 'field-error', id: 'dev-error', role: 'alert' });

  void (async () => {
    try {
      const { token } = await api.post<{ token: string }>('/v1/dev/token', { role: 'admin', sub: 'dev-console' });
      const listing = createApi(() => token, () => undefined);
      const reply = await listing.get<{ items: { id: string; name: string }[] }>('/v1/institutions');
      const items = reply.items;
      fill(institution, ...(items.length ? items.map((i) => h('option', { value: i.id }, `${i.name} (${i.id})`)) : [h('option', { value: 'i1' }, 'i1 (no institutions registered yet)')]));
    } catch (err) {
      fill(institution, h('option', { value: 'i1' }, 'i1'));
      fill(error, `Could not list institutions: ${(err as Error).message}`);
    }
  })();

  const buttons = options.devRoles.map(({ role, label }) =>
    h(
      'button',
      {
        type: 'button',
        class: 'dev-signin',
        'data-role': role,
        onclick: async () => {
          fill(error);
          try {
            const needsInstitution = role === 'coordinator' || role === 'nurse';
            const body = { role, sub: subject.value.trim() || `dev-${role}`, ...(needsInstitution ? { institution: institution.value || 'i1' } : {}) };
            const { token } = await api.post<{ token: string }>('/v1/dev/token', body);
            if (!accept(token)) fill(error, 'The server issued a token this page cannot use.');
          } catch (err) {
            fill(error, err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
          }
        },
      },
      label,
    ),
  );

  return h(
    'details',
    { class: 'dev-signin-section', open: true },
    h('summary', {}, 'Development sign-in'),
    h('p', { class: 'hint' }, 'Issues a token signed with the development secret. Not available in production.'),
    h('div', { class: 'field' }, h('label', { for: 'dev-institution' }, 'Institution'), institution),
    h('div', { class: 'field' }, h('label', { for: 'dev-subject' }, 'User id'), subject),
    h('div', { class: 'button-row' }, ...buttons),
    error,
  );
}

/** The header's "who am I" with a sign-out button. */
export function renderUser(el: HTMLElement, session: Session): void {
  const { sub, role, institution } = session.claims;
  fill(el, h('span', { class: 'who' }, `${sub} · ${role}${institution ? ` · ${institution}` : ''}`), h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'));
}
