// A TypeScript app's view of the installed package: 'spa-auth' resolves through the package's
// `exports` (its `types` condition) to spa_auth.d.ts. Checked with `tsc -p tsconfig.json`.
import init, { WebAuth } from 'spa-auth';
import type { AuthResult, WebAuthOptions } from 'spa-auth';

export async function signIn(options: WebAuthOptions): Promise<string | null> {
  await init();
  const auth = new WebAuth(options);
  const result: AuthResult | null = await auth.parseHash();
  if (!result) {
    await auth.authorize();
    return null;
  }
  return String(result.idTokenPayload.sub);
}
