import { createServer, type Server } from 'node:http';
import type { EngineContext } from '../engine/context';
import { createRouter, type Route } from './router';
import { sendJson } from './http';
import { listenLoopback } from './listen';
import { platformSsoRoutes } from './routes/platform-sso';
import { authRoutes } from './routes/auth';
import { scimRoutes } from './routes/scim';

/** The Platform API and the platform's login endpoints on loopback. Each area adds its routes here. */
export function apiRoutes(ctx: EngineContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/health',
      handle: ({ res }) => sendJson(res, 200, { status: 'ok', version: ctx.version }),
    },
    ...platformSsoRoutes(ctx),
    ...authRoutes(ctx),
    ...scimRoutes(ctx),
  ];
}

export async function startApiServer(ctx: EngineContext, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(createRouter(apiRoutes(ctx), ctx.log));
  const url = await listenLoopback(server, port, 'Platform API');
  return { server, url };
}
