import fs from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { AppModule } from '../app.module.js';
import type { Clock } from '../core/clock.js';
import type { HubInfo } from '../core/hub-info.js';
import type { Logger } from '../core/logger.js';
import type { Pki } from '../pki/pki.js';
import { MAX_IMPORT_BYTES } from '../registry/registry-import.service.js';
import type { HubServices } from '../services.js';
import { DiskFullFilter } from './disk-full.filter.js';
import { ApiErrorFilter, loggablePath } from './http-errors.js';

const SECURITY_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=31536000',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // react-admin (MUI/emotion) injects style elements; scripts come only from the hub.
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/**
 * The HTTPS server: REST API under /api/v1, /metrics, and the built admin UI at / (with the SPA
 * fallback to index.html). Body size is capped at 1 MiB; malformed bodies get a JSON 4xx.
 */
export async function startHttpServer(opts: {
  services: HubServices;
  hub: HubInfo;
  pki: Pki;
  clock: Clock;
  logger: Logger;
  uiDir: string;
  host: string;
  port: number;
}): Promise<{ app: INestApplication; port: number }> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(opts.services, opts.hub, opts.clock, opts.logger),
    {
      // Node's default minimum is TLS 1.2.
      httpsOptions: { cert: opts.pki.serverCertChainPem, key: opts.pki.serverKeyPem },
      logger: opts.logger.child({ component: 'http' }),
      bodyParser: false,
    },
  );
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  app.use((_req: Request, res: Response, next: NextFunction) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    next();
  });
  // Registry imports take the CSV file itself as the body (registry/registry-imports.controller.ts).
  app.use(
    '/api/v1/registry/imports',
    express.raw({ type: ['text/csv', 'text/plain', 'application/octet-stream'], limit: MAX_IMPORT_BYTES }),
  );
  // The public volunteer form: a few short fields (volunteers/volunteer-form.controller.ts).
  app.use('/api/v1/volunteer-form', express.json({ limit: '8kb', strict: true }));
  app.use(express.json({ limit: '1mb', strict: true }));
  serveUi(app, opts.uiDir, opts.logger);
  app.use(jsonErrors(opts.logger));
  const apiErrors = new ApiErrorFilter(opts.logger.child({ component: 'http' }));
  const diskFull = new DiskFullFilter(opts.logger.child({ component: 'http' }), apiErrors, app.getHttpAdapter());
  app.useGlobalFilters(diskFull, apiErrors);
  await app.listen(opts.port, opts.host);
  const address = app.getHttpServer().address();
  return { app, port: typeof address === 'object' && address ? address.port : opts.port };
}

function serveUi(app: NestExpressApplication, uiDir: string, logger: Logger): void {
  const index = path.join(uiDir, 'index.html');
  if (!fs.existsSync(index)) {
    logger.warn('admin UI not built: run `npm run build` (the API works without it)', { uiDir });
    return;
  }
  app.use(express.static(uiDir, { index: false, maxAge: '1h' }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || /^\/(api|install)\//.test(req.path) || req.path === '/metrics') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

/** Errors raised before Nest's router (body parser: bad JSON, too large) as JSON instead of HTML. */
function jsonErrors(logger: Logger) {
  return (err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const message =
      err.type === 'entity.too.large'
        ? `request body is larger than ${req.path.startsWith('/api/v1/registry/imports') ? '32' : '1'} MiB`
        : err.type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : status < 500
            ? err.message
            : 'internal error';
    if (status >= 500) logger.error('http request failed', { path: loggablePath(req.path), error: err });
    else
      logger.info('http request refused', {
        method: req.method,
        path: loggablePath(req.path),
        status,
        reason: message,
      });
    res.status(status).json({ statusCode: status, message });
  };
}
