import { readTokenShape } from '../token-shape';
import type { DiagnoseContext } from './model';

export interface FoundToken {
  index: number;
  step: string;
  name: string;
  token: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Every readable JWT the capture carries (ID tokens first), with the exchange it came in. */
export function jwtsOf(ctx: DiagnoseContext, only?: string): FoundToken[] {
  const out: FoundToken[] = [];
  ctx.exchanges.forEach((ex, index) => {
    for (const t of ex.tokens) {
      if (only && t.name !== only) continue;
      const shape = readTokenShape(t.token);
      if (shape.kind === 'jws' && shape.claims && !shape.unsecured)
        out.push({ index, step: ex.step, name: t.name, token: t.token, header: shape.header, claims: shape.claims });
    }
  });
  return out.sort((a, b) => Number(b.name === 'id_token') - Number(a.name === 'id_token'));
}

/** The authorize request a token or callback answers: the last one before it. */
export function authorizeBefore(ctx: DiagnoseContext, index: number) {
  for (let i = index; i >= 0; i--)
    if (ctx.exchanges[i]!.kind === 'authorize') return { ...ctx.exchanges[i]!, index: i };
  return null;
}
