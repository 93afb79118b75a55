/** What /console/config.json says (see services/gateway/src/console/console-routes.ts). */
export interface PageConfig {
  tileUrl: string | null;
  tileAttribution: string;
  devSignIn: boolean;
}

/** The server's page config; `?tiles=none` in the page URL turns tiles off (offline rooms, tests). */
export async function loadPageConfig(): Promise<PageConfig> {
  const res = await fetch('/console/config.json');
  const config = (await res.json()) as PageConfig;
  const tiles = new URLSearchParams(location.search).get('tiles');
  if (tiles === 'none') return { ...config, tileUrl: null };
  return config;
}
