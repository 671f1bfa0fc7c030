import { createServer, type Server } from 'node:http';
import type { EngineContext } from '../engine/context';
import { createRouter, type Route } from './router';
import { sendJson } from './http';
import { listenLoopback } from './listen';
import { guardService } from './guard-service';
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
  // Deep-link pages are opened from links (mail, chat, the customer's site): cross-site navigations.
  const navigable = (path: string) => path.startsWith('/auth/sso/');
  const server = createServer(guardService(createRouter(apiRoutes(ctx), ctx.log), { navigable }));
  const url = await listenLoopback(server, port, 'Platform API');
  return { server, url };
}
